package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.KeyRotation;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rotating servicepack.secrets.key: with the old key in previous-keys the broker still answers GET
 * binding, seals every stored credential again under the new key, and then runs without the old one.
 */
class KeyRotationTest {
    static final String OLD_KEY = "the-old-secrets-key-0123456789abcdef";
    static final String NEW_KEY = "the-new-secrets-key-0123456789abcdef";
    final String store = "jdbc:h2:mem:rotation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    /** The fake broker on this test's store; settings as command-line arguments, over the profile's. */
    ConfigurableApplicationContext broker(String... settings) {
        String[] args = new String[settings.length + 2];
        args[0] = "--server.port=0";
        args[1] = "--servicepack.store.url=" + store;
        for (int i = 0; i < settings.length; i++) {
            args[i + 2] = "--" + settings[i];
        }
        return new SpringApplicationBuilder(FakeBrokerApplication.class).profiles("fake").run(args);
    }

    static OsbClient client(ConfigurableApplicationContext context) {
        return new OsbClient(URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")),
                "broker", "test-broker-password");
    }

    @Test
    void oldCredentialsOpenDuringTheRotationAndAreSealedUnderTheNewKeyAfterIt() {
        String instanceId = UUID.randomUUID().toString();
        String bindingId = UUID.randomUUID().toString();
        String password;
        try (ConfigurableApplicationContext before = broker("servicepack.secrets.key=" + OLD_KEY)) {
            assertThat(client(before).provision(instanceId, "fake-service-id", "fake-small", null, false).status())
                    .isEqualTo(201);
            OsbResponse bound = client(before).bind(instanceId, bindingId, "fake-service-id", "fake-small", null, false);
            password = bound.credentials().path("password").asText();
        }

        try (ConfigurableApplicationContext rotating = broker("servicepack.secrets.key=" + NEW_KEY,
                "servicepack.secrets.previous-keys=" + OLD_KEY)) {
            assertThat(client(rotating).fetchBinding(instanceId, bindingId).credentials().path("password").asText())
                    .as("opens under the previous key").isEqualTo(password);
            assertThat(rotating.getBean(KeyRotation.class).resealAll()).isGreaterThanOrEqualTo(0);
            DataSource store = rotating.getBean("servicePackStoreDataSource", DataSource.class);
            String sealed = new JdbcTemplate(store).queryForObject(
                    "SELECT credentials FROM sp_binding WHERE binding_id = ?", String.class, bindingId);
            assertThat(new SecretBox(NEW_KEY).isCurrent(sealed)).as("sealed under the new key").isTrue();
            assertThat(new SecretBox(OLD_KEY).isCurrent(sealed)).isFalse();
        }

        try (ConfigurableApplicationContext after = broker("servicepack.secrets.key=" + NEW_KEY)) {
            assertThat(client(after).fetchBinding(instanceId, bindingId).credentials().path("password").asText())
                    .as("the old key is no longer needed").isEqualTo(password);
        }
    }
}
