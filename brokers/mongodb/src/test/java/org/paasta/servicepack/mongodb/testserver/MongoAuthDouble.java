package org.paasta.servicepack.mongodb.testserver;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.paasta.servicepack.sdk.secrets.Passwords;

/**
 * A MongoDB wire-protocol server inside the test JVM on 127.0.0.1 (random free port): the in-memory
 * storage of mongo-java-server behind {@link AuthorizingBackend}, the project's TEST DOUBLE of
 * MongoDB's authentication and authorization rules. Not MongoDB; see {@link AuthorizingBackend}
 * for what is modelled and what is not.
 *
 * <p>It starts with one user, {@code admin} in the {@code admin} database with the {@code root}
 * role and a random password, as an operator would set up {@code mongod --auth}.
 */
public final class MongoAuthDouble implements AutoCloseable {
    private final MongoServer server;
    private final String adminUri;

    private MongoAuthDouble(MongoServer server, String adminUri) {
        this.server = server;
        this.adminUri = adminUri;
    }

    public static MongoAuthDouble start() {
        AuthorizingBackend backend = new AuthorizingBackend(new MemoryBackend());
        String password = Passwords.generate();
        backend.addRootUser("admin", password);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        return new MongoAuthDouble(server, "mongodb://admin:" + password + "@127.0.0.1:" + address.getPort()
                + "/admin?authSource=admin");
    }

    /** A connection string of the root user. */
    public String adminUri() {
        return adminUri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
