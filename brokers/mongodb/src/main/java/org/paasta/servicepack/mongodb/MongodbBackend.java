package org.paasta.servicepack.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MongoDB as a service: a database per instance, a SCRAM-SHA-256 user per binding with a role on
 * that database alone.
 *
 * <p>Only standard commands are used ({@code createUser}, {@code dropUser}, {@code usersInfo},
 * {@code dropDatabase}, {@code killAllSessionsByPattern}, and {@code dbStats} for the dashboard), so
 * the same broker works against a standalone mongod, a replica set or a sharded cluster through
 * mongos. The admin user of the
 * configured URI needs {@code root}, or at least {@code userAdminAnyDatabase},
 * {@code dbAdminAnyDatabase} and the {@code killAnySession} privilege.
 *
 * <p>Everything is derived from the OSB ids ({@link ResourceNames}), so every method is idempotent
 * and keeps no state of its own.
 */
public class MongodbBackend implements ServiceBackend<MongodbLimits> {
    static final String READ_ONLY_PARAMETER = "read_only";
    /** The collection that records which OSB instance a database belongs to. */
    static final String INSTANCE_COLLECTION = "servicepack_instance";

    private static final Logger log = LoggerFactory.getLogger(MongodbBackend.class);
    private static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    private static final int UNAUTHORIZED = 13;
    private static final int USER_NOT_FOUND = 11;
    private static final int COMMAND_NOT_FOUND = 59;
    private static final int COMMAND_NOT_SUPPORTED = 115;
    private static final int DUPLICATE_USER = 51003;
    /** Under the SDK's default dashboard usage timeout (5 s), so the page says why rather than timing out. */
    static final Duration USAGE_TIMEOUT = Duration.ofSeconds(4);

    private final MongoClient admin;
    private final ClientAddress address;

    /**
     * @param admin   a client logged in with the broker's admin user; owned by the caller
     * @param address where applications reach the same deployment
     */
    MongodbBackend(MongoClient admin, ClientAddress address) {
        this.admin = admin;
        this.address = address;
    }

    @Override
    public Class<MongodbLimits> limitsType() {
        return MongodbLimits.class;
    }

    /**
     * The hosts written into bindings ({@code hosts} and the {@code uri}), without their ports: the
     * admin URI's hosts, or {@code servicepack.mongodb.hosts} where applications use other names.
     */
    @Override
    public List<String> advertisedHosts() {
        return address.hostNames();
    }

    /**
     * MongoDB creates a database with its first collection, so provision writes one small document
     * into {@value #INSTANCE_COLLECTION}: the database then exists (and is listed) before the first
     * bind, and an operator can tell which OSB instance a hashed database name belongs to. Written
     * only on insert, so a repeated provision changes nothing.
     */
    @Override
    public void provision(ProvisionRequest<MongodbLimits> request) {
        String database = ResourceNames.database(request.instanceId());
        Document instance = new Document("instance_id", request.instanceId())
                .append("service_id", request.plan().serviceId())
                .append("plan_id", request.plan().id())
                .append("created_at", new Date());
        call("update", () -> admin.getDatabase(database).getCollection(INSTANCE_COLLECTION)
                .updateOne(Filters.eq("_id", "instance"), new Document("$setOnInsert", instance),
                        new UpdateOptions().upsert(true)));
        log.info("Provisioned instance {} as MongoDB database {}", request.instanceId(), database);
    }

    @Override
    public void deprovision(DeprovisionRequest<MongodbLimits> request) {
        String database = ResourceNames.database(request.instanceId());
        MongoDatabase db = admin.getDatabase(database);
        // Users outlive dropDatabase in MongoDB (they are kept in admin.system.users): drop them first.
        List<String> users = usersOf(db);
        for (String user : users) {
            dropUser(db, user);
        }
        endSessions(database, users);
        call("dropDatabase", () -> db.runCommand(new Document("dropDatabase", 1)));
        log.info("Deprovisioned instance {}: dropped database {} and {} user(s)", request.instanceId(), database,
                users.size());
    }

    @Override
    public Credentials bind(BindRequest<MongodbLimits> request) {
        int maxBindings = request.plan().limits().maxBindings();
        if (request.otherBindingIds().size() >= maxBindings) {
            throw new CapacityExhaustedException("Plan " + request.plan().name() + " allows at most " + maxBindings
                    + " bindings per instance; unbind one first");
        }
        String database = ResourceNames.database(request.instanceId());
        String user = ResourceNames.user(request.bindingId());
        String password = Passwords.generate();
        String role = Boolean.TRUE.equals(request.parameters().get(READ_ONLY_PARAMETER)) ? "read" : "readWrite";
        MongoDatabase db = admin.getDatabase(database);
        Document createUser = new Document("createUser", user)
                .append("pwd", password)
                .append("roles", List.of(new Document("role", role).append("db", database)))
                .append("mechanisms", List.of(SCRAM_SHA_256));
        try {
            call("createUser", () -> db.runCommand(createUser));
        } catch (DuplicateUser e) {
            // A bind interrupted after createUser is re-run by the SDK; its password is lost, so
            // the user is made again with the new one.
            dropUser(db, user);
            call("createUser", () -> db.runCommand(createUser));
        }
        log.info("Bound {} to database {} as user {} with role {}", request.bindingId(), database, user, role);
        return Credentials.builder()
                .put("uri", address.uri(user, password, database))
                .put("name", database)
                .put("database", database)
                .put("hosts", address.hosts())
                .put("port", address.port())
                .put("username", user)
                .put("password", password)
                .put("auth_source", database)
                .put("replica_set", address.replicaSet())
                .build();
    }

    @Override
    public void unbind(UnbindRequest<MongodbLimits> request) {
        String database = ResourceNames.database(request.instanceId());
        String user = ResourceNames.user(request.bindingId());
        // Drop first so no new login can start, then end the sessions already open.
        dropUser(admin.getDatabase(database), user);
        endSessions(database, List.of(user));
        log.info("Unbound {}: dropped user {} of database {}", request.bindingId(), user, database);
    }

    /**
     * The instance's dashboard ({@link DatabaseUsage}): {@code dbStats} and {@code usersInfo} on its
     * database, both read-only, with the admin client, the two within {@link #USAGE_TIMEOUT} (the
     * driver's client-side operation timeout, server selection included).
     */
    @Override
    public Usage usage(UsageRequest<MongodbLimits> request) {
        String database = ResourceNames.database(request.instanceId());
        long deadline = System.nanoTime() + USAGE_TIMEOUT.toNanos();
        Document stats = call("dbStats", () -> withinDeadline(database, deadline)
                .runCommand(new Document("dbStats", 1)));
        int users = usersOf(withinDeadline(database, deadline)).size();
        return DatabaseUsage.of(stats, users, request.plan().limits());
    }

    private MongoDatabase withinDeadline(String database, long deadline) {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return admin.getDatabase(database).withTimeout(left, TimeUnit.MILLISECONDS);
    }

    private List<String> usersOf(MongoDatabase db) {
        Document answer = call("usersInfo", () -> db.runCommand(new Document("usersInfo", 1)));
        List<String> users = new ArrayList<>();
        for (Document user : answer.getList("users", Document.class, List.of())) {
            users.add(user.getString("user"));
        }
        return users;
    }

    private void dropUser(MongoDatabase db, String user) {
        try {
            call("dropUser", () -> db.runCommand(new Document("dropUser", user)));
        } catch (MongoCommandException e) {
            if (e.getErrorCode() != USER_NOT_FOUND) {
                throw e;
            }
        }
    }

    /**
     * Ends the users' logical sessions and their running operations and cursors, where the server
     * offers {@code killAllSessionsByPattern} (mongod and mongos 3.6+). After {@code dropUser}
     * mongod also refuses further commands on connections the user had open.
     */
    private void endSessions(String database, List<String> users) {
        if (users.isEmpty()) {
            return;
        }
        List<Document> pattern = users.stream().map(u -> new Document("user", u).append("db", database)).toList();
        try {
            call("killAllSessionsByPattern", () -> admin.getDatabase("admin")
                    .runCommand(new Document("killAllSessionsByPattern", List.of(new Document("users", pattern)))));
        } catch (MongoCommandException e) {
            switch (e.getErrorCode()) {
                case COMMAND_NOT_FOUND, COMMAND_NOT_SUPPORTED ->
                        log.debug("This MongoDB server has no killAllSessionsByPattern; sessions end with the user");
                default -> throw e;
            }
        } catch (BackendUnavailableException e) {
            // The users are gone already, which is what unbind promises; a missing killAnySession
            // privilege must not make the platform retry forever.
            log.warn("Could not end sessions of dropped users in {}: {}", database, e.description());
        }
    }

    /**
     * Runs one admin command and turns the driver's failures into the SDK's typed errors. Messages
     * name the command and MongoDB's error code only: a server's text may quote the command.
     */
    private <T> T call(String command, Supplier<T> action) {
        try {
            return action.get();
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == UNAUTHORIZED) {
                throw new BackendUnavailableException("MongoDB refused " + command + " to the broker's admin user"
                        + " (error 13 Unauthorized): it needs the root role or equivalent privileges", e);
            }
            if (e.getErrorCode() == DUPLICATE_USER) {
                throw new DuplicateUser(e);
            }
            throw e;
        } catch (MongoSecurityException e) {
            throw new BackendUnavailableException("MongoDB refused the broker's admin login", e);
        } catch (MongoTimeoutException | MongoSocketException e) {
            throw new BackendUnavailableException("MongoDB cannot be reached (" + command + ")", e);
        }
    }

    /** createUser found the user already there. */
    private static final class DuplicateUser extends MongoException {
        DuplicateUser(MongoCommandException cause) {
            super(cause.getErrorCode(), "user already exists", cause);
        }
    }
}
