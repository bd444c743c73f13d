package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import org.paasta.servicepack.mongodb.testserver.MongoAuthDouble;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The MongoDB server the tests talk to: the admin URI in {@code MONGODB_TEST_URI} when it is set
 * (a real {@code mongod --auth}, replica set or mongos, whose user has the root role), otherwise
 * {@link MongoAuthDouble}, the in-JVM test double of MongoDB's auth rules, started once per test
 * JVM. Tests only ever see the URI, so they cannot depend on which one it is.
 *
 * <p>The one place a broker test gets its MongoDB from: {@code @BrokerTest} starts the broker with
 * the test credentials and store, and {@link #register} adds the admin URI.
 */
final class MongoTarget {
    private static String adminUri;

    private MongoTarget() {
    }

    static synchronized String adminUri() {
        if (adminUri == null) {
            String given = System.getenv("MONGODB_TEST_URI");
            if (given != null && !given.isBlank()) {
                adminUri = given;
            } else {
                MongoAuthDouble server = MongoAuthDouble.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mongo-auth-double-shutdown"));
                adminUri = server.adminUri();
            }
        }
        return adminUri;
    }

    /** The admin URI with another password: the same user, hosts and options, refused at login. */
    static String adminUriWithPassword(String password) {
        ConnectionString uri = new ConnectionString(adminUri());
        return "mongodb://" + uri.getUsername() + ":" + password + "@" + String.join(",", uri.getHosts())
                + "/admin?authSource=" + uri.getCredential().getSource() + "&serverSelectionTimeoutMS=3000"
                + (Boolean.TRUE.equals(uri.getSslEnabled()) ? "&tls=true" : "")
                + (uri.getRequiredReplicaSetName() != null ? "&replicaSet=" + uri.getRequiredReplicaSetName() : "");
    }

    /** The broker's {@code servicepack.mongodb.uri}, from a test's {@code @DynamicPropertySource}. */
    static void register(DynamicPropertyRegistry registry) {
        registry.add("servicepack.mongodb.uri", MongoTarget::adminUri);
    }
}
