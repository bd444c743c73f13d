package org.paasta.servicepack.mysql;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where the MySQL/MariaDB server is, how the broker administers it, and what apps are told. */
@ConfigurationProperties("mysql")
public class MysqlProperties {
    /** JDBC URL of the server the broker administers, e.g. jdbc:mariadb://127.0.0.1:3306/. */
    private String adminUrl = "jdbc:mariadb://127.0.0.1:3306/";
    /** An account with CREATE USER, GRANT OPTION and rights on all databases. */
    private String adminUsername = "root";
    private String adminPassword = "";
    /** Host name apps connect to (the credentials' hostname); the server's address as apps see it. */
    private String host = "127.0.0.1";
    private int port = 3306;
    /** Host part of the created accounts ('%': apps may connect from anywhere). */
    private String userHost = "%";
    /**
     * Extra query options for the credentials' jdbcUrl, e.g. {@code sslMode=REQUIRED} where the
     * server has TLS (MySQL 8's caching_sha2_password needs TLS or public key retrieval).
     */
    private String jdbcUrlOptions = "";
    /** How often plans' storage_mb is enforced (0 turns enforcement off). */
    private java.time.Duration quotaCheckInterval = java.time.Duration.ofSeconds(60);
    /** Default meaning of a plan's connection limit: split (PaaS-TA) or per-binding (Cloud Foundry). */
    private ConnectionLimitMode connectionLimitMode = ConnectionLimitMode.SPLIT;

    public String getAdminUrl() {
        return adminUrl;
    }

    public void setAdminUrl(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    public String getAdminUsername() {
        return adminUsername;
    }

    public void setAdminUsername(String adminUsername) {
        this.adminUsername = adminUsername;
    }

    public String getAdminPassword() {
        return adminPassword;
    }

    public void setAdminPassword(String adminPassword) {
        this.adminPassword = adminPassword;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUserHost() {
        return userHost;
    }

    public void setUserHost(String userHost) {
        this.userHost = userHost;
    }

    public String getJdbcUrlOptions() {
        return jdbcUrlOptions;
    }

    public void setJdbcUrlOptions(String jdbcUrlOptions) {
        this.jdbcUrlOptions = jdbcUrlOptions;
    }

    public java.time.Duration getQuotaCheckInterval() {
        return quotaCheckInterval;
    }

    public void setQuotaCheckInterval(java.time.Duration quotaCheckInterval) {
        this.quotaCheckInterval = quotaCheckInterval;
    }

    public ConnectionLimitMode getConnectionLimitMode() {
        return connectionLimitMode;
    }

    public void setConnectionLimitMode(ConnectionLimitMode connectionLimitMode) {
        this.connectionLimitMode = connectionLimitMode;
    }
}
