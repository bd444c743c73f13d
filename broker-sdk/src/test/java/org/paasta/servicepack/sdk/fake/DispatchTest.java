package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every OSB answer takes one pass through the servlet pipeline: SCOSB's controllers return
 * {@code Mono}s, which Spring MVC would otherwise finish with a second, asynchronous dispatch
 * through Tomcat, every filter and the DispatcherServlet. Errors still get the OSB error body.
 */
@SpringBootTest(classes = {FakeBrokerApplication.class, DispatchTest.Counting.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("fake")
class DispatchTest {
    static final String SERVICE = "fake-service-id";
    static final String SMALL = "fake-small";
    static final String LARGE = "fake-large";

    @TestConfiguration
    static class Counting {
        final Map<DispatcherType, AtomicInteger> dispatches = new ConcurrentHashMap<>();

        @Bean
        FilterRegistrationBean<Filter> dispatchCounter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                dispatches.computeIfAbsent(request.getDispatcherType(), type -> new AtomicInteger()).incrementAndGet();
                chain.doFilter(request, response);
            });
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            return registration;
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    Counting counting;

    OsbClient client() {
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    @BeforeEach
    void reset() {
        counting.dispatches.clear();
    }

    int count(DispatcherType type) {
        AtomicInteger n = counting.dispatches.get(type);
        return n == null ? 0 : n.get();
    }

    @Test
    void everyAnswerTakesOneDispatch() {
        String instanceId = UUID.randomUUID().toString();
        String bindingId = UUID.randomUUID().toString();
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertThat(client().provision(instanceId, SERVICE, SMALL, null, false).status()).isEqualTo(200);
        OsbResponse conflict = client().provision(instanceId, SERVICE, LARGE, null, false);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.text("error")).isEqualTo("Conflict");
        assertThat(client().bind(instanceId, bindingId, SERVICE, SMALL, null, false).status()).isEqualTo(201);
        assertThat(client().fetchBinding(instanceId, bindingId).body().path("credentials").path("password").asText())
                .isNotBlank();
        assertThat(client().unbind(instanceId, bindingId, SERVICE, SMALL, false).status()).isEqualTo(200);
        assertThat(client().deprovision(instanceId, SERVICE, SMALL, false).status()).isEqualTo(200);
        OsbResponse gone = client().deprovision(instanceId, SERVICE, SMALL, false);
        assertThat(gone.status()).isEqualTo(410);

        assertThat(count(DispatcherType.REQUEST)).isEqualTo(8);
        assertThat(count(DispatcherType.ASYNC)).as("asynchronous re-dispatches").isZero();
        assertThat(count(DispatcherType.ERROR)).as("error-page dispatches").isZero();
    }
}
