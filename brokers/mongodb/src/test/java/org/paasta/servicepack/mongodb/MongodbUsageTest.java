package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;
import org.paasta.servicepack.sdk.UsageRequest;

/**
 * The dashboard's usage of an instance ({@link MongodbBackend#usage}), read from the tests' MongoDB
 * ({@link MongoTarget}) before and after an application writes with its binding's credentials.
 */
class MongodbUsageTest {
    /** Two bindings and a 1 MB storage allowance: both limits can be reached in a test. */
    private static final Plan<MongodbLimits> SMALL_PLAN = Requests.plan(2, 1);

    private static MongoClient admin;
    private static MongodbBackend backend;

    @BeforeAll
    static void connectAsAdmin() {
        ConnectionString uri = new ConnectionString(MongoTarget.adminUri());
        admin = MongodbBrokerApplication.adminClient(uri);
        backend = new MongodbBackend(admin, ClientAddress.of(uri, List.of()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void numbersChangeWhenAnAppWritesAndNoticesSayWhenALimitIsReached() {
        String instance = UUID.randomUUID().toString();
        backend.provision(new ProvisionRequest<>(instance, SMALL_PLAN, Map.of(), Origin.NONE));
        Credentials app = backend.bind(bind(instance, "app", List.of()));

        Usage before = usage(instance, List.of("app"));
        assertThat(measure(before, DatabaseUsage.STORAGE).limit()).isEqualTo(1.0);
        assertThat(measure(before, DatabaseUsage.STORAGE).unit()).isEqualTo("MB");
        assertThat(measure(before, DatabaseUsage.DATA).limit()).isNull();
        assertThat(measure(before, DatabaseUsage.COLLECTIONS).used()).as("the broker's instance record").isEqualTo(1);
        assertThat(measure(before, DatabaseUsage.DOCUMENTS).used()).isEqualTo(1);
        assertThat(measure(before, DatabaseUsage.USERS).used()).isEqualTo(1);
        assertThat(measure(before, DatabaseUsage.USERS).limit()).isEqualTo(2.0);
        assertThat(before.notices()).isEmpty();

        // 2,000 documents of 1 KiB of random text (which compression cannot shrink much), as the app.
        try (MongoClient client = AppClients.connect(app)) {
            MongoCollection<Document> notes = AppClients.database(client, app).getCollection("notes");
            SecureRandom random = new SecureRandom();
            for (int batch = 0; batch < 20; batch++) {
                List<Document> documents = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    byte[] bytes = new byte[768];
                    random.nextBytes(bytes);
                    documents.add(new Document("text", Base64.getEncoder().encodeToString(bytes)));
                }
                notes.insertMany(documents);
            }
        }
        // mongod's storageSize grows when data reaches disk: checkpoint now rather than in 60 s.
        admin.getDatabase("admin").runCommand(new Document("fsync", 1));

        Usage after = usage(instance, List.of("app"));
        assertThat(measure(after, DatabaseUsage.DOCUMENTS).used()).isEqualTo(2001);
        assertThat(measure(after, DatabaseUsage.COLLECTIONS).used()).isEqualTo(2);
        assertThat(measure(after, DatabaseUsage.DATA).used()).as("MB after 2,000 KiB of text")
                .isGreaterThan(measure(before, DatabaseUsage.DATA).used() + 1.9);
        assertThat(measure(after, DatabaseUsage.STORAGE).used())
                .isGreaterThan(measure(before, DatabaseUsage.STORAGE).used())
                .isGreaterThanOrEqualTo(1.0);
        assertThat(after.notices()).singleElement().satisfies(notice -> {
            assertThat(notice.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(notice.text().en()).contains("storage allowance of 1 MB");
            assertThat(notice.text().ko()).contains("저장 공간 한도(1 MB)");
        });

        backend.bind(bind(instance, "second", List.of("app")));
        Usage full = usage(instance, List.of("app", "second"));
        assertThat(measure(full, DatabaseUsage.USERS).used()).isEqualTo(2);
        assertThat(full.notices()).filteredOn(n -> n.text().en().contains("bind is refused")).singleElement()
                .satisfies(notice -> {
                    assertThat(notice.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(notice.text().ko()).contains("바인딩 한도(2)");
                });

        backend.deprovision(Requests.deprovision(instance, "app", "second"));
    }

    @Test
    void anUnreachableOrSilentServerGivesBackendUnavailableWithinTheUsageTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // No serverSelectionTimeoutMS in these URIs: the admin client alone would wait 10 s.
            for (String uri : List.of("mongodb://admin:x@127.0.0.1:1/admin",
                    "mongodb://admin:x@127.0.0.1:" + silent.getLocalPort() + "/admin")) {
                ConnectionString broken = new ConnectionString(uri);
                try (MongoClient client = MongodbBrokerApplication.adminClient(broken)) {
                    MongodbBackend brokenBackend = new MongodbBackend(client, ClientAddress.of(broken, List.of()));
                    long started = System.nanoTime();
                    assertThatThrownBy(() -> brokenBackend.usage(new UsageRequest<>("any", SMALL_PLAN, Map.of(),
                            List.of()))).as(uri).isInstanceOf(BackendUnavailableException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - started))
                            .isLessThan(MongodbBackend.USAGE_TIMEOUT.plusSeconds(1));
                }
            }
        }
    }

    private static BindRequest<MongodbLimits> bind(String instance, String binding, List<String> others) {
        return new BindRequest<>(instance, binding, SMALL_PLAN, Map.of(), Map.of(), "app-guid", null, others,
                Origin.NONE);
    }

    private static Usage usage(String instance, List<String> bindings) {
        return backend.usage(new UsageRequest<>(instance, SMALL_PLAN, Map.of(), bindings));
    }

    private static Measure measure(Usage usage, Text label) {
        return usage.measures().stream().filter(m -> m.label().equals(label) && Objects.isNull(m.binding()))
                .findFirst().orElseThrow(() -> new AssertionError("no measure " + label.en() + " in " + usage));
    }
}
