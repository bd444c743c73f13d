package org.paasta.servicepack.mysql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Backend names derived from OSB ids, so the server itself answers "does it exist?" and a retry
 * finds what a crashed attempt made. Only {@code [a-z0-9_]} ever reaches SQL, whatever the id:
 * <ul>
 *   <li>database: {@code cf_<guid with underscores>} for a lowercase GUID (as cf-mysql-broker named
 *       them, easy to find for an operator), otherwise {@code cf_h<32 hex of SHA-256(id)>}; at most
 *       36 characters, within MySQL's 64;</li>
 *   <li>user: {@code <10 hex of SHA-256(instance id)>_<21 hex of SHA-256(binding id)>}: 32
 *       characters, MySQL 8's limit, and the prefix finds every user of an instance.</li>
 * </ul>
 */
final class ResourceNames {
    private static final Pattern GUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SAFE = Pattern.compile("[a-z0-9_]{1,64}");

    private ResourceNames() {
    }

    public static String database(String instanceId) {
        if (GUID.matcher(instanceId).matches()) {
            return "cf_" + instanceId.replace('-', '_');
        }
        return "cf_h" + sha256(instanceId).substring(0, 32);
    }

    public static String userPrefix(String instanceId) {
        return sha256(instanceId).substring(0, 10) + "_";
    }

    public static String user(String instanceId, String bindingId) {
        return userPrefix(instanceId) + sha256(bindingId).substring(0, 21);
    }

    /**
     * The database name as a GRANT pattern. In GRANT, '_' is a wildcard: unescaped, a grant on
     * {@code cf_a_b} would also cover {@code cfXaYb}, and with CREATE in ALL PRIVILEGES an app
     * could create such databases outside its instance. Escaped, it covers exactly one name.
     */
    static String grantPattern(String database) {
        return safe(database).replace("_", "\\_");
    }

    /** Refuses anything but the derived alphabet before it is written into a statement. */
    static String safe(String name) {
        if (!SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("not a derived backend name");
        }
        return name;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
