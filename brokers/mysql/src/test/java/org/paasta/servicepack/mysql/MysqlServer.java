package org.paasta.servicepack.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The real MySQL/MariaDB server the tests run against, from the same environment variables as the
 * broker (MYSQL_ADMIN_URL, MYSQL_ADMIN_USERNAME, MYSQL_ADMIN_PASSWORD), with loopback defaults.
 */
final class MysqlServer {
    static final String ADMIN_URL = env("MYSQL_ADMIN_URL", "jdbc:mariadb://127.0.0.1:3306/");
    static final String ADMIN_USER = env("MYSQL_ADMIN_USERNAME", "root");
    static final String ADMIN_PASSWORD = env("MYSQL_ADMIN_PASSWORD", "");

    private MysqlServer() {
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
    }

    /** Connects as an app does with Connector/J and the binding's jdbcUrl. */
    static Connection connectWithJdbcUrl(JsonNode credentials) throws SQLException {
        return DriverManager.getConnection(credentials.path("jdbcUrl").asText());
    }

    /** Connects the PaaS-TA way: "jdbc:" + uri, user and password from their own fields. */
    static Connection connectWithUri(JsonNode credentials) throws SQLException {
        String uri = credentials.path("uri").asText();
        String withoutUserInfo = uri.replaceFirst("//[^@]*@", "//");
        Properties properties = new Properties();
        properties.setProperty("user", credentials.path("username").asText());
        properties.setProperty("password", credentials.path("password").asText());
        return DriverManager.getConnection("jdbc:" + withoutUserInfo, properties);
    }

    static boolean databaseExists(String instanceId) throws SQLException {
        return !query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                ResourceNames.database(instanceId)).isEmpty();
    }

    static List<String> usersOf(String instanceId) throws SQLException {
        return query("SELECT User FROM mysql.user WHERE User LIKE ?",
                ResourceNames.userPrefix(instanceId).replace("_", "\\_") + "%");
    }

    static List<String> brokerDatabases() throws SQLException {
        return query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?", "cf\\_%");
    }

    static String version() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT VERSION()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    static int maxUserConnections(String user) throws SQLException {
        List<String> rows = query("SELECT max_user_connections FROM mysql.user WHERE User = ?", user);
        return rows.isEmpty() ? -1 : Integer.parseInt(rows.get(0));
    }

    static List<String> query(String sql, String parameter) throws SQLException {
        try (Connection connection = admin()) {
            return query(connection, sql, parameter);
        }
    }

    /** The first column of every row {@code sql} returns for one parameter, on {@code connection}. */
    static List<String> query(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
