package ${package};

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ${ServiceName} as a service: a database per instance, a user of its own per binding.
 *
 * <p><b>This is an in-memory example.</b> Its "server" is the {@link #databases} map: nothing is
 * created anywhere, and everything is gone when the broker stops. Each place that touches the map
 * says which call of the real server replaces it ("REPLACE:"). What stays when you replace them
 * is what every backend owes the SDK:
 * <ul>
 *   <li><b>Idempotent methods.</b> After a crash the SDK runs an interrupted operation again: a
 *       provision may find its database half made, a deprovision may find nothing. Names come from
 *       the OSB ids ({@link ResourceNames}), so the server itself tells what exists, and "already
 *       exists" or "does not exist" is success.</li>
 *   <li><b>The plan's typed limits</b> ({@link ${ServiceName}Limits}) enforced here, with the SDK's
 *       typed errors: {@link CapacityExhaustedException} (507 on provision, 422 on bind or update),
 *       {@code InvalidParametersException} (400), {@code PlanChangeRefusedException} (422),
 *       {@code BackendUnavailableException} (503). Their text goes to the platform: write it for
 *       an operator, never put a secret in it. Any other exception is a 500 that tells the
 *       platform nothing (the broker's log has it).</li>
 *   <li><b>Secrets from {@link Passwords#generate()}</b> (SecureRandom); never logged. The SDK
 *       seals the credentials it stores.</li>
 *   <li><b>Revocation.</b> After unbind the credentials are useless at once, open sessions
 *       included.</li>
 * </ul>
 */
public class ${ServiceName}Backend implements ServiceBackend<${ServiceName}Limits> {
    private static final Logger log = LoggerFactory.getLogger(${ServiceName}Backend.class);

    /**
     * REPLACE: the server. Database name to its users (user name to password). A real backend
     * keeps a client of the server here instead (declared in the composition root) and no state
     * of its own: the server is the truth, the SDK's store has the rest.
     */
    private final Map<String, Map<String, String>> databases = new ConcurrentHashMap<>();
    private final ${ServiceName}Properties properties;

    ${ServiceName}Backend(${ServiceName}Properties properties) {
        this.properties = properties;
    }

    @Override
    public Class<${ServiceName}Limits> limitsType() {
        return ${ServiceName}Limits.class;
    }

    @Override
    public void provision(ProvisionRequest<${ServiceName}Limits> request) {
        String database = ResourceNames.database(request.instanceId());
        // REPLACE: create the database ("CREATE DATABASE IF NOT EXISTS ..." or the server's admin
        // call), treating "already exists" as success. Parameters the catalog's schema allows are
        // in request.parameters(), already validated.
        databases.putIfAbsent(database, new ConcurrentHashMap<>());
        log.info("Provisioned instance {} as database {}", request.instanceId(), database);
    }

    @Override
    public void deprovision(DeprovisionRequest<${ServiceName}Limits> request) {
        String database = ResourceNames.database(request.instanceId());
        // REPLACE: drop the database's users (request.bindingIds() names bindings the platform did
        // not unbind first) and end their sessions, then drop the database; "does not exist" is
        // success.
        Map<String, String> users = databases.remove(database);
        log.info("Deprovisioned instance {}: dropped database {} and {} user(s)", request.instanceId(), database,
                users == null ? 0 : users.size());
    }

    @Override
    public Credentials bind(BindRequest<${ServiceName}Limits> request) {
        int maxBindings = request.plan().limits().maxBindings();
        if (request.otherBindingIds().size() >= maxBindings) {
            throw new CapacityExhaustedException("Plan " + request.plan().name() + " allows at most " + maxBindings
                    + " bindings per instance; unbind one first");
        }
        String database = ResourceNames.database(request.instanceId());
        String user = ResourceNames.user(request.bindingId());
        String password = Passwords.generate();
        // REPLACE: create the user with this password and rights on this database only. A bind run
        // again after a crash finds the user made, with a password nobody kept: set the new one.
        // Send the server the password's hash where its protocol allows, so that no server or
        // driver log can show it.
        Map<String, String> users = databases.get(database);
        if (users == null) {
            // The SDK only binds instances it provisioned: the server lost the database. A 500,
            // and the broker's log says why.
            throw new IllegalStateException("database " + database + " of instance " + request.instanceId()
                    + " is missing on the server");
        }
        users.put(user, password);
        log.info("Bound {} to database {} as user {}", request.bindingId(), database, user);
        // What apps read from VCAP_SERVICES: use the field names your service's client libraries
        // and java-cfenv expect.
        return Credentials.builder()
                .put("uri", "${serviceName}://" + user + ":" + password + "@" + properties.host() + ":"
                        + properties.port() + "/" + database)
                .put("host", properties.host())
                .put("port", properties.port())
                .put("database", database)
                .put("username", user)
                .put("password", password)
                .build();
    }

    @Override
    public void unbind(UnbindRequest<${ServiceName}Limits> request) {
        String database = ResourceNames.database(request.instanceId());
        String user = ResourceNames.user(request.bindingId());
        // REPLACE: drop the user, then end its open sessions (revocation must be immediate);
        // "no such user" is success.
        Map<String, String> users = databases.get(database);
        if (users != null) {
            users.remove(user);
        }
        log.info("Unbound {}: dropped user {} of database {}", request.bindingId(), user, database);
    }

    /** The hosts apps are given: the SDK warns at start when one is a loopback address. */
    @Override
    public List<String> advertisedHosts() {
        return List.of(properties.host());
    }

    /**
     * The server's version, for the health indicator. REPLACE: ask the server, bounded by a short
     * timeout, and throw {@code BackendUnavailableException} with the reason (no secret in it)
     * when it cannot be reached or refuses the broker's admin login.
     */
    String serverVersion() {
        return "in-memory example";
    }

    /** For the example's contract test only: whether the instance's database exists. Delete with the map. */
    boolean databaseExists(String instanceId) {
        return databases.containsKey(ResourceNames.database(instanceId));
    }

    /** For the example's contract test only: whether the server lets this user in. Delete with the map. */
    boolean acceptsLogin(String database, String user, String password) {
        Map<String, String> users = databases.get(database);
        return users != null && password.equals(users.get(user));
    }
}
