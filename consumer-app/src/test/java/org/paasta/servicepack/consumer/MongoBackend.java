package org.paasta.servicepack.consumer;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.paasta.servicepack.mongodb.testserver.AuthorizingBackend;

/**
 * The MongoDB the MongoDB broker administers in this harness: {@code MONGODB_TEST_URI} (an admin
 * URI of a real mongod, replica set or mongos whose user has root) when given; otherwise the MongoDB
 * broker's TEST DOUBLE of MongoDB's authentication and authorization rules (its testserver package
 * on mongo-java-server's in-memory storage), listening on 127.0.0.1 inside the test JVM. Not
 * MongoDB: see brokers/mongodb/README.md for what the double models.
 */
final class MongoBackend implements AutoCloseable {
    final String adminUri;
    private final MongoServer server;

    private MongoBackend(String adminUri, MongoServer server) {
        this.adminUri = adminUri;
        this.server = server;
    }

    static MongoBackend start() {
        String given = System.getenv("MONGODB_TEST_URI");
        if (given != null && !given.isBlank()) {
            return new MongoBackend(given, null);
        }
        AuthorizingBackend backend = new AuthorizingBackend(new MemoryBackend());
        String password = BrokerProcess.secret(32);
        backend.addRootUser("admin", password);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return new MongoBackend("mongodb://admin:" + password + "@127.0.0.1:" + server.getLocalAddress().getPort()
                + "/admin?authSource=admin", server);
    }

    boolean isTestDouble() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
        }
    }
}
