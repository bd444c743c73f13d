package ${package};

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * ${ServiceName} names derived from OSB ids, with no lookup table: the server itself then answers
 * "does it exist?", and an operation the SDK runs again after a crash finds what the interrupted
 * one made.
 *
 * <p>The rule here suits most servers: lower-case letters, digits and underscores, at most
 * {@value #MAX_NAME_LENGTH} characters. An id of lower-case letters, digits and hyphens (the usual
 * GUID) short enough is kept readable, its hyphens turned into underscores: {@code sp_<id>} for a
 * database, {@code u_<id>} for a user. Any other id (the platform may send any string) becomes
 * {@code sph_} or {@code uh_} and 40 hex digits of its SHA-256. A readable id has no underscore,
 * and the two forms have different prefixes, so two ids never share a name.
 *
 * <p>Replace the rule with your server's when it differs: the characters it allows, its maximum
 * name length, whether names that differ only in case can coexist. A changed rule loses track of
 * everything made under the old one, so settle it before the first real instance.
 */
final class ResourceNames {
    static final int MAX_NAME_LENGTH = 63;

    private static final Pattern READABLE_ID = Pattern.compile("[a-z0-9-]{1,58}");
    private static final int HASH_HEX_DIGITS = 40;

    private ResourceNames() {
    }

    /** The database (or schema, vhost, keyspace) of an instance. */
    static String database(String instanceId) {
        return name("sp_", "sph_", instanceId);
    }

    /** The user of a binding; unique on the whole server, so it may also live outside its database. */
    static String user(String bindingId) {
        return name("u_", "uh_", bindingId);
    }

    private static String name(String prefix, String hashedPrefix, String id) {
        if (READABLE_ID.matcher(id).matches()) {
            return prefix + id.replace('-', '_');
        }
        return hashedPrefix + hash(id);
    }

    private static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
