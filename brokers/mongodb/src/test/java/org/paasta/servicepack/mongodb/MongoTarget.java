package org.paasta.servicepack.mongodb;

import org.paasta.servicepack.mongodb.testserver.MongoAuthDouble;

/**
 * The MongoDB server the tests talk to: the admin URI in {@code MONGODB_TEST_URI} when it is set
 * (a real {@code mongod --auth}, replica set or mongos, whose user has the root role), otherwise
 * {@link MongoAuthDouble}, the in-JVM test double of MongoDB's auth rules, started once per test
 * JVM. Tests only ever see the URI, so they cannot depend on which one it is.
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
}
