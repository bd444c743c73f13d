package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** A broker that cannot run safely must not start, and must say why; a demo default must be loud. */
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {
    static SpringApplicationBuilder broker(String... properties) {
        return new SpringApplicationBuilder(FakeBrokerApplication.class)
                .properties("server.port=0", "servicepack.store.url=jdbc:h2:mem:startup-" + System.nanoTime())
                .properties(properties);
    }

    static Throwable rootOf(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && !(cause instanceof MissingSettingException)
                && !(cause instanceof CatalogException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void noBrokerPasswordOutsideTheDevProfileStopsTheStart() {
        assertThatThrownBy(() -> broker("servicepack.catalog.files=classpath:catalog/fake.yml",
                "servicepack.secrets.key=startup-test-key-0123456789").run().close())
                .satisfies(e -> assertThat(rootOf(e)).isInstanceOf(MissingSettingException.class)
                        .hasMessageContaining("servicepack.security.password"));
    }

    @Test
    void noSecretsKeyStopsTheStart() {
        assertThatThrownBy(() -> broker("servicepack.catalog.files=classpath:catalog/fake.yml",
                "servicepack.security.username=u", "servicepack.security.password=p").run().close())
                .satisfies(e -> assertThat(rootOf(e)).hasMessageContaining("servicepack.secrets.key"));
    }

    @Test
    void limitsThatDoNotFitTheBrokersTypeStopTheStartNamingFileAndPlan() {
        assertThatThrownBy(() -> broker("spring.profiles.active=dev",
                "servicepack.catalog.files=classpath:catalog/fake-bad-limits.yml").run().close())
                .satisfies(e -> assertThat(rootOf(e)).isInstanceOf(CatalogException.class)
                        .hasMessageContaining("classpath:catalog/fake-bad-limits.yml: plan 'small'")
                        .hasMessageContaining("plan 'large'"));
    }

    @Test
    void theDevProfileStartsWithALoudWarning(CapturedOutput output) {
        try (ConfigurableApplicationContext context = broker("spring.profiles.active=dev",
                "servicepack.catalog.files=classpath:catalog/fake.yml").run()) {
            assertThat(context.isRunning()).isTrue();
            assertThat(output.getAll()).contains("DEV PROFILE").contains("Never use the dev profile");
        }
    }
}
