package org.paasta.servicepack.sdk.fake;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A broker with the in-memory backend: the SDK as a broker author uses it. */
@SpringBootApplication
public class FakeBrokerApplication {
    @Bean
    FakeBackend fakeBackend() {
        return new FakeBackend();
    }
}
