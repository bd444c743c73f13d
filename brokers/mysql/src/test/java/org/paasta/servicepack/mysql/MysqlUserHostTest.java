package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;

/**
 * {@code servicepack.mysql.user-host} ({@code MYSQL_USER_HOST}) restricts where binding accounts may connect
 * from: the server itself refuses a login from any other address.
 */
class MysqlUserHostTest {
    /** The backend reads a plan's name and limits only; its ids here are placeholders. */
    static final Plan<MysqlLimits> PLAN = new Plan<>("mysql-service-id", MysqlBrokerContractTest.SERVICE,
            "mysql-plan-10-id", MysqlBrokerContractTest.PLAN_10, new MysqlLimits(10, 100), null);

    HikariDataSource admin;
    String instanceId = UUID.randomUUID().toString();

    @BeforeEach
    void pool() {
        admin = new HikariDataSource();
        admin.setJdbcUrl(MysqlServer.ADMIN_URL);
        admin.setUsername(MysqlServer.ADMIN_USER);
        admin.setPassword(MysqlServer.ADMIN_PASSWORD);
        admin.setMaximumPoolSize(2);
    }

    @AfterEach
    void cleanUp() {
        backend("%").deprovision(new DeprovisionRequest<>(instanceId, PLAN, List.of(), Origin.NONE));
        admin.close();
    }

    MysqlBackend backend(String userHost) {
        MysqlProperties properties = new MysqlProperties(new MysqlProperties.Admin(MysqlServer.ADMIN_URL,
                MysqlServer.ADMIN_USER, MysqlServer.ADMIN_PASSWORD), "127.0.0.1", 3306, userHost, "", Duration.ZERO,
                ConnectionLimitMode.SPLIT, List.of());
        return new MysqlBackend(admin, properties);
    }

    @Test
    void accountsExistOnlyForTheConfiguredHosts() throws SQLException {
        MysqlBackend elsewhere = backend("10.255.%");
        elsewhere.provision(new ProvisionRequest<>(instanceId, PLAN, Map.of(), Origin.NONE));
        Credentials refused = elsewhere.bind(bind("app-network-only"));
        assertThat(MysqlServer.query("SELECT Host FROM mysql.user WHERE User = ?",
                refused.asMap().get("username").toString())).containsExactly("10.255.%");
        assertThatThrownBy(() -> MysqlServer.connectWithJdbcUrl(new ObjectMapper().valueToTree(refused.asMap()))
                .close()).isInstanceOf(SQLException.class);

        MysqlBackend loopback = backend("127.0.0.1");
        Credentials allowed = loopback.bind(bind("loopback"));
        MysqlServer.connectWithJdbcUrl(new ObjectMapper().valueToTree(allowed.asMap())).close();
        assertThat(MysqlServer.usersOf(instanceId)).hasSize(2);
    }

    @Test
    void aNetmaskIsAnAccountHostToo() throws SQLException {
        MysqlBackend netmask = backend("10.0.0.0/255.0.0.0");
        netmask.provision(new ProvisionRequest<>(instanceId, PLAN, Map.of(), Origin.NONE));
        Credentials credentials = netmask.bind(bind("netmask"));
        assertThat(MysqlServer.query("SELECT Host FROM mysql.user WHERE User = ?",
                credentials.asMap().get("username").toString())).containsExactly("10.0.0.0/255.0.0.0");
    }

    @Test
    void aBindingMadeUnderAnEarlierSettingIsStillRevoked() throws SQLException {
        backend("10.255.%").provision(new ProvisionRequest<>(instanceId, PLAN, Map.of(), Origin.NONE));
        backend("10.255.%").bind(bind("before-the-change"));
        backend("127.0.0.1").unbind(new UnbindRequest<>(instanceId, "before-the-change", PLAN, List.of(),
                Origin.NONE));
        assertThat(MysqlServer.usersOf(instanceId)).isEmpty();
    }

    BindRequest<MysqlLimits> bind(String bindingId) {
        return new BindRequest<>(instanceId, bindingId, PLAN, Map.of(), Map.of(), null, null, List.of(), Origin.NONE);
    }
}
