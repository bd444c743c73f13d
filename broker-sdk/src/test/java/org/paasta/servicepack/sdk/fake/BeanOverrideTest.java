package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.broker.OperationRunner;
import org.paasta.servicepack.sdk.config.ServicePackAutoConfiguration;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.test.util.ReflectionTestUtils;
import reactor.core.publisher.Mono;

/** "Beans a broker defines itself win": every SDK bean steps aside for the broker's own. */
class BeanOverrideTest {
    private final ApplicationContextRunner broker = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
                    ServicePackAutoConfiguration.class))
            .withBean(FakeBackend.class)
            .withPropertyValues("servicepack.catalog.files=classpath:catalog/fake.yml",
                    "servicepack.security.username=broker", "servicepack.security.password=override-test-password",
                    "servicepack.secrets.key=override-test-secrets-key-0123456789",
                    "servicepack.store.url=jdbc:h2:mem:override-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void theSdkAssemblesEverythingFromOneBackendBean() {
        broker.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Clock.class).hasSingleBean(SecretBox.class)
                    .hasSingleBean(ServiceInstanceService.class);
        });
    }

    @Test
    void aBrokersOwnClockDrivesTheSdk() {
        MovableClock clock = new MovableClock();
        broker.withBean(Clock.class, () -> clock).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Clock.class)).isSameAs(clock);
            assertThat(ReflectionTestUtils.getField(context.getBean(OperationRunner.class), "clock")).isSameAs(clock);
        });
    }

    @Test
    void aBrokersOwnBeansReplaceTheSdks() {
        SecretBox secrets = new SecretBox("the-brokers-own-secrets-key-0123456789");
        ServiceInstanceService instances = new FakeInstanceService();
        broker.withBean(SecretBox.class, () -> secrets).withBean(ServiceInstanceService.class, () -> instances)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SecretBox.class)).isSameAs(secrets);
                    assertThat(context.getBean(ServiceInstanceService.class)).isSameAs(instances);
                });
    }

    /** A broker's own instance endpoints (SCOSB's interface). */
    static final class FakeInstanceService implements ServiceInstanceService {
        @Override
        public Mono<CreateServiceInstanceResponse> createServiceInstance(CreateServiceInstanceRequest request) {
            return Mono.empty();
        }

        @Override
        public Mono<DeleteServiceInstanceResponse> deleteServiceInstance(DeleteServiceInstanceRequest request) {
            return Mono.empty();
        }
    }
}
