package org.paasta.servicepack.cli.testbroker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** A real OSB broker for the CLI's tests: the project's SDK with an in-memory backend. */
@SpringBootApplication
public class MemoryBrokerApplication {
    @Bean
    MemoryBackend memoryBackend() {
        return new MemoryBackend();
    }

    @Bean
    RecordingFilter recordingFilter() {
        return new RecordingFilter();
    }

    @Bean
    FilterRegistrationBean<RecordingFilter> recordingFilterRegistration(RecordingFilter filter) {
        FilterRegistrationBean<RecordingFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE); // before the SDK's own filter
        return registration;
    }
}
