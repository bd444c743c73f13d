package org.paasta.servicepack.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Redis names derived from OSB ids, so that a repeated bind, unbind or deprovision finds what an
 * earlier call made without a lookup table.
 *
 * <p>A binding's user name goes into the credentials' {@code uri} and an instance's directory
 * name into a path below the data root, so an id is used as it is only when it is short and made
 * of letters, digits, {@code .}, {@code _} and {@code -} (a GUID is); any other id, or one that
 * would make a hidden or parent directory, is replaced by 40 hex digits of its SHA-256.
 */
final class ResourceNames {
    /** The broker's own user on every server it administers; {@code default} is always switched off. */
    static final String ADMIN_USER = "servicepack-admin";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final int HASH_HEX_DIGITS = 40;

    private ResourceNames() {
    }

    /** The ACL user of a binding: {@code binding-<binding_id>}. */
    static String bindingUser(String bindingId) {
        return "binding-" + (SAFE_ID.matcher(bindingId).matches() ? bindingId : hash(bindingId));
    }

    /** The directory of a shared-vm instance below the data root: {@code instance-<instance_id>}. */
    static String instanceDirectory(String instanceId) {
        boolean plain = SAFE_ID.matcher(instanceId).matches() && !instanceId.startsWith(".");
        return "instance-" + (plain ? instanceId : hash(instanceId));
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String hash(String id) {
        return sha256Hex(id).substring(0, HASH_HEX_DIGITS);
    }
}
