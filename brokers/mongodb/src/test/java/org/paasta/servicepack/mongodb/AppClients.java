package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.paasta.servicepack.sdk.Credentials;

/** What an application does with a binding's credentials, and the assertions on MongoDB's answers. */
final class AppClients {
    static final int UNAUTHORIZED = 13;
    static final int AUTHENTICATION_FAILED = 18;

    private AppClients() {
    }

    /**
     * A client from the binding's {@code uri}. A short server selection timeout only makes a
     * refused login fail fast; everything else comes from the URI.
     */
    static MongoClient connect(Credentials credentials) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(credentials.getString("uri")))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    /** The database the binding's URI names. */
    static MongoDatabase database(MongoClient client, Credentials credentials) {
        return client.getDatabase(new ConnectionString(credentials.getString("uri")).getDatabase());
    }

    /** Asserts that the server refuses the action with error 13 Unauthorized. */
    static void assertUnauthorized(Runnable action) {
        Throwable refused = catchThrowable(action::run);
        assertThat(refused).isInstanceOf(MongoCommandException.class);
        assertThat(((MongoCommandException) refused).getErrorCode()).isEqualTo(UNAUTHORIZED);
    }

    /** Asserts that a fresh login with these credentials is refused (error 18 AuthenticationFailed). */
    static void assertLoginRefused(Credentials credentials) {
        try (MongoClient client = connect(credentials)) {
            Throwable refused = catchThrowable(
                    () -> database(client, credentials).runCommand(new Document("listCollections", 1)));
            assertThat(refused).isInstanceOf(MongoSecurityException.class);
            assertThat(refused.getCause()).isInstanceOf(MongoCommandException.class);
            assertThat(((MongoCommandException) refused.getCause()).getErrorCode()).isEqualTo(AUTHENTICATION_FAILED);
        }
    }

    /**
     * Asserts that a connection logged in before the user was dropped is refused now. mongod answers
     * at once; mongos refreshes its user cache periodically, hence the bounded retry.
     */
    static void assertOpenConnectionRefused(MongoDatabase database, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Throwable refused = catchThrowable(() -> database.runCommand(new Document("count", "notes")));
            if (refused != null || Instant.now().isAfter(deadline)) {
                assertThat(refused).as("a command on a connection of the dropped user")
                        .isInstanceOf(MongoCommandException.class);
                assertThat(((MongoCommandException) refused).getErrorCode()).isEqualTo(UNAUTHORIZED);
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
