package org.paasta.servicepack.mongodb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * MongoDB names derived from OSB ids, so that the server itself answers "does it exist?" and a
 * retried operation finds what an interrupted one made.
 *
 * <p>MongoDB's rules for a database name: fewer than 64 bytes, none of {@code / \ . " $ * < > : | ?},
 * no space and no NUL; and names that differ only in letter case cannot coexist on one server. The
 * platform may send any string as an id, so an id is used as it is only when it is short and made
 * of lower-case letters, digits and hyphens (the usual GUID): {@code sp-<id>}. Any other id becomes
 * {@code sp_<48 hex digits of SHA-256(id)>}. The two forms cannot meet (hyphen against underscore)
 * and both are lower case, so two instances never share a database nor clash by case.
 *
 * <p>User names live inside their database, so a binding's user only has to be unique there:
 * {@code binding-<id>} for ids of letters, digits and hyphens, {@code binding_<hash>} otherwise,
 * which keeps user names URL-safe.
 */
final class ResourceNames {
    static final int MAX_DATABASE_NAME_BYTES = 63;

    private static final String DATABASE_PREFIX = "sp-";
    private static final String HASHED_DATABASE_PREFIX = "sp_";
    private static final Pattern PLAIN_INSTANCE_ID =
            Pattern.compile("[a-z0-9-]{1," + (MAX_DATABASE_NAME_BYTES - DATABASE_PREFIX.length()) + "}");
    private static final String USER_PREFIX = "binding-";
    private static final String HASHED_USER_PREFIX = "binding_";
    private static final Pattern PLAIN_BINDING_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final int HASH_HEX_DIGITS = 48;

    private ResourceNames() {
    }

    static String database(String instanceId) {
        if (PLAIN_INSTANCE_ID.matcher(instanceId).matches()) {
            return DATABASE_PREFIX + instanceId;
        }
        return HASHED_DATABASE_PREFIX + hash(instanceId);
    }

    static String user(String bindingId) {
        if (PLAIN_BINDING_ID.matcher(bindingId).matches()) {
            return USER_PREFIX + bindingId;
        }
        return HASHED_USER_PREFIX + hash(bindingId);
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
