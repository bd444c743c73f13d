package org.paasta.servicepack.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The unavoidable cost of a MySQL broker operation: the statements MysqlBackend issues for it
 * (as of this commit: per-instance GET_LOCK, account listing, session listing, DDL), sent over one
 * warm admin connection with nothing else around them. Account and database names have the shape
 * of the broker's derived names (cf_ + 36 characters; 32-character accounts).
 */
final class MysqlFloor implements AutoCloseable {
    static final String ADMIN_URL = env("MYSQL_ADMIN_URL", "jdbc:mariadb://127.0.0.1:3306/");
    static final String ADMIN_USER = env("MYSQL_ADMIN_USERNAME", "root");
    static final String ADMIN_PASSWORD = env("MYSQL_ADMIN_PASSWORD", "");

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** The MySQL broker's admin pool size (MysqlBrokerApplication's mysql-admin pool). */
    static final int BROKER_POOL_SIZE = 8;

    private final Connection connection;

    MysqlFloor() throws SQLException {
        this.connection = admin();
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A fresh instance name pair: database and account prefix. */
    record Names(String database, String userPrefix, String user) {
        static Names fresh() {
            String id = UUID.randomUUID().toString().replace('-', '_');
            String hex = UUID.randomUUID().toString().replace("-", "");
            return new Names("cf_" + id, hex.substring(0, 10) + "_", hex.substring(0, 10) + "_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 21));
        }
    }

    void provision(Names names) throws SQLException {
        execute("CREATE DATABASE IF NOT EXISTS `" + names.database() + "` CHARACTER SET utf8mb4");
    }

    void bind(Names names) throws SQLException {
        locked(names, () -> {
            List<String> users = users(names);
            dropUser(names.user(), users.contains(names.user()));
            execute("CREATE USER '" + names.user() + "'@'%' IDENTIFIED BY '" + password() + "' WITH MAX_USER_CONNECTIONS 10");
            execute("GRANT ALL PRIVILEGES ON `" + names.database().replace("_", "\\_") + "`.* TO '" + names.user() + "'@'%'");
        });
    }

    void unbind(Names names) throws SQLException {
        locked(names, () -> {
            List<String> users = users(names);
            dropUser(names.user(), users.contains(names.user()));
        });
    }

    void deprovision(Names names) throws SQLException {
        locked(names, () -> {
            for (String user : users(names)) {
                dropUser(user, true);
            }
            execute("DROP DATABASE IF EXISTS `" + names.database() + "`");
        });
    }

    /**
     * Clients sharing {@code pool} as the broker's request threads share its admin pool: each
     * operation borrows a connection and gives it back.
     */
    static Concurrency.ClientFactory pooled(java.util.concurrent.BlockingQueue<MysqlFloor> pool) {
        return () -> () -> {
            Names names = Names.fresh();
            long[] nanos = new long[4];
            for (int op = 0; op < 4; op++) {
                MysqlFloor floor = pool.take();
                long start = System.nanoTime();
                try {
                    switch (op) {
                        case 0 -> floor.provision(names);
                        case 1 -> floor.bind(names);
                        case 2 -> floor.unbind(names);
                        default -> floor.deprovision(names);
                    }
                } finally {
                    pool.put(floor);
                }
                nanos[op] = System.nanoTime() - start;
            }
            return nanos;
        };
    }

    /** One provision, bind, unbind, deprovision cycle on fresh names; the four durations in nanoseconds. */
    long[] cycle() throws SQLException {
        Names names = Names.fresh();
        long t0 = System.nanoTime();
        provision(names);
        long t1 = System.nanoTime();
        bind(names);
        long t2 = System.nanoTime();
        unbind(names);
        long t3 = System.nanoTime();
        deprovision(names);
        long t4 = System.nanoTime();
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }

    String serverVersion() throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT VERSION()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void locked(Names names, Work work) throws SQLException {
        String lock = "servicepack.bench." + names.database();
        try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            get.setString(1, lock);
            get.setInt(2, 30);
            try (ResultSet rows = get.executeQuery()) {
                if (!rows.next() || rows.getInt(1) != 1) {
                    throw new SQLException("lock not granted");
                }
            }
        }
        try {
            work.run();
        } finally {
            try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                release.setString(1, lock);
                release.execute();
            }
        }
    }

    private List<String> users(Names names) throws SQLException {
        List<String> users = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT User, Host, max_user_connections FROM mysql.user WHERE User LIKE ? ORDER BY User, Host")) {
            query.setString(1, names.userPrefix().replace("_", "\\_") + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (!users.contains(rows.getString(1))) {
                        users.add(rows.getString(1));
                    }
                }
            }
        }
        return users;
    }

    /** As the broker: a listed account is dropped; the user's sessions are looked for either way. */
    private void dropUser(String user, boolean listed) throws SQLException {
        if (listed) {
            execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    execute("KILL CONNECTION " + rows.getLong(1));
                }
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Same alphabet and length class as the broker's generated passwords. */
    private static String password() {
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
