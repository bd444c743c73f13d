package org.paasta.servicepack.mongodb.testserver;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.AuthenticationFailed;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.ServerConversation;
import org.paasta.servicepack.mongodb.testserver.UserRegistry.User;
import org.paasta.servicepack.mongodb.testserver.UserRegistry.UserKey;

/**
 * A TEST DOUBLE of MongoDB's authentication and authorization rules, wrapped around
 * mongo-java-server's storage backend. It is not MongoDB, and it is not a security component: it
 * exists so the broker's tests can prove isolation on a machine where no mongod can be installed.
 * Given {@code MONGODB_TEST_URI}, the same tests run against a real {@code mongod --auth}.
 *
 * <p>What it models, with mongod's behaviour and error codes:
 * <ul>
 *   <li>login with SCRAM-SHA-256 ({@code saslStart}/{@code saslContinue}, with or without
 *       {@code skipEmptyExchange}), and {@code saslSupportedMechs} in {@code isMaster}/{@code hello}
 *       so drivers choose it; a failed login answers 18 AuthenticationFailed;</li>
 *   <li>login state per connection (a Netty channel attribute, gone with the connection), re-checked
 *       on every command: once a user is dropped, its open connections are refused (13);</li>
 *   <li>{@code createUser} (51003 when the user exists, 31 for an unknown role), {@code dropUser}
 *       (11 UserNotFound), {@code usersInfo}, {@code connectionStatus}, {@code logout};</li>
 *   <li>{@code dbStats} in mongod 7's shape with a {@code storageSize} computed from the stored data
 *       (the wrapped server answers 0), and {@code fsync} (root, admin database) as a no-op;</li>
 *   <li>per-database authorization of every other command for the built-in roles {@code read},
 *       {@code readWrite}, {@code dbOwner} and {@code root} ({@link RoleGrant}); a refusal answers
 *       13 Unauthorized, and {@code listDatabases} shows a user only the databases it has a role on.</li>
 * </ul>
 * What it does not model: other mechanisms (SCRAM-SHA-1, x.509, LDAP), custom roles,
 * {@code updateUser}, logical sessions ({@code killAllSessionsByPattern} answers 59 CommandNotFound,
 * as the server it wraps has no sessions), SASLprep of non-ASCII passwords, speculative
 * authentication (drivers then fall back to {@code saslStart}, as with servers before 4.4), and the
 * localhost exception (it starts with an admin user instead). Error codes of malformed commands
 * are approximate.
 *
 * <p>Errors, its own and the wrapped server's, are answered as {@code ok: 0} documents rather than
 * thrown, so that the wire handler never logs a refused command, which may carry a password.
 */
public final class AuthorizingBackend implements MongoBackend {
    private static final AttributeKey<ConnectionAuth> AUTH = AttributeKey.valueOf("servicepack.test.mongodb.auth");
    private static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** WiredTiger's default allocation unit (allocation_size), in bytes. */
    private static final long ALLOCATION_UNIT = 4096;

    /** What a command needs, by its lower-case name. Commands not listed need root. */
    private enum Access { ANYONE, AUTHENTICATED, READ, WRITE, ADMINISTER, RENAME }

    private static final Map<String, Access> ACCESS = Map.ofEntries(
            Map.entry("buildinfo", Access.ANYONE), Map.entry("ping", Access.ANYONE),
            Map.entry("whatsmyuri", Access.ANYONE), Map.entry("endsessions", Access.ANYONE),
            Map.entry("getlasterror", Access.ANYONE),
            Map.entry("listdatabases", Access.AUTHENTICATED),
            Map.entry("find", Access.READ), Map.entry("count", Access.READ), Map.entry("distinct", Access.READ),
            Map.entry("aggregate", Access.READ), Map.entry("listcollections", Access.READ),
            Map.entry("listindexes", Access.READ), Map.entry("dbstats", Access.READ),
            Map.entry("collstats", Access.READ), Map.entry("getmore", Access.READ),
            Map.entry("killcursors", Access.READ),
            Map.entry("insert", Access.WRITE), Map.entry("update", Access.WRITE), Map.entry("delete", Access.WRITE),
            Map.entry("findandmodify", Access.WRITE), Map.entry("create", Access.WRITE),
            Map.entry("createindexes", Access.WRITE), Map.entry("drop", Access.WRITE),
            Map.entry("dropindexes", Access.WRITE),
            Map.entry("dropdatabase", Access.ADMINISTER), Map.entry("validate", Access.ADMINISTER),
            Map.entry("renamecollection", Access.RENAME));

    private final MongoBackend storage;
    private final UserRegistry users = new UserRegistry();

    public AuthorizingBackend(MongoBackend storage) {
        this.storage = storage;
    }

    /** Creates a root user directly, as an operator does before starting mongod with --auth. */
    public void addRootUser(String name, String password) {
        users.create(new User(new UserKey("admin", name), List.of(new RoleGrant("root", "admin")),
                ScramSha256.store(password)));
    }

    /** Per-connection login state; a channel's messages are handled one at a time, on one thread. */
    private static final class ConnectionAuth {
        UserKey user;
        ServerConversation conversation;
        String conversationDb;
        int conversationId;
        boolean skipEmptyExchange;
        boolean serverFinalSent;

        void endConversation() {
            conversation = null;
            conversationDb = null;
            serverFinalSent = false;
        }
    }

    /** A refusal, answered with mongod's code and code name. */
    private static final class Refusal extends RuntimeException {
        final int code;
        final String codeName;

        Refusal(int code, String codeName, String message) {
            super(message, null, false, false);
            this.code = code;
            this.codeName = codeName;
        }

        Document reply() {
            Document reply = new Document("ok", 0.0);
            reply.put("errmsg", getMessage());
            reply.put("code", code);
            reply.put("codeName", codeName);
            return reply;
        }
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        return handleCommand(message.getChannel(), message.getDatabaseName(), query.keySet().iterator().next(),
                query);
    }

    @Override
    public Document handleCommand(Channel channel, String db, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        try {
            switch (name) {
                case "ismaster", "hello":
                    return hello(channel, db, name, query);
                case "saslstart":
                    return saslStart(channel, db, query);
                case "saslcontinue":
                    return saslContinue(channel, db, query);
                case "logout":
                    auth(channel).user = null;
                    return ok();
                case "connectionstatus":
                    return connectionStatus(channel);
                case "createuser":
                    return createUser(channel, db, command, query);
                case "dropuser":
                    return dropUser(channel, db, command, query);
                case "usersinfo":
                    return usersInfo(channel, db, command, query);
                case "fsync":
                    // https://www.mongodb.com/docs/v7.0/reference/command/fsync/: admin database,
                    // root (fsync privilege). Nothing to flush in memory; storageSize is always current.
                    authorize(channel, db, name, command, query);
                    if (!db.equals("admin")) {
                        throw new Refusal(13, "Unauthorized", "fsync may only be run against the admin database.");
                    }
                    return new Document("numFiles", 1).append("ok", 1.0);
                case "authenticate", "getnonce":
                    throw new Refusal(334, "MechanismUnavailable",
                            "this test double of MongoDB implements SCRAM-SHA-256 login only");
                default:
                    List<RoleGrant> grants = authorize(channel, db, name, command, query);
                    Document result = storage(channel, db, command, query);
                    if (name.equals("listdatabases") && !RoleGrant.isRoot(grants)) {
                        return visibleDatabases(result, grants);
                    }
                    if (name.equals("dbstats")) {
                        return dbStats(channel, db, result, query);
                    }
                    return result;
            }
        } catch (Refusal refusal) {
            return refusal.reply();
        }
    }

    /**
     * The wrapped server's answer; its command errors become replies here, because the wire handler
     * would log the whole command at ERROR.
     */
    private Document storage(Channel channel, String db, String command, Document query) {
        try {
            return storage.handleCommand(channel, db, command, query);
        } catch (MongoServerError e) {
            throw new Refusal(e.getCode(), e.getCodeName(), e.getMessageWithoutErrorCode());
        }
    }

    private Document hello(Channel channel, String db, String name, Document query) {
        // The wrapped server knows only the legacy name; "hello" answers isWritablePrimary instead.
        Document reply = storage(channel, db, "ismaster", query);
        if (name.equals("hello")) {
            reply.put("isWritablePrimary", reply.remove("ismaster"));
        }
        if (query.get("saslSupportedMechs") instanceof String qualified && qualified.indexOf('.') > 0) {
            // "<db>.<user>": database names cannot contain a dot, user names can.
            int dot = qualified.indexOf('.');
            UserKey key = new UserKey(qualified.substring(0, dot), qualified.substring(dot + 1));
            if (users.find(key).isPresent()) {
                reply.put("saslSupportedMechs", List.of(SCRAM_SHA_256));
            }
        }
        return reply;
    }

    private Document saslStart(Channel channel, String db, Document query) {
        Object mechanism = query.get("mechanism");
        if ("SCRAM-SHA-1".equals(mechanism)) {
            // mongod knows the mechanism, but no user here has SCRAM-SHA-1 credentials; drivers try it
            // when hello announced no mechanisms for the user, i.e. when the user does not exist.
            throw authenticationFailed();
        }
        if (!SCRAM_SHA_256.equals(mechanism)) {
            throw new Refusal(334, "MechanismUnavailable", "Received authentication for mechanism " + mechanism
                    + " which is unknown or not enabled (this test double implements SCRAM-SHA-256 only)");
        }
        ConnectionAuth auth = auth(channel);
        auth.endConversation();
        ServerConversation conversation = new ServerConversation(
                name -> users.find(new UserKey(db, name)).map(User::credential).orElse(null));
        String serverFirst;
        try {
            serverFirst = conversation.clientFirst(payload(query));
        } catch (AuthenticationFailed e) {
            throw authenticationFailed();
        }
        auth.conversation = conversation;
        auth.conversationDb = db;
        auth.conversationId++;
        auth.skipEmptyExchange = query.get("options") instanceof Document options
                && Boolean.TRUE.equals(options.get("skipEmptyExchange"));
        return saslReply(auth.conversationId, false, serverFirst);
    }

    private Document saslContinue(Channel channel, String db, Document query) {
        ConnectionAuth auth = auth(channel);
        if (auth.conversation == null || !db.equals(auth.conversationDb)
                || !(query.get("conversationId") instanceof Number id) || id.intValue() != auth.conversationId) {
            throw new Refusal(17, "ProtocolError", "No SASL session state found");
        }
        if (auth.serverFinalSent) {
            // The client's empty last message, when it did not ask to skip it.
            auth.endConversation();
            return saslReply(auth.conversationId, true, "");
        }
        String serverFinal;
        try {
            serverFinal = auth.conversation.clientFinal(payload(query));
        } catch (AuthenticationFailed e) {
            auth.endConversation();
            throw authenticationFailed();
        }
        auth.user = new UserKey(db, auth.conversation.username());
        if (auth.skipEmptyExchange) {
            auth.endConversation();
            return saslReply(auth.conversationId, true, serverFinal);
        }
        auth.serverFinalSent = true;
        return saslReply(auth.conversationId, false, serverFinal);
    }

    private static Document saslReply(int conversationId, boolean done, String payload) {
        Document reply = new Document("conversationId", conversationId);
        reply.put("done", done);
        reply.put("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8)));
        reply.put("ok", 1.0);
        return reply;
    }

    private static String payload(Document query) {
        Object payload = query.get("payload");
        if (payload instanceof BinData binary) {
            return new String(binary.getData(), StandardCharsets.UTF_8);
        }
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof String text) {
            return text;
        }
        throw new Refusal(2, "BadValue", "saslStart/saslContinue need a binary payload");
    }

    private static Refusal authenticationFailed() {
        // One answer for every cause, so a client cannot tell an unknown user from a wrong password.
        return new Refusal(18, "AuthenticationFailed", "Authentication failed.");
    }

    private Document connectionStatus(Channel channel) {
        List<Document> authenticatedUsers = new ArrayList<>();
        List<Document> roles = new ArrayList<>();
        currentUser(channel).ifPresent(user -> {
            authenticatedUsers.add(new Document("user", user.key().name()).append("db", user.key().db()));
            user.roles().forEach(g -> roles.add(new Document("role", g.role()).append("db", g.db())));
        });
        Document reply = new Document("authInfo",
                new Document("authenticatedUsers", authenticatedUsers).append("authenticatedUserRoles", roles));
        reply.put("ok", 1.0);
        return reply;
    }

    private Document createUser(Channel channel, String db, String command, Document query) {
        List<RoleGrant> grants = caller(channel, command);
        String name = userName(query.get(command), command);
        List<RoleGrant> requested = roleGrants(query.get("roles"), db);
        // As in mongod: createUser on the database, and grantRole on every database a role is for.
        Set<String> dbs = new TreeSet<>();
        dbs.add(db);
        requested.forEach(g -> dbs.add(g.db()));
        for (String target : dbs) {
            if (!RoleGrant.canAdminister(grants, target)) {
                throw notAuthorized(target, command);
            }
        }
        if ("$external".equals(db)) {
            throw new Refusal(2, "BadValue", "this test double of MongoDB has no $external users");
        }
        if (!(query.get("pwd") instanceof String password) || password.isEmpty()) {
            throw new Refusal(2, "BadValue", "Must provide a 'pwd' field for all user documents, except those"
                    + " with '$external' as the user's source db");
        }
        if (query.containsKey("mechanisms")) {
            if (!(query.get("mechanisms") instanceof List<?> mechanisms) || mechanisms.isEmpty()
                    || !mechanisms.stream().allMatch(SCRAM_SHA_256::equals)) {
                throw new Refusal(2, "BadValue", "mechanisms: this test double of MongoDB implements "
                        + SCRAM_SHA_256 + " only");
            }
        }
        for (RoleGrant grant : requested) {
            if (!grant.exists()) {
                throw new Refusal(31, "RoleNotFound", "Could not find role: " + grant.role() + "@" + grant.db()
                        + (RoleGrant.MODELLED.contains(grant.role()) ? ""
                        : " (this test double models read, readWrite, dbOwner and root only)"));
            }
        }
        UserKey key = new UserKey(db, name);
        if (users.find(key).isPresent()
                || !users.create(new User(key, requested, ScramSha256.store(password)))) {
            throw new Refusal(51003, "Location51003", "User \"" + key + "\" already exists");
        }
        return ok();
    }

    private Document dropUser(Channel channel, String db, String command, Document query) {
        List<RoleGrant> grants = caller(channel, command);
        String name = userName(query.get(command), command);
        if (!RoleGrant.canAdminister(grants, db)) {
            throw notAuthorized(db, command);
        }
        UserKey key = new UserKey(db, name);
        if (!users.drop(key)) {
            throw new Refusal(11, "UserNotFound", "User '" + key + "' not found");
        }
        return ok();
    }

    private Document usersInfo(Channel channel, String db, String command, Document query) {
        List<RoleGrant> grants = caller(channel, command);
        UserKey self = auth(channel).user;
        Object argument = query.get(command);
        Collection<User> found;
        if (argument instanceof Number) {
            if (!RoleGrant.canAdminister(grants, db)) {
                throw notAuthorized(db, command);
            }
            found = users.all().stream().filter(u -> u.key().db().equals(db)).toList();
        } else if (argument instanceof Document d && Boolean.TRUE.equals(d.get("forAllDBs"))) {
            if (!RoleGrant.isRoot(grants)) {
                throw notAuthorized("admin", command);
            }
            found = users.all();
        } else {
            List<?> items = argument instanceof List<?> list ? list : List.of(argument);
            found = new ArrayList<>();
            for (Object item : items) {
                UserKey key = userKey(item, db);
                // Every user may read its own entry; others need viewUser (dbOwner) on its database.
                if (!key.equals(self) && !RoleGrant.canAdminister(grants, key.db())) {
                    throw notAuthorized(key.db(), command);
                }
                users.find(key).ifPresent(found::add);
            }
        }
        List<Document> described = found.stream()
                .sorted(Comparator.comparing(u -> u.key().db() + "." + u.key().name()))
                .map(AuthorizingBackend::describe)
                .toList();
        Document reply = new Document("users", described);
        reply.put("ok", 1.0);
        return reply;
    }

    private static Document describe(User user) {
        List<Document> roles = user.roles().stream()
                .map(g -> new Document("role", g.role()).append("db", g.db()))
                .toList();
        return new Document("_id", user.key().db() + "." + user.key().name())
                .append("user", user.key().name())
                .append("db", user.key().db())
                .append("roles", roles)
                .append("mechanisms", List.of(SCRAM_SHA_256));
    }

    private static UserKey userKey(Object item, String db) {
        if (item instanceof String name) {
            return new UserKey(db, name);
        }
        if (item instanceof Document d && d.get("user") instanceof String name) {
            return new UserKey(d.get("db") instanceof String other ? other : db, name);
        }
        throw new Refusal(2, "BadValue", "usersInfo: a user is a name or {user: ..., db: ...}");
    }

    private static String userName(Object value, String command) {
        if (value instanceof String name && !name.isEmpty()) {
            return name;
        }
        throw new Refusal(2, "BadValue", command + ": a user name is required");
    }

    private static List<RoleGrant> roleGrants(Object value, String db) {
        if (!(value instanceof List<?> roles)) {
            throw new Refusal(2, "BadValue", "\"createUser\" command requires a \"roles\" array");
        }
        List<RoleGrant> grants = new ArrayList<>();
        for (Object role : roles) {
            if (role instanceof String name) {
                grants.add(new RoleGrant(name, db));
            } else if (role instanceof Document d && d.get("role") instanceof String name
                    && d.get("db") instanceof String roleDb) {
                grants.add(new RoleGrant(name, roleDb));
            } else {
                throw new Refusal(2, "BadValue", "a role is a name or {role: ..., db: ...}");
            }
        }
        return grants;
    }

    /** The grants of the command's caller, who must be logged in. */
    private List<RoleGrant> caller(Channel channel, String command) {
        return currentUser(channel)
                .orElseThrow(() -> new Refusal(13, "Unauthorized", "Command " + command + " requires authentication"))
                .roles();
    }

    /** The connection's user as it is now: a user dropped since its login no longer counts. */
    private Optional<User> currentUser(Channel channel) {
        ConnectionAuth auth = auth(channel);
        if (auth.user == null) {
            return Optional.empty();
        }
        Optional<User> user = users.find(auth.user);
        if (user.isEmpty()) {
            auth.user = null;
        }
        return user;
    }

    private List<RoleGrant> authorize(Channel channel, String db, String name, String command, Document query) {
        Access access = ACCESS.getOrDefault(name, null);
        if (access == Access.ANYONE) {
            return List.of();
        }
        List<RoleGrant> grants = caller(channel, command);
        if (access == null) {
            if (!RoleGrant.isRoot(grants)) {
                throw notAuthorized(db, command);
            }
            return grants;
        }
        switch (access) {
            case AUTHENTICATED -> {
            }
            case READ -> {
                boolean writes = name.equals("aggregate") && writesOut(query);
                if (!(writes ? RoleGrant.canWrite(grants, db) : RoleGrant.canRead(grants, db))) {
                    throw notAuthorized(db, command);
                }
            }
            case WRITE -> {
                if (!RoleGrant.canWrite(grants, db)) {
                    throw notAuthorized(db, command);
                }
            }
            case ADMINISTER -> {
                if (!RoleGrant.canAdminister(grants, db)) {
                    throw notAuthorized(db, command);
                }
            }
            case RENAME -> {
                for (Object namespace : List.of(String.valueOf(query.get(command)), String.valueOf(query.get("to")))) {
                    String target = namespace.toString().split("\\.", 2)[0];
                    if (!RoleGrant.canWrite(grants, target)) {
                        throw notAuthorized(target, command);
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled access " + access);
        }
        return grants;
    }

    private static boolean writesOut(Document query) {
        if (query.get("pipeline") instanceof List<?> stages) {
            return stages.stream().anyMatch(stage -> stage instanceof Document d
                    && (d.containsKey("$out") || d.containsKey("$merge")));
        }
        return false;
    }

    private static Refusal notAuthorized(String db, String command) {
        // mongod quotes the whole command here; the double does not, as it may carry a password.
        return new Refusal(13, "Unauthorized", "not authorized on " + db + " to execute command { " + command
                + ": ... }");
    }

    /**
     * {@code dbStats} in the shape mongod 7 answers it
     * (https://www.mongodb.com/docs/v7.0/reference/command/dbStats/): {@code db},
     * {@code collections}, {@code views}, {@code objects}, {@code avgObjSize}, {@code dataSize},
     * {@code storageSize}, {@code indexes}, {@code indexSize}, {@code totalSize},
     * {@code scaleFactor}, {@code ok}. The wrapped server counts collections, objects and
     * {@code dataSize} (the stored documents' BSON bytes) from what it stores, but answers
     * {@code storageSize} 0, having no disk. Here {@code storageSize} is what WiredTiger would
     * allocate for that data uncompressed: each collection's BSON bytes rounded up to its 4 KiB
     * allocation unit, one unit at least; an index counts one unit. So it grows with the data as
     * mongod's does (mongod's grows at checkpoints and is usually smaller, being compressed).
     * {@code scale} divides the sizes, as in mongod, but not {@code avgObjSize}.
     */
    private Document dbStats(Channel channel, String db, Document stored, Document query) {
        MongoDatabase database = storage.resolveDatabase(db);
        long storageSize = 0;
        long indexes = 0;
        for (String collection : collectionNames(channel, db)) {
            MongoCollection<?> stats = database.resolveCollection(collection, false);
            if (stats == null) {
                continue;
            }
            long size = ((Number) stats.getStats().get("size")).longValue();
            storageSize += Math.max(1, (size + ALLOCATION_UNIT - 1) / ALLOCATION_UNIT) * ALLOCATION_UNIT;
            indexes += stats.getNumIndexes();
        }
        long indexSize = indexes * ALLOCATION_UNIT;
        long scale = query.get("scale") instanceof Number n ? n.longValue() : 1;
        if (scale < 1) {
            throw new Refusal(2, "BadValue", "Scale factor must be a positive integer");
        }
        Document reply = new Document("db", db);
        reply.put("collections", stored.get("collections"));
        reply.put("views", 0);
        reply.put("objects", stored.get("objects"));
        reply.put("avgObjSize", stored.get("avgObjSize"));
        reply.put("dataSize", ((Number) stored.get("dataSize")).doubleValue() / scale);
        reply.put("storageSize", (double) storageSize / scale);
        reply.put("indexes", indexes);
        reply.put("indexSize", (double) indexSize / scale);
        reply.put("totalSize", (double) (storageSize + indexSize) / scale);
        reply.put("scaleFactor", scale);
        reply.put("ok", 1.0);
        return reply;
    }

    private List<String> collectionNames(Channel channel, String db) {
        Document listed = storage.handleCommand(channel, db, "listCollections", new Document("listCollections", 1));
        List<String> names = new ArrayList<>();
        if (listed.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch) {
            batch.forEach(c -> names.add(String.valueOf(((Document) c).get("name"))));
        }
        return names;
    }

    private static Document visibleDatabases(Document result, List<RoleGrant> grants) {
        if (result.get("databases") instanceof List<?> databases) {
            result.put("databases", databases.stream()
                    .filter(d -> d instanceof Document doc && RoleGrant.touches(grants, String.valueOf(doc.get("name"))))
                    .toList());
        }
        return result;
    }

    private static Document ok() {
        return new Document("ok", 1.0);
    }

    private static ConnectionAuth auth(Channel channel) {
        Attribute<ConnectionAuth> attribute = channel.attr(AUTH);
        ConnectionAuth auth = attribute.get();
        if (auth == null) {
            ConnectionAuth fresh = new ConnectionAuth();
            ConnectionAuth raced = attribute.setIfAbsent(fresh);
            auth = raced == null ? fresh : raced;
        }
        return auth;
    }

    // Legacy OP_QUERY reads (drivers of the last decade send commands instead).
    @Override
    public QueryResult handleQuery(MongoQuery query) {
        Optional<User> user = currentUser(query.getChannel());
        if (user.isEmpty() || !RoleGrant.canRead(user.get().roles(), query.getDatabaseName())) {
            throw new MongoServerError(13, "Unauthorized", "not authorized for query on " + query.getDatabaseName());
        }
        return storage.handleQuery(query);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        Optional<User> user = currentUser(query.getChannel());
        if (user.isEmpty() || !RoleGrant.isRoot(user.get().roles())) {
            throw new MongoServerError(13, "Unauthorized", "not authorized to list operations");
        }
        return storage.getCurrentOperations(query);
    }

    @Override
    public void handleClose(Channel channel) {
        storage.handleClose(channel);
    }

    @Override
    public void dropDatabase(String database) {
        storage.dropDatabase(database);
    }

    @Override
    public Document getServerStatus() {
        return storage.getServerStatus();
    }

    @Override
    public void close() {
        storage.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        storage.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return storage.getClock();
    }

    @Override
    public void enableOplog() {
        storage.enableOplog();
    }

    @Override
    public void disableOplog() {
        storage.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return storage.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        storage.version(version);
        return this;
    }
}
