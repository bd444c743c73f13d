package org.paasta.servicepack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code servicepack.mysql.*} as an operator sets it: through the broker's own application.yml and
 * the environment variables it names, bound as Spring Boot binds them at start.
 */
class MysqlPropertiesTest {

    @Test
    void withNothingSetTheBrokerAdministersTheMachinesOwnServer() throws IOException {
        MysqlProperties properties = bind(Map.of());
        assertThat(properties.admin().url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/");
        assertThat(properties.admin().username()).isEqualTo("root");
        assertThat(properties.admin().password()).isEmpty();
        assertThat(properties.host()).isEqualTo("127.0.0.1");
        assertThat(properties.port()).isEqualTo(3306);
        assertThat(properties.userHost()).isEqualTo("%");
        assertThat(properties.jdbcUrlOptions()).isEmpty();
        assertThat(properties.quotaCheckInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.connectionLimitMode()).isEqualTo(ConnectionLimitMode.SPLIT);
    }

    @Test
    void theShortEnvironmentVariablesAndTheLongOnesSetEverySetting() throws IOException {
        MysqlProperties properties = bind(Map.of(
                "MYSQL_ADMIN_URL", "jdbc:mariadb://db.example.internal:3307/",
                "MYSQL_ADMIN_USERNAME", "broker_admin",
                "MYSQL_ADMIN_PASSWORD", "admin-secret",
                "MYSQL_HOST", "mysql.apps.example.com",
                "MYSQL_PORT", "13306",
                "MYSQL_USER_HOST", "10.244.%",
                "SERVICEPACK_MYSQL_JDBC_URL_OPTIONS", "sslMode=REQUIRED",
                "SERVICEPACK_MYSQL_QUOTA_CHECK_INTERVAL", "0",
                "SERVICEPACK_MYSQL_CONNECTION_LIMIT_MODE", "per-binding"));
        assertThat(properties.admin().url()).isEqualTo("jdbc:mariadb://db.example.internal:3307/");
        assertThat(properties.admin().username()).isEqualTo("broker_admin");
        assertThat(properties.admin().password()).isEqualTo("admin-secret");
        assertThat(properties.host()).isEqualTo("mysql.apps.example.com");
        assertThat(properties.port()).isEqualTo(13306);
        assertThat(properties.userHost()).isEqualTo("10.244.%");
        assertThat(properties.jdbcUrlOptions()).isEqualTo("sslMode=REQUIRED");
        assertThat(properties.quotaCheckInterval()).isZero();
        assertThat(properties.connectionLimitMode()).isEqualTo(ConnectionLimitMode.PER_BINDING);
        assertThat(properties.nodes()).as("a single server by default").isEmpty();
    }

    @Test
    void aGaleraClustersNodesAreReachedWithTheAdminUrlsDriverAndOptions() throws IOException {
        MysqlProperties properties = bind(Map.of(
                "MYSQL_ADMIN_URL", "jdbc:mariadb:sequential://db1:3306,db2:3306/?sslMode=trust",
                "MYSQL_NODES", "db1:3306, db2:3306,[fd00::3]:3306"));
        assertThat(properties.nodes()).containsExactly("db1:3306", "db2:3306", "[fd00::3]:3306");
        assertThat(MysqlNodes.nodeUrl(properties.admin().url(), "db2:3306"))
                .isEqualTo("jdbc:mariadb://db2:3306/?sslMode=trust");
        assertThat(MysqlNodes.nodeUrl("jdbc:mysql://db:3306/", "db3:3306")).isEqualTo("jdbc:mysql://db3:3306/");
    }

    @Test
    void unusableValuesNameTheVariableToSet() {
        assertMissing(Map.of("MYSQL_HOST", " "), "MYSQL_HOST");
        assertMissing(Map.of("MYSQL_PORT", "0"), "MYSQL_PORT");
        assertMissing(Map.of("MYSQL_USER_HOST", "%' OR '1"), "MYSQL_USER_HOST");
        assertMissing(Map.of("MYSQL_ADMIN_URL", "mysql://db:3306/"), "MYSQL_ADMIN_URL");
        assertMissing(Map.of("MYSQL_ADMIN_USERNAME", ""), "MYSQL_ADMIN_USERNAME");
        assertMissing(Map.of("MYSQL_NODES", "db1:3306,db2/x"), "MYSQL_NODES");
    }

    @Test
    void theAdminAddressLeavesUserInfoDatabaseAndOptionsOut() {
        MysqlProperties.Admin admin = new MysqlProperties.Admin(
                "jdbc:mysql://broker:pw-in-url@db1:3306,db2:3306/mysql?password=pw-in-options", "broker", "secret");
        assertThat(admin.address()).isEqualTo("db1:3306,db2:3306");
        assertThat(admin.toString()).doesNotContain("pw-in-url", "pw-in-options", "secret");
    }

    private static void assertMissing(Map<String, String> environment, String variable) {
        assertThatThrownBy(() -> bind(environment)).rootCause().isInstanceOf(MissingSettingException.class)
                .satisfies(e -> assertThat(((MissingSettingException) e).settings())
                        .singleElement().satisfies(s -> assertThat(s.variable()).isEqualTo(variable)));
    }

    /** application.yml under the given environment variables, as the broker reads it. */
    private static MysqlProperties bind(Map<String, String> variables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bindOrCreate("servicepack.mysql", MysqlProperties.class);
    }
}
