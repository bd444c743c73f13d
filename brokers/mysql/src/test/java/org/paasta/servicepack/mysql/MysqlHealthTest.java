package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.paasta.servicepack.testkit.BrokerTest;
import org.paasta.servicepack.testkit.OsbClient;
import org.paasta.servicepack.testkit.OsbResponse;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code /actuator/health} as an operator reads it: a {@code mysql} component, UP with the server's
 * version and address while the admin account gets in, DOWN with the reason, quickly, when it does
 * not; never the admin password.
 */
@BrokerTest
@TestPropertySource(properties = "management.endpoint.health.show-details=always")
class MysqlHealthTest {

    @Test
    void theHealthEndpointShowsTheServerAsTheAdminAccountSeesIt(OsbClient broker) throws Exception {
        OsbResponse health = broker.send("GET", "/actuator/health", null);
        assertThat(health.status()).as("%s", health).isEqualTo(200);
        JsonNode mysql = health.body().path("components").path("mysql");
        assertThat(mysql.path("status").asText()).isEqualTo("UP");
        assertThat(mysql.path("details").path("version").asText())
                .isEqualTo(MysqlServer.version());
        assertThat(MysqlServer.ADMIN_URL).contains("//" + mysql.path("details").path("address").asText() + "/");
        assertThat(health.body().path("components").has("db")).as("Boot's own check of the same pool is off").isFalse();
        if (!MysqlServer.ADMIN_PASSWORD.isEmpty()) {
            assertThat(health.rawBody()).doesNotContain(MysqlServer.ADMIN_PASSWORD);
        }
    }

    @Test
    void aWrongAdminPasswordIsDownWithTheServersReasonAndWithoutThePassword() {
        String wrong = "wrong-" + Passwords.generate();
        Health health = check(MysqlServer.ADMIN_URL, MysqlServer.ADMIN_USER, wrong);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("Access denied");
        assertThat(health.toString()).doesNotContain(wrong);
    }

    @Test
    void noServerIsDownWithinTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String password = Passwords.generate();
        long started = System.nanoTime();
        Health health = check("jdbc:mariadb://127.0.0.1:" + closedPort + "/", "nobody", password);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("address", "127.0.0.1:" + closedPort);
        assertThat(health.getDetails().get("error").toString()).isNotBlank();
        assertThat(health.toString()).doesNotContain(password);
    }

    /** One check through a pool configured as the broker's, with a short wait for a connection. */
    private static Health check(String url, String username, String password) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername(username);
            pool.setPassword(password);
            pool.setConnectionTimeout(1_000);
            pool.setInitializationFailTimeout(-1);
            return new MysqlHealth(pool, new MysqlProperties.Admin(url, username, password)).health();
        }
    }
}
