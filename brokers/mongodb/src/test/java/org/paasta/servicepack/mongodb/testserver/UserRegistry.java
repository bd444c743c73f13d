package org.paasta.servicepack.mongodb.testserver;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.paasta.servicepack.mongodb.testserver.ScramSha256.StoredCredential;

/**
 * The users of the MongoDB test double, as mongod keeps them in {@code admin.system.users}: a user
 * is a name within an authentication database, with role grants and a SCRAM-SHA-256 credential.
 */
final class UserRegistry {
    /** A user's identity: {@code name@db}. */
    record UserKey(String db, String name) {
        @Override
        public String toString() {
            return name + "@" + db;
        }
    }

    record User(UserKey key, List<RoleGrant> roles, StoredCredential credential) {
        User {
            roles = List.copyOf(roles);
        }
    }

    private final ConcurrentMap<UserKey, User> users = new ConcurrentHashMap<>();

    Optional<User> find(UserKey key) {
        return Optional.ofNullable(users.get(key));
    }

    /** @return false when a user of that name already exists in that database */
    boolean create(User user) {
        return users.putIfAbsent(user.key(), user) == null;
    }

    /** @return false when there was no such user */
    boolean drop(UserKey key) {
        return users.remove(key) != null;
    }

    Collection<User> all() {
        return List.copyOf(users.values());
    }
}
