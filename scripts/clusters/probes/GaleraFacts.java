import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Establishes, against the running galera.sh cluster, the facts docs/clusters-notes.md records.
 * Prints what it sent and what it saw; asserts nothing, so it shows the cluster as it is.
 *
 * java -cp mariadb-java-client.jar scripts/clusters/probes/GaleraFacts.java [galera.env] [scripts/clusters/galera.sh]
 */
public class GaleraFacts {
    static Map<String, String> env = new HashMap<>();
    static String script;
    static final String USER = "f_user";
    static final String PASSWORD = "f_pw_" + Long.toHexString(new java.security.SecureRandom().nextLong());

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args.length > 0 ? args[0] : "/tmp/servicepack-galera/galera.env");
        script = args.length > 1 ? args[1] : "scripts/clusters/galera.sh";
        for (String line : Files.readAllLines(envFile)) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            replication();
            processlist();
            kill();
            maxUserConnections();
            revokeOnOpenSession();
            getLock();
            nodeKilled();
            connectorFailover();
        } finally {
            try (Connection c = admin(1); Statement s = c.createStatement()) {
                s.execute("DROP USER IF EXISTS '" + USER + "'@'%'");
                s.execute("DROP DATABASE IF EXISTS f_db");
            }
        }
    }

    static int port(int node) {
        return Integer.parseInt(env.get("GALERA_NODE" + node + "_PORT"));
    }

    static Connection admin(int node) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port(node) + "/",
                env.get("GALERA_ADMIN_USERNAME"), env.get("GALERA_ADMIN_PASSWORD"));
    }

    static Connection user(int node, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port(node) + "/" + database
                + "?connectTimeout=5000", USER, PASSWORD);
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            StringBuilder out = new StringBuilder();
            while (r.next()) {
                if (out.length() > 0) out.append(" | ");
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    if (i > 1) out.append(", ");
                    out.append(r.getString(i));
                }
            }
            return out.toString();
        }
    }

    static String attempt(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            boolean rows = s.execute(sql);
            if (rows) {
                try (ResultSet r = s.getResultSet()) {
                    return r.next() ? "OK -> " + r.getString(1) : "OK (no rows)";
                }
            }
            return "OK (" + s.getUpdateCount() + " rows)";
        } catch (SQLException e) {
            return "ERROR " + e.getErrorCode() + " " + e.getSQLState() + ": " + firstLine(e.getMessage());
        }
    }

    static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    static void say(String s) {
        System.out.println(s);
    }

    static void head(String s) {
        System.out.println();
        System.out.println("=== " + s);
    }

    static void replication() throws Exception {
        head("1. Account and DDL statements sent to node 2, read on nodes 1 and 3 (no wait between)");
        try (Connection c = admin(2); Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + USER + "'@'%'");
            s.execute("DROP DATABASE IF EXISTS f_db");
            for (String sql : List.of("CREATE DATABASE f_db",
                    "CREATE TABLE f_db.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(64))",
                    "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '***' WITH MAX_USER_CONNECTIONS 2",
                    "GRANT ALL PRIVILEGES ON `f\\_db`.* TO '" + USER + "'@'%'")) {
                s.execute(sql.replace("'***'", "'" + PASSWORD + "'"));
                say("node2> " + sql);
            }
        }
        for (int node : new int[] {1, 3}) {
            try (Connection c = admin(node)) {
                say("node" + node + ": SHOW DATABASES LIKE 'f_db' -> " + one(c, "SHOW DATABASES LIKE 'f_db'"));
                say("node" + node + ": account -> " + one(c, "SELECT CONCAT(user,'@',host,' max_user_connections=',max_user_connections) FROM mysql.user WHERE user='" + USER + "'"));
                say("node" + node + ": SHOW GRANTS -> " + one(c, "SHOW GRANTS FOR '" + USER + "'@'%'"));
            }
            try (Connection u = user(node, "f_db")) {
                say("node" + node + ": login as " + USER + " and INSERT -> " + attempt(u, "INSERT INTO f_db.t(v) VALUES ('login on node" + node + "')"));
            }
        }
        try (Connection c = admin(2); Statement s = c.createStatement()) {
            s.execute("REVOKE DELETE ON `f\\_db`.* FROM '" + USER + "'@'%'");
            say("node2> REVOKE DELETE ON `f\\_db`.* FROM f_user");
        }
        for (int node : new int[] {1, 3}) {
            try (Connection c = admin(node)) {
                say("node" + node + ": SHOW GRANTS -> " + one(c, "SHOW GRANTS FOR '" + USER + "'@'%'"));
            }
        }
        try (Connection c = admin(3); Statement s = c.createStatement()) {
            s.execute("CREATE USER 'f_drop'@'%' IDENTIFIED BY 'x'");
            say("node3> CREATE USER f_drop; node1 sees: " + one(admin(1), "SELECT COUNT(*) FROM mysql.user WHERE user='f_drop'"));
            s.execute("DROP USER 'f_drop'@'%'");
            say("node3> DROP USER f_drop; node1 sees: " + one(admin(1), "SELECT COUNT(*) FROM mysql.user WHERE user='f_drop'")
                    + ", node2 sees: " + one(admin(2), "SELECT COUNT(*) FROM mysql.user WHERE user='f_drop'"));
        }
    }

    static void processlist() throws Exception {
        head("2. information_schema.PROCESSLIST per node, with one f_user session on node 3");
        try (Connection u = user(3, "f_db")) {
            say("session on node3 has CONNECTION_ID() = " + one(u, "SELECT CONNECTION_ID()"));
            for (int node = 1; node <= 3; node++) {
                try (Connection c = admin(node)) {
                    say("node" + node + ": SELECT ID FROM information_schema.PROCESSLIST WHERE USER='f_user' -> ["
                            + one(c, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER='" + USER + "'") + "]");
                }
            }
            for (int node = 1; node <= 3; node++) {
                try (Connection c = admin(node)) {
                    say("node" + node + ": a fresh admin session's CONNECTION_ID() = " + one(c, "SELECT CONNECTION_ID()"));
                }
            }
        }
    }

    static void kill() throws Exception {
        head("3. KILL of a node-3 session id, sent to node 1 and then to node 3");
        try (Connection u = user(3, "f_db")) {
            String id = one(u, "SELECT CONNECTION_ID()");
            say("f_user session on node3: id " + id);
            try (Connection c = admin(1)) {
                say("node1 has a session with id " + id + "? -> [" + one(c, "SELECT CONCAT(USER,'@',HOST) FROM information_schema.PROCESSLIST WHERE ID=" + id) + "]");
                say("node1> KILL CONNECTION " + id + " -> " + attempt(c, "KILL CONNECTION " + id));
            }
            say("node3 session after the KILL on node1: SELECT 1 -> " + attempt(u, "SELECT 1"));
            try (Connection c = admin(3)) {
                say("node3> KILL CONNECTION " + id + " -> " + attempt(c, "KILL CONNECTION " + id));
            }
            say("node3 session after the KILL on node3: SELECT 1 -> " + attempt(u, "SELECT 1"));
        }
    }

    static void maxUserConnections() throws Exception {
        head("4. MAX_USER_CONNECTIONS 2 for f_user: sessions opened on each node in turn");
        List<Connection> open = new ArrayList<>();
        try {
            for (int node = 1; node <= 3; node++) {
                for (int i = 1; i <= 3; i++) {
                    try {
                        open.add(user(node, "f_db"));
                        say("node" + node + " session " + i + ": opened (f_user now holds " + open.size() + " sessions cluster-wide)");
                    } catch (SQLException e) {
                        say("node" + node + " session " + i + ": ERROR " + e.getErrorCode() + ": " + firstLine(e.getMessage()));
                    }
                }
            }
        } finally {
            for (Connection c : open) c.close();
        }
    }

    static void revokeOnOpenSession() throws Exception {
        head("5. REVOKE INSERT, UPDATE, CREATE, ALTER ON `f_db`.* (what StorageQuota sends) on node 1, with sessions already open");
        try (Connection c = admin(1); Statement s = c.createStatement()) {
            s.execute("GRANT ALL PRIVILEGES ON `f\\_db`.* TO '" + USER + "'@'%'");
        }
        try (Connection onNode3Db = user(3, "f_db"); Connection onNode3NoDb = user(3, "");
                Connection onNode1Db = user(1, "f_db")) {
            say("before: node3 (default db f_db) INSERT -> " + attempt(onNode3Db, "INSERT INTO t(v) VALUES ('before')"));
            say("before: node3 (no default db) INSERT f_db.t -> " + attempt(onNode3NoDb, "INSERT INTO f_db.t(v) VALUES ('before')"));
            say("before: node1 (default db f_db) INSERT -> " + attempt(onNode1Db, "INSERT INTO t(v) VALUES ('before')"));
            try (Connection c = admin(1); Statement s = c.createStatement()) {
                s.execute("REVOKE INSERT, UPDATE, CREATE, ALTER ON `f\\_db`.* FROM '" + USER + "'@'%'");
                say("node1> REVOKE INSERT, UPDATE, CREATE, ALTER ON `f\\_db`.* FROM f_user");
            }
            say("after: node3 open session (default db f_db) INSERT -> " + attempt(onNode3Db, "INSERT INTO t(v) VALUES ('after')"));
            say("after: node3 open session (no default db) INSERT f_db.t -> " + attempt(onNode3NoDb, "INSERT INTO f_db.t(v) VALUES ('after')"));
            say("after: node1 open session (default db f_db) INSERT -> " + attempt(onNode1Db, "INSERT INTO t(v) VALUES ('after')"));
            say("after: node3 open session (default db f_db) UPDATE -> " + attempt(onNode3Db, "UPDATE t SET v='x' WHERE id=1"));
            say("after: node3 open session (default db f_db) CREATE TABLE -> " + attempt(onNode3Db, "CREATE TABLE t2 (id INT PRIMARY KEY)"));
            say("after: node3 open session, USE f_db then INSERT -> " + attempt(onNode3Db, "USE f_db") + " / "
                    + attempt(onNode3Db, "INSERT INTO t(v) VALUES ('after use')"));
            try (Connection fresh = user(2, "f_db")) {
                say("after: new session on node2 INSERT -> " + attempt(fresh, "INSERT INTO t(v) VALUES ('after')"));
                say("after: new session on node2 SELECT -> " + attempt(fresh, "SELECT COUNT(*) FROM t"));
            }
        }
    }

    static void getLock() throws Exception {
        head("6. GET_LOCK (MysqlBackend serializes an instance's account changes with it) across nodes");
        try (Connection a = admin(1); Connection b = admin(2); Connection a2 = admin(1)) {
            say("node1> SELECT GET_LOCK('servicepack.probe', 0) -> " + attempt(a, "SELECT GET_LOCK('servicepack.probe', 0)"));
            say("node2> SELECT GET_LOCK('servicepack.probe', 0) -> " + attempt(b, "SELECT GET_LOCK('servicepack.probe', 0)"));
            say("node1 (second session)> SELECT GET_LOCK('servicepack.probe', 0) -> " + attempt(a2, "SELECT GET_LOCK('servicepack.probe', 0)"));
            say("node2> SELECT IS_USED_LOCK('servicepack.probe') -> " + attempt(b, "SELECT IS_USED_LOCK('servicepack.probe')"));
        }
        head("6b. SELECT ... FOR UPDATE on the same row from node 1 and node 2 (the state store locks rows this way)");
        try (Connection a = admin(1); Connection b = admin(2); Statement s = a.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS f_db.lockrow (id INT PRIMARY KEY, v INT)");
            s.execute("REPLACE INTO f_db.lockrow VALUES (1, 0)");
            Thread.sleep(300);
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            say("node1> BEGIN; SELECT v FROM lockrow WHERE id=1 FOR UPDATE -> " + attempt(a, "SELECT v FROM f_db.lockrow WHERE id=1 FOR UPDATE"));
            say("node2> BEGIN; SELECT v FROM lockrow WHERE id=1 FOR UPDATE -> " + attempt(b, "SELECT v FROM f_db.lockrow WHERE id=1 FOR UPDATE")
                    + "   (returned at once: the node-1 row lock is not seen on node 2)");
            say("node2> UPDATE lockrow SET v=2 -> " + attempt(b, "UPDATE f_db.lockrow SET v=2 WHERE id=1"));
            say("node1> UPDATE lockrow SET v=1 -> " + attempt(a, "UPDATE f_db.lockrow SET v=1 WHERE id=1"));
            try { a.commit(); say("node1> COMMIT -> OK"); } catch (SQLException e) { say("node1> COMMIT -> ERROR " + e.getErrorCode() + ": " + firstLine(e.getMessage())); }
            try { b.commit(); say("node2> COMMIT -> OK"); } catch (SQLException e) { say("node2> COMMIT -> ERROR " + e.getErrorCode() + ": " + firstLine(e.getMessage())); }
            a.setAutoCommit(true);
            say("node1 sees v = " + one(a, "SELECT v FROM f_db.lockrow WHERE id=1"));
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(script);
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(cmd + " failed: " + out);
        return out.replace("\n", " / ");
    }

    static void nodeKilled() throws Exception {
        head("7. kill -9 of node 3: writes on nodes 1 and 2, then node 3 rejoins");
        try (Connection c = admin(1); Statement s = c.createStatement()) {
            s.execute("GRANT ALL PRIVILEGES ON `f\\_db`.* TO '" + USER + "'@'%'");
        }
        Connection onNode3 = user(3, "f_db");
        long t0 = System.nanoTime();
        say(run("kill-node", "3"));
        say("session that was on node3: SELECT 1 -> " + attempt(onNode3, "SELECT 1"));
        onNode3.close();
        for (int node = 1; node <= 2; node++) {
            try (Connection c = admin(node)) {
                say("node" + node + ": wsrep_cluster_size right after the kill -> " + one(c, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_SIZE'"));
                long w = System.nanoTime();
                say("node" + node + "> INSERT INTO f_db.t -> " + attempt(c, "INSERT INTO f_db.t(v) VALUES ('node3 down, via node" + node + "')")
                        + " in " + (System.nanoTime() - w) / 1_000_000 + " ms");
                say("node" + node + "> CREATE USER f_while_down" + node + " -> " + attempt(c, "CREATE USER 'f_while_down" + node + "'@'%' IDENTIFIED BY 'x'"));
            }
        }
        Thread.sleep(6000);
        try (Connection c = admin(1)) {
            say("node1: wsrep_cluster_size 6 s after the kill -> " + one(c, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_SIZE'"));
        }
        long r = System.nanoTime();
        say(run("start-node", "3"));
        say("start-node 3 took " + (System.nanoTime() - r) / 1_000_000 + " ms");
        String log = Files.readString(Path.of(env.get("GALERA_DIR"), "node3", "error.log"));
        String[] lines = log.split("\n");
        for (int i = Math.max(0, lines.length - 400); i < lines.length; i++) {
            if (lines[i].contains("Prepared IST receiver") || lines[i].contains("IST received") || lines[i].contains("rsync IST completed")
                    || lines[i].contains("rsync SST completed") || lines[i].contains("Recovered position")) {
                say("node3 log: " + lines[i].replaceAll("^\\S+ \\S+ ", ""));
            }
        }
        try (Connection c = admin(3)) {
            say("node3 after rejoin: rows written while it was down -> " + one(c, "SELECT COUNT(*) FROM f_db.t WHERE v LIKE 'node3 down%'"));
            say("node3 after rejoin: accounts made while it was down -> " + one(c, "SELECT COUNT(*) FROM mysql.user WHERE user LIKE 'f_while_down%'"));
            attempt(c, "DROP USER 'f_while_down1'@'%'");
            attempt(c, "DROP USER 'f_while_down2'@'%'");
        }
        say("whole exercise: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    static void connectorFailover() throws Exception {
        java.sql.Driver driver = DriverManager.getDriver(env.get("GALERA_NODE1_URL"));
        head("8. Connector/J " + driver.getMajorVersion() + "." + driver.getMinorVersion() + " ("
                + System.getProperty("java.class.path") + ") with " + env.get("GALERA_ADMIN_URL"));
        String url = env.get("GALERA_ADMIN_URL") + "?connectTimeout=3000";
        Connection held = DriverManager.getConnection(url, env.get("GALERA_ADMIN_USERNAME"), env.get("GALERA_ADMIN_PASSWORD"));
        Connection inTx = DriverManager.getConnection(url, env.get("GALERA_ADMIN_USERNAME"), env.get("GALERA_ADMIN_PASSWORD"));
        say("connection A (autocommit) opened before the kill is on port " + one(held, "SELECT @@port"));
        inTx.setAutoCommit(false);
        say("connection B is on port " + one(inTx, "SELECT @@port") + ", BEGIN; INSERT -> " + attempt(inTx, "INSERT INTO f_db.t(v) VALUES ('tx before kill')"));
        say(run("kill-node", "1"));
        long t = System.nanoTime();
        say("A, next query SELECT @@port -> " + attempt(held, "SELECT @@port") + " in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        t = System.nanoTime();
        say("B, same transaction, INSERT -> " + attempt(inTx, "INSERT INTO f_db.t(v) VALUES ('tx after kill')") + " in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        try { inTx.commit(); say("B COMMIT -> OK"); } catch (SQLException e) { say("B COMMIT -> ERROR " + e.getErrorCode() + " " + e.getSQLState() + ": " + firstLine(e.getMessage())); }
        try { inTx.rollback(); inTx.setAutoCommit(true); say("B afterwards on port " + attempt(inTx, "SELECT @@port")); } catch (SQLException e) { say("B afterwards: ERROR " + firstLine(e.getMessage())); }
        try (Connection c = admin(2)) {
            say("rows of B's transaction on node 2 -> " + one(c, "SELECT COUNT(*) FROM f_db.t WHERE v LIKE 'tx %'"));
        }
        t = System.nanoTime();
        try (Connection fresh = DriverManager.getConnection(url, env.get("GALERA_ADMIN_USERNAME"), env.get("GALERA_ADMIN_PASSWORD"))) {
            say("new connection while node1 is down lands on port " + one(fresh, "SELECT @@port") + " after "
                    + (System.nanoTime() - t) / 1_000_000 + " ms");
        } catch (SQLException e) {
            say("new connection while node1 is down: ERROR " + e.getErrorCode() + ": " + firstLine(e.getMessage()));
        }
        held.close();
        inTx.close();
        say(run("start-node", "1"));
        try (Connection fresh = DriverManager.getConnection(url, env.get("GALERA_ADMIN_USERNAME"), env.get("GALERA_ADMIN_PASSWORD"))) {
            say("new connection after node1 is back lands on port " + one(fresh, "SELECT @@port"));
        }
    }
}
