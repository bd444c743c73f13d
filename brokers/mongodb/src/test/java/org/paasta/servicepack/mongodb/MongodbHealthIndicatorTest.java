package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The {@code mongodb} health component against the tests' MongoDB ({@link MongoTarget}), and against none. */
class MongodbHealthIndicatorTest {

    @Test
    void upNamesTheHostsAndTheServersVersion() {
        ConnectionString uri = new ConnectionString(MongoTarget.adminUri());
        try (MongoClient admin = MongodbBrokerApplication.adminClient(uri)) {
            Health health = new MongodbHealthIndicator(admin, uri.getHosts(), Duration.ofSeconds(5)).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("hosts", uri.getHosts());
            String version = admin.getDatabase("admin").runCommand(new Document("buildInfo", 1)).getString("version");
            assertThat(health.getDetails().get("version")).isEqualTo(version);
            assertThat(health.getDetails().toString()).doesNotContain(new String(uri.getPassword()));
        }
    }

    @Test
    void aRefusedLoginIsDownNamingTheHostsAndNotThePassword() {
        String password = Passwords.generate();
        ConnectionString uri = new ConnectionString(MongoTarget.adminUriWithPassword(password));
        try (MongoClient admin = MongodbBrokerApplication.adminClient(uri)) {
            // A generous limit: on a loaded machine the SCRAM exchange alone took longer than 5 s, and
            // the check then (rightly) reported a timeout instead of the refused login.
            Health health = new MongodbHealthIndicator(admin, uri.getHosts(), Duration.ofSeconds(30)).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(health.getDetails().get("error")))
                    .contains(uri.getHosts().get(0)).contains("refused the broker's admin login");
            assertThat(health.getDetails().toString()).doesNotContain(password);
        }
    }

    @Test
    void noServerIsDownNamingTheHost() {
        ConnectionString uri = new ConnectionString("mongodb://admin:x@127.0.0.1:9/admin?serverSelectionTimeoutMS=500");
        try (MongoClient admin = MongodbBrokerApplication.adminClient(uri)) {
            Health health = new MongodbHealthIndicator(admin, uri.getHosts(), Duration.ofSeconds(5)).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(health.getDetails().get("error"))).contains("127.0.0.1:9 cannot be reached");
        }
    }

    /** The admin client alone would wait 10 s for a server; the health check gives up after its own timeout. */
    @Test
    void aServerThatNeverAnswersIsDownWithinTheHealthTimeout() throws Exception {
        // The kernel completes the TCP handshake for the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ConnectionString uri = new ConnectionString("mongodb://admin:x@127.0.0.1:" + silent.getLocalPort()
                    + "/admin");
            try (MongoClient admin = MongodbBrokerApplication.adminClient(uri)) {
                long started = System.nanoTime();
                Health health = new MongodbHealthIndicator(admin, List.of("127.0.0.1:" + silent.getLocalPort()),
                        Duration.ofSeconds(1)).health();
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(String.valueOf(health.getDetails().get("error"))).contains("cannot be reached within 1000 ms");
                assertThat(took).isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
