package org.paasta.servicepack.sdk.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.paasta.servicepack.sdk.OperationType;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The state store's decisions on each database it supports, real servers on 127.0.0.1: the
 * embedded H2 default, MariaDB/MySQL and PostgreSQL (env MYSQL_ADMIN_URL/_USERNAME/_PASSWORD and
 * POSTGRES_URL/_USERNAME/_PASSWORD override the loopback defaults). Each run gets a fresh database.
 */
class StateStoreDatabasesTest {
    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("h2", "jdbc:h2:mem:", "", ""),
                Arguments.of("mariadb", env("MYSQL_ADMIN_URL", "jdbc:mariadb://127.0.0.1:3306/"),
                        env("MYSQL_ADMIN_USERNAME", "root"), env("MYSQL_ADMIN_PASSWORD", "")),
                Arguments.of("postgresql", env("POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/"),
                        env("POSTGRES_USERNAME", "postgres"), env("POSTGRES_PASSWORD", "")));
    }

    /** A fresh, migrated database of the vendor; returns its DataSource. */
    static DataSource fresh(String vendor, String serverUrl, String user, String password) throws Exception {
        String name = "sp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url;
        if (vendor.equals("h2")) {
            url = serverUrl + name + ";DB_CLOSE_DELAY=-1";
        } else {
            String admin = vendor.equals("postgresql") ? serverUrl + "postgres" : serverUrl;
            try (Connection connection = DriverManager.getConnection(admin, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
            url = serverUrl + name;
        }
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user, password);
        Flyway.configure().dataSource(dataSource).table("sp_schema_history").failOnMissingLocations(false)
                .locations("classpath:db/servicepack/common", "classpath:db/servicepack/" + vendor).load().migrate();
        return dataSource;
    }

    static StateStore store(DataSource dataSource) {
        return new StateStore(new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), new ObjectMapper());
    }

    static InstanceRecord instance(String id, String operationId) {
        return new InstanceRecord(id, "service", "plan", Map.of("name", "데이터"), "1.0.0", null,
                Map.of("space_name", "dev"), "org-1", "space-1", InstanceState.PROVISIONING, operationId, 1, 1);
    }

    static OperationRecord operation(String id, String instanceId, String owner, long leaseUntil) {
        return new OperationRecord(id, instanceId, null, OperationType.PROVISION, OperationStatus.IN_PROGRESS, null,
                new LinkedHashMap<>(), Map.of("platform", "cloudfoundry"), owner, leaseUntil, 1, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theDatabaseDecidesRacesOnEveryVendor(String vendor, String url, String user, String password)
            throws Exception {
        StateStore store = store(fresh(vendor, url, user, password));

        assertThat(store.insertInstance(instance("ABC", "op-1"), operation("op-1", "ABC", "a", 10))).isTrue();
        assertThat(store.insertInstance(instance("ABC", "op-2"), operation("op-2", "ABC", "a", 10)))
                .as("the same id twice").isFalse();
        assertThat(store.operation("op-2")).as("the loser's operation is rolled back").isEmpty();
        assertThat(store.insertInstance(instance("abc", "op-3"), operation("op-3", "abc", "a", 10)))
                .as("ids are case-sensitive").isTrue();
        assertThat(store.instance("ABC")).isPresent();
        assertThat(store.instance("AbC")).isEmpty();
        assertThat(store.instance("ABC").orElseThrow().parameters()).containsEntry("name", "데이터");

        assertThat(store.settleInstance("ABC", "op-1", InstanceState.READY, null, null, null, 2)).isTrue();
        OperationRecord update = new OperationRecord("op-4", "ABC", null, OperationType.UPDATE,
                OperationStatus.IN_PROGRESS, null, new LinkedHashMap<>(), Map.of(), "a", 10, 3, 3);
        assertThat(store.startInstanceOperation("ABC", InstanceState.READY, "op-1", InstanceState.UPDATING, update))
                .isTrue();
        OperationRecord rival = new OperationRecord("op-5", "ABC", null, OperationType.DEPROVISION,
                OperationStatus.IN_PROGRESS, null, new LinkedHashMap<>(), Map.of(), "b", 10, 3, 3);
        assertThat(store.startInstanceOperation("ABC", InstanceState.READY, "op-1", InstanceState.DEPROVISIONING,
                rival)).as("only one operation may start from READY").isFalse();

        // Leases: a live lease keeps a rival replica out; an expired one lets it take over.
        assertThat(store.claim("op-4", "b", 100, 5)).as("lease of a live at 5 < 10").isFalse();
        assertThat(store.abandonedOperations(11, 10)).contains("op-4");
        assertThat(store.claim("op-4", "b", 100, 11)).isTrue();
        assertThat(store.claim("op-4", "a", 100, 12)).as("b holds it now").isFalse();
        assertThat(store.finishOperation("op-4", OperationStatus.SUCCEEDED, null, 13)).isTrue();
        assertThat(store.claim("op-4", "a", 100, 200)).as("finished operations are never claimed").isFalse();

        BindingRecord binding = new BindingRecord("B1", "ABC", "service", "plan", Map.of(), null, null, null,
                BindingState.BINDING, "op-6", null, 1, 1);
        store.inTransaction(() -> {
            store.lockInstance("ABC");
            store.insertBinding(binding);
            return null;
        });
        assertThatThrownBy(() -> store.inTransaction(() -> {
            store.insertBinding(binding);
            return null;
        })).isInstanceOf(DuplicateKeyException.class);
        assertThat(store.busyBindings("ABC")).isEqualTo(1);
        StateStore.OperationPoll latest = store.pollInstanceOperation("ABC", null).orElseThrow();
        assertThat(latest.operation().operationId()).isIn("op-4", "op-1");
        assertThat(latest.resourceExists()).isTrue();
        assertThat(store.pollInstanceOperation("ABC", "op-1").orElseThrow().operation().type())
                .isEqualTo(OperationType.PROVISION);
        assertThat(store.pollInstanceOperation("abc", "op-1")).as("an operation of another instance").isEmpty();
        assertThat(store.pollInstanceOperation("AbC", null)).isEmpty();

        store.deleteInstance("ABC", "op-4");
        assertThat(store.instance("ABC")).isEmpty();
        assertThat(store.pollInstanceOperation("ABC", "op-4").orElseThrow().resourceExists())
                .as("operations outlive their instance, for the final poll").isFalse();
        assertThat(store.bindingsOf("ABC")).isEmpty();
        assertThat(store.instance("abc")).isPresent();
    }
}
