package org.paasta.servicepack.sdk.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The dashboard's settings: a public base URL, a loud loopback one, a bad one, and both pages switched off. */
@ExtendWith(OutputCaptureExtension.class)
class DashboardSettingsTest {
    static SpringApplicationBuilder broker(String... properties) {
        return new SpringApplicationBuilder(FakeBrokerApplication.class).profiles("fake")
                .properties("server.port=0", "servicepack.store.url=jdbc:h2:mem:dashboard-settings-" + System.nanoTime())
                .properties(properties);
    }

    static OsbClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new OsbClient(URI.create("http://127.0.0.1:" + port), "broker", "test-broker-password");
    }

    static int status(OsbClient client, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(client.base().resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void linksUseTheConfiguredPublicBaseAndALoopbackOneIsLoud(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = broker("servicepack.dashboard.base-url=http://127.0.0.1:9/sp/")
                .run()) {
            String instanceId = UUID.randomUUID().toString();
            OsbResponse created = client(context).provision(instanceId, "fake-service-id", "fake-small", null, false);
            assertThat(created.text("dashboard_url")).startsWith("http://127.0.0.1:9/sp/dashboard/instances/"
                    + instanceId + "?token=");
            assertThat(output.getAll()).contains("LOOPBACK ADDRESS IN DASHBOARD LINKS");
        }
    }

    @Test
    void aBaseThatIsNoHttpUrlStopsTheStart() {
        assertThatThrownBy(() -> broker("servicepack.dashboard.base-url=broker.example.com").run().close())
                .satisfies(e -> assertThat(StartupTest.rootOf(e)).isInstanceOf(MissingSettingException.class)
                        .hasMessageContaining("SERVICEPACK_DASHBOARD_BASE_URL").hasMessageContaining("broker.example.com"));
        assertThatThrownBy(() -> broker("servicepack.dashboard.token-ttl=0s").run().close())
                .satisfies(e -> assertThat(StartupTest.rootOf(e)).hasMessageContaining("servicepack.dashboard.token-ttl"));
    }

    @Test
    void switchedOffThereIsNoDashboardUrlAndNoPage() throws Exception {
        try (ConfigurableApplicationContext context = broker("servicepack.dashboard.enabled=false",
                "servicepack.marketplace.enabled=false").run()) {
            OsbClient client = client(context);
            String instanceId = UUID.randomUUID().toString();
            OsbResponse created = client.provision(instanceId, "fake-service-id", "fake-small", null, false);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.body().has("dashboard_url")).isFalse();
            assertThat(client.fetchInstance(instanceId).body().has("dashboard_url")).isFalse();
            assertThat(status(client, "/dashboard/instances/" + instanceId + "?token=x.y")).isEqualTo(404);
            assertThat(status(client, "/marketplace")).isEqualTo(404);
        }
    }
}
