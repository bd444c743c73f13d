package org.paasta.servicepack.mongodb.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The test double's protocol paths that the MongoDB driver does not take (or takes only on failure),
 * driven command by command on Netty channels, with a SCRAM-SHA-256 client written independently of
 * the double's server side.
 */
class AuthorizingBackendTest {
    private static final String ROOT_PASSWORD = "root-password-for-this-test";

    private final AuthorizingBackend backend = new AuthorizingBackend(new MemoryBackend());

    AuthorizingBackendTest() {
        backend.addRootUser("root", ROOT_PASSWORD);
    }

    private Document run(Channel channel, String db, Document command) {
        return backend.handleCommand(channel, db, command.keySet().iterator().next(), command);
    }

    private static Document doc(Object... keysAndValues) {
        Document d = new Document();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return d;
    }

    private static int code(Document reply) {
        assertThat(reply.get("ok")).as("reply %s", reply).isEqualTo(0.0);
        return ((Number) reply.get("code")).intValue();
    }

    private static String text(Object payload) {
        return new String(((BinData) payload).getData(), StandardCharsets.UTF_8);
    }

    /** Logs in with SCRAM-SHA-256; returns the last reply. */
    private Document login(Channel channel, String db, String user, String password, boolean skipEmptyExchange)
            throws Exception {
        String clientFirstBare = "n=" + user + ",r=clientNonce123";
        Document start = doc("saslStart", 1, "mechanism", "SCRAM-SHA-256",
                "payload", new BinData(("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8)));
        if (skipEmptyExchange) {
            start.put("options", doc("skipEmptyExchange", true));
        }
        Document first = run(channel, db, start);
        if (!first.get("ok").equals(1.0)) {
            return first;
        }
        assertThat(first.get("done")).isEqualTo(false);
        String serverFirst = text(first.get("payload"));
        Map<String, String> fields = new java.util.HashMap<>();
        for (String part : serverFirst.split(",")) {
            fields.put(part.substring(0, 1), part.substring(2));
        }
        assertThat(fields.get("r")).startsWith("clientNonce123");
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                password.toCharArray(), Base64.getDecoder().decode(fields.get("s")), Integer.parseInt(fields.get("i")),
                256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        String withoutProof = "c=biws,r=" + fields.get("r");
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        Document second = run(channel, db, doc("saslContinue", 1, "conversationId", first.get("conversationId"),
                "payload", new BinData((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                        .getBytes(StandardCharsets.UTF_8))));
        if (!second.get("ok").equals(1.0)) {
            return second;
        }
        String expected = "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
        assertThat(text(second.get("payload"))).as("server signature").isEqualTo(expected);
        if (skipEmptyExchange) {
            assertThat(second.get("done")).isEqualTo(true);
            return second;
        }
        assertThat(second.get("done")).isEqualTo(false);
        Document third = run(channel, db, doc("saslContinue", 1, "conversationId", first.get("conversationId"),
                "payload", new BinData(new byte[0])));
        assertThat(third.get("done")).isEqualTo(true);
        return third;
    }

    private static byte[] hmac(byte[] key, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private List<Object> authenticatedUsers(Channel channel) {
        Document status = run(channel, "admin", doc("connectionStatus", 1));
        @SuppressWarnings("unchecked")
        List<Object> users = (List<Object>) ((Document) status.get("authInfo")).get("authenticatedUsers");
        return users;
    }

    private Channel rootChannel() throws Exception {
        Channel channel = new EmbeddedChannel();
        assertThat(login(channel, "admin", "root", ROOT_PASSWORD, true).get("ok")).isEqualTo(1.0);
        return channel;
    }

    private void createUser(Channel root, String db, String user, String password, String role) {
        Document reply = run(root, db, doc("createUser", user, "pwd", password,
                "roles", List.of(doc("role", role, "db", db)), "mechanisms", List.of("SCRAM-SHA-256")));
        assertThat(reply.get("ok")).as("createUser %s", reply).isEqualTo(1.0);
    }

    @Test
    void logsInWithAndWithoutTheEmptyLastExchange() throws Exception {
        Channel root = rootChannel();
        createUser(root, "app", "alice", "alice-password", "readWrite");

        Channel withEmptyExchange = new EmbeddedChannel();
        assertThat(login(withEmptyExchange, "app", "alice", "alice-password", false).get("ok")).isEqualTo(1.0);
        assertThat(authenticatedUsers(withEmptyExchange)).containsExactly(doc("user", "alice", "db", "app"));

        Channel skipping = new EmbeddedChannel();
        assertThat(login(skipping, "app", "alice", "alice-password", true).get("ok")).isEqualTo(1.0);
        assertThat(authenticatedUsers(skipping)).containsExactly(doc("user", "alice", "db", "app"));
    }

    @Test
    void loginStateBelongsToOneConnection() throws Exception {
        Channel root = rootChannel();
        createUser(root, "app", "bob", "bob-password", "readWrite");
        Channel loggedIn = new EmbeddedChannel();
        login(loggedIn, "app", "bob", "bob-password", true);
        Channel other = new EmbeddedChannel();

        assertThat(run(loggedIn, "app", doc("insert", "c", "documents", List.of(doc("x", 1)))).get("ok"))
                .isEqualTo(1.0);
        assertThat(code(run(other, "app", doc("find", "c")))).isEqualTo(13);
        assertThat(authenticatedUsers(other)).isEmpty();

        run(loggedIn, "admin", doc("logout", 1));
        assertThat(code(run(loggedIn, "app", doc("find", "c")))).isEqualTo(13);
    }

    @Test
    void aDroppedUsersOpenConnectionIsRefusedAtItsNextCommand() throws Exception {
        Channel root = rootChannel();
        createUser(root, "app", "carol", "carol-password", "readWrite");
        Channel carol = new EmbeddedChannel();
        login(carol, "app", "carol", "carol-password", true);
        assertThat(run(carol, "app", doc("find", "c")).get("ok")).isEqualTo(1.0);

        assertThat(run(root, "app", doc("dropUser", "carol")).get("ok")).isEqualTo(1.0);

        assertThat(code(run(carol, "app", doc("find", "c")))).isEqualTo(13);
        assertThat(authenticatedUsers(carol)).isEmpty();
        assertThat(code(login(new EmbeddedChannel(), "app", "carol", "carol-password", true))).isEqualTo(18);
    }

    @Test
    void refusesOtherMechanismsAndStrayConversations() throws Exception {
        Channel channel = new EmbeddedChannel();
        BinData payload = new BinData("n,,n=root,r=abc".getBytes(StandardCharsets.UTF_8));
        // SCRAM-SHA-1 exists in mongod, but no user here has such credentials: a failed login.
        assertThat(code(run(channel, "admin", doc("saslStart", 1, "mechanism", "SCRAM-SHA-1", "payload", payload))))
                .isEqualTo(18);
        assertThat(code(run(channel, "admin", doc("saslStart", 1, "mechanism", "PLAIN", "payload", payload))))
                .isEqualTo(334);
        assertThat(code(run(channel, "admin", doc("saslContinue", 1, "conversationId", 42,
                "payload", new BinData(new byte[0]))))).isEqualTo(17);
        assertThat(code(login(channel, "admin", "root", "wrong-password", true))).isEqualTo(18);
        assertThat(authenticatedUsers(channel)).isEmpty();
    }

    @Test
    void announcesScramSha256OnlyForExistingUsers() throws Exception {
        Channel root = rootChannel();
        createUser(root, "app", "dave", "dave-password", "read");
        Channel fresh = new EmbeddedChannel();

        Document known = run(fresh, "admin", doc("isMaster", 1, "saslSupportedMechs", "app.dave"));
        Document unknown = run(fresh, "admin", doc("hello", 1, "saslSupportedMechs", "app.nobody"));

        assertThat(known.get("saslSupportedMechs")).isEqualTo(List.of("SCRAM-SHA-256"));
        assertThat(unknown).doesNotContainKey("saslSupportedMechs").containsEntry("isWritablePrimary", true);
    }

    @Test
    void listsOnlyTheDatabasesAUserHasARoleOn() throws Exception {
        Channel root = rootChannel();
        run(root, "mine", doc("insert", "c", "documents", List.of(doc("x", 1))));
        run(root, "theirs", doc("insert", "c", "documents", List.of(doc("x", 1))));
        createUser(root, "mine", "erin", "erin-password", "readWrite");
        Channel erin = new EmbeddedChannel();
        login(erin, "mine", "erin", "erin-password", true);

        List<?> visible = (List<?>) run(erin, "admin", doc("listDatabases", 1)).get("databases");
        List<?> all = (List<?>) run(root, "admin", doc("listDatabases", 1)).get("databases");

        assertThat(visible).extracting(d -> ((Document) d).get("name")).containsExactly("mine");
        assertThat(all).extracting(d -> ((Document) d).get("name")).contains("mine", "theirs");
    }

    @Test
    void userAdministrationFollowsMongodsRules() throws Exception {
        Channel root = rootChannel();
        createUser(root, "app", "frank", "frank-password", "dbOwner");
        Document duplicate = run(root, "app", doc("createUser", "frank", "pwd", "x", "roles", List.of()));
        assertThat(code(duplicate)).isEqualTo(51003);
        assertThat(code(run(root, "app", doc("createUser", "g", "pwd", "x", "roles", List.of("root")))))
                .as("root exists only in admin").isEqualTo(31);
        assertThat(code(run(root, "app", doc("dropUser", "nobody")))).isEqualTo(11);

        Channel frank = new EmbeddedChannel();
        login(frank, "app", "frank", "frank-password", true);
        assertThat(run(frank, "app", doc("createUser", "helper", "pwd", "helper-password",
                "roles", List.of("read"))).get("ok")).isEqualTo(1.0);
        assertThat(code(run(frank, "other", doc("createUser", "x", "pwd", "x", "roles", List.of("read")))))
                .isEqualTo(13);
        assertThat(code(run(frank, "admin", doc("usersInfo", doc("forAllDBs", true))))).isEqualTo(13);
        Document users = run(frank, "app", doc("usersInfo", 1));
        assertThat((List<?>) users.get("users")).extracting(u -> ((Document) u).get("user"))
                .containsExactly("frank", "helper");
        assertThat(run(frank, "app", doc("dropDatabase", 1)).get("ok")).isEqualTo(1.0);
    }

    @Test
    void dbStatsComputesItsSizesFromTheStoredDocuments() throws Exception {
        Channel root = rootChannel();
        Document empty = run(root, "stats", doc("dbStats", 1));
        assertThat(empty.get("collections")).isEqualTo(0);
        assertThat(((Number) empty.get("storageSize")).longValue()).isZero();

        run(root, "stats", doc("insert", "big", "documents", List.of(doc("_id", 1, "text", "x".repeat(5000)))));
        run(root, "stats", doc("insert", "small", "documents", List.of(doc("_id", 1), doc("_id", 2))));
        Document stats = run(root, "stats", doc("dbStats", 1));
        assertThat(stats.keySet()).contains("db", "collections", "views", "objects", "avgObjSize", "dataSize",
                "storageSize", "indexes", "indexSize", "totalSize", "scaleFactor", "ok");
        assertThat(stats.get("collections")).isEqualTo(2);
        assertThat(stats.get("objects")).isEqualTo(3);
        assertThat(((Number) stats.get("dataSize")).longValue()).isGreaterThan(5000);
        // 5 KB rounds up to two 4 KiB units, the two small documents to one.
        assertThat(((Number) stats.get("storageSize")).longValue()).isEqualTo(3 * 4096);
        assertThat(((Number) stats.get("indexSize")).longValue()).as("one _id index each").isEqualTo(2 * 4096);
        assertThat(((Number) stats.get("totalSize")).longValue()).isEqualTo(5 * 4096);

        Document kilobytes = run(root, "stats", doc("dbStats", 1, "scale", 1024));
        assertThat(((Number) kilobytes.get("storageSize")).longValue()).isEqualTo(12);
        assertThat(kilobytes.get("scaleFactor")).isEqualTo(1024L);
        assertThat(kilobytes.get("avgObjSize")).as("not scaled").isEqualTo(stats.get("avgObjSize"));

        run(root, "stats", doc("delete", "big", "deletes", List.of(doc("q", doc(), "limit", 0))));
        Document deleted = run(root, "stats", doc("dbStats", 1));
        assertThat(((Number) deleted.get("storageSize")).longValue()).isEqualTo(2 * 4096);
        assertThat(deleted.get("objects")).isEqualTo(2);
    }

    @Test
    void fsyncIsForRootOnTheAdminDatabase() throws Exception {
        Channel root = rootChannel();
        assertThat(run(root, "admin", doc("fsync", 1)).get("ok")).isEqualTo(1.0);
        assertThat(code(run(root, "app", doc("fsync", 1)))).isEqualTo(13);
        createUser(root, "app", "owner", "owner-password", "dbOwner");
        Channel owner = new EmbeddedChannel();
        login(owner, "app", "owner", "owner-password", true);
        assertThat(code(run(owner, "admin", doc("fsync", 1)))).isEqualTo(13);
    }
}
