package org.paasta.servicepack.mysql;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code servicepack.mysql.*}: the MySQL/MariaDB server the broker administers, and what apps are
 * told about it. The defaults are a developer's machine (a server on 127.0.0.1:3306 with root);
 * the SDK warns at start when the {@code host} apps are given is a loopback address.
 *
 * @param admin               how the broker logs in to administer the server
 * @param host                host name apps connect to (the credentials' {@code hostname}): the
 *                            server's address as apps see it ({@code MYSQL_HOST})
 * @param port                the port apps connect to ({@code MYSQL_PORT})
 * @param userHost            host part of the binding accounts, where apps may connect from:
 *                            {@code %} anywhere, or the application network only, e.g.
 *                            {@code 10.244.%} or {@code 10.0.0.0/255.255.0.0} ({@code MYSQL_USER_HOST})
 * @param jdbcUrlOptions      extra query options for the credentials' {@code jdbcUrl}, e.g.
 *                            {@code sslMode=REQUIRED} where the server has TLS (MySQL 8's
 *                            caching_sha2_password needs TLS or public key retrieval)
 * @param quotaCheckInterval  how often plans' {@code storage_mb} is enforced; zero turns it off
 * @param connectionLimitMode the meaning of a plan's connection number for instances that do not
 *                            choose: {@code split} (PaaS-TA) or {@code per-binding} (Cloud Foundry)
 * @param nodes               a Galera cluster's nodes as {@code host:port}, each reachable by the broker
 *                            with the admin account ({@code MYSQL_NODES}, comma-separated); empty for a
 *                            single server. The broker ends an unbound binding's sessions on each node
 *                            and waits until each has applied an account change (see {@link MysqlNodes})
 */
@ConfigurationProperties("servicepack.mysql")
public record MysqlProperties(@DefaultValue Admin admin,
                              @DefaultValue("127.0.0.1") String host,
                              @DefaultValue("3306") int port,
                              @DefaultValue("%") String userHost,
                              @DefaultValue("") String jdbcUrlOptions,
                              @DefaultValue("60s") Duration quotaCheckInterval,
                              @DefaultValue("split") ConnectionLimitMode connectionLimitMode,
                              @DefaultValue List<String> nodes) {
    private static final Pattern NODE = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}");

    public MysqlProperties {
        if (admin == null) {
            throw new MissingSettingException("servicepack.mysql.admin.url", "MYSQL_ADMIN_URL",
                    "JDBC URL of the server the broker administers, e.g. jdbc:mariadb://db.example.internal:3306/");
        }
        if (host == null || host.isBlank()) {
            throw new MissingSettingException("servicepack.mysql.host", "MYSQL_HOST",
                    "the MySQL server's address as apps reach it, written into their credentials");
        }
        if (port < 1 || port > 65535) {
            throw new MissingSettingException("servicepack.mysql.port", "MYSQL_PORT",
                    "the port apps connect to, 1 to 65535 (was " + port + ")");
        }
        if (userHost == null || !Account.HOST.matcher(userHost).matches()) {
            throw new MissingSettingException("servicepack.mysql.user-host", "MYSQL_USER_HOST",
                    "host part of the binding accounts: %, a name or address, a pattern such as 10.244.% or"
                            + " addr/netmask such as 10.0.0.0/255.255.0.0");
        }
        jdbcUrlOptions = jdbcUrlOptions == null ? "" : jdbcUrlOptions;
        quotaCheckInterval = quotaCheckInterval == null ? Duration.ZERO : quotaCheckInterval;
        connectionLimitMode = connectionLimitMode == null ? ConnectionLimitMode.SPLIT : connectionLimitMode;
        nodes = nodes == null ? List.of() : nodes.stream().map(String::trim).filter(node -> !node.isEmpty()).toList();
        for (String node : nodes) {
            if (!NODE.matcher(node).matches()) {
                throw new MissingSettingException("servicepack.mysql.nodes", "MYSQL_NODES",
                        "a Galera cluster's nodes as host:port, comma-separated (was '" + node + "')");
            }
        }
    }

    /**
     * @param url      JDBC URL of the server, e.g. {@code jdbc:mariadb://127.0.0.1:3306/} ({@code MYSQL_ADMIN_URL})
     * @param username an account with CREATE USER, GRANT OPTION and all privileges on all databases
     *                 ({@code MYSQL_ADMIN_USERNAME})
     * @param password its password ({@code MYSQL_ADMIN_PASSWORD}); empty for none
     */
    public record Admin(@DefaultValue("jdbc:mariadb://127.0.0.1:3306/") String url,
                        @DefaultValue("root") String username,
                        @DefaultValue("") String password) {
        private static final Pattern JDBC_URL = Pattern.compile("jdbc:[a-z]+:.+");

        public Admin {
            if (url == null || !JDBC_URL.matcher(url).matches()) {
                throw new MissingSettingException("servicepack.mysql.admin.url", "MYSQL_ADMIN_URL",
                        "JDBC URL of the server the broker administers, e.g. jdbc:mariadb://db.example.internal:3306/");
            }
            if (username == null || username.isBlank()) {
                throw new MissingSettingException("servicepack.mysql.admin.username", "MYSQL_ADMIN_USERNAME",
                        "an account with CREATE USER, GRANT OPTION and all privileges on all databases");
            }
            password = password == null ? "" : password;
        }

        /**
         * The server's address from the URL ({@code host:port}, or the driver's address list), for
         * health details: no scheme, no database, no options, no user info.
         */
        public String address() {
            String rest = url.substring(url.indexOf("//") < 0 ? url.length() : url.indexOf("//") + 2);
            int end = rest.length();
            for (char stop : new char[] {'/', '?', ';'}) {
                int at = rest.indexOf(stop);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            String authority = rest.substring(0, end);
            return authority.substring(authority.lastIndexOf('@') + 1);
        }

        /** Never the password: properties are printed by failure analyzers and debuggers. */
        @Override
        public String toString() {
            return "Admin[url=" + address() + ", username=" + username + "]";
        }
    }
}
