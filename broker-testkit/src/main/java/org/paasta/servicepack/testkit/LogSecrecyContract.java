package org.paasta.servicepack.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * No secret in any log line: a broker runs a whole lifecycle with every logger at DEBUG and the ones
 * that see SQL, packets and HTTP headers at TRACE, then every captured line is searched for the
 * binding passwords it handed out and the operator's secrets it was started with, as they are and
 * as they look URL-encoded or inside a basic-auth header. A broker extends this class with
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = {LogSecrecyContract.VERBOSE, ...})}.
 *
 * <p>The test process must not use the credentials itself: a client library of the test would log
 * them in the same output.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class LogSecrecyContract {
    /** Spring properties for the verbose logging this test needs (use them all). */
    public static final String VERBOSE = "logging.level.root=DEBUG";
    public static final String VERBOSE_JDBC = "logging.level.org.springframework.jdbc=TRACE";
    public static final String VERBOSE_DRIVERS = "logging.level.org.mariadb.jdbc=TRACE";
    public static final String VERBOSE_HTTP = "logging.level.sun.net.www=TRACE";
    public static final String VERBOSE_TOMCAT = "logging.level.org.apache.coyote.http11=TRACE";

    @Autowired(required = false)
    private ApplicationContext broker;

    /** A client of the running broker: the one {@link BrokerTest} started, unless overridden. */
    protected OsbClient client() {
        if (broker == null) {
            throw new IllegalStateException("annotate the test with @BrokerTest, or override client()");
        }
        return OsbClientResolver.clientOf(broker);
    }

    /** The service and plan of the lifecycle, by their catalog names. */
    protected abstract String serviceName();

    protected abstract String planName();

    /** The secrets the broker was started with: its password, the secrets key, backend admin passwords. */
    protected abstract List<String> operatorSecrets();

    protected Map<String, Object> provisionParameters() {
        return null;
    }

    @Test
    void noSecretReachesAnyLogLine(CapturedOutput output) {
        OsbClient client = client();
        Catalog catalog = Catalog.of(client);
        String serviceId = catalog.serviceId(serviceName());
        String planId = catalog.planId(serviceName(), planName());
        String instanceId = UUID.randomUUID().toString();
        OsbResponse provisioned = client.provision(instanceId, serviceId, planId, provisionParameters(), false);
        assertThat(provisioned.status()).as("provision %s", provisioned).isIn(201, 202);
        if (provisioned.status() == 202) {
            client.awaitInstance(instanceId, provisioned.text("operation"), java.time.Duration.ofSeconds(60));
        }
        Set<String> secrets = new LinkedHashSet<>(operatorSecrets());
        secrets.add(client.authorization().substring("Basic ".length()));
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String bindingId = UUID.randomUUID().toString();
            OsbResponse bound = client.bind(instanceId, bindingId, serviceId, planId, null, false);
            assertThat(bound.status()).as("bind %s", bound).isEqualTo(201);
            secrets.addAll(passwordsIn(bound.credentials()));
            client.fetchBinding(instanceId, bindingId);
            bindings.add(bindingId);
        }
        for (String bindingId : bindings) {
            assertThat(client.unbind(instanceId, bindingId, serviceId, planId, false).status()).isEqualTo(200);
        }
        OsbResponse deleted = client.deprovision(instanceId, serviceId, planId, false);
        assertThat(deleted.status()).as("deprovision %s", deleted).isEqualTo(200);

        String log = output.getAll();
        assertThat(log).as("the broker really logged at DEBUG").contains("DEBUG");
        assertThat(secrets).as("binding passwords were handed out").hasSizeGreaterThan(operatorSecrets().size());
        for (String secret : secrets) {
            for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                assertThat(log.contains(form)).as("a secret of %d characters appears in the log", secret.length())
                        .isFalse();
            }
        }
    }

    /** Every password the credentials carry: fields named like one, and the password part of URIs. */
    static List<String> passwordsIn(JsonNode credentials) {
        List<String> passwords = new ArrayList<>();
        credentials.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                passwords.addAll(passwordsIn(value));
            } else if (value.isTextual() && field.getKey().toLowerCase().contains("password")) {
                passwords.add(value.asText());
            } else if (value.isTextual() && value.asText().contains("@")) {
                String userInfo = userInfo(value.asText());
                if (userInfo != null && userInfo.contains(":")) {
                    passwords.add(URLDecoder.decode(userInfo.substring(userInfo.indexOf(':') + 1),
                            StandardCharsets.UTF_8));
                }
            }
        });
        return passwords;
    }

    private static String userInfo(String text) {
        try {
            return URI.create(text).getRawUserInfo();
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
    }
}
