package org.paasta.servicepack.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * RabbitMQ names derived from OSB ids, so the broker can always tell what belongs to an instance
 * or binding without a lookup table.
 *
 * <p>The rule: an id of 1 to 64 ASCII letters, digits and hyphens (every GUID a platform sends)
 * is kept as it is after a prefix, {@code si-} for a service instance's vhost and {@code sb-} for
 * a binding's user, so an operator recognises the id in the management UI. Any other id (OSB
 * allows any string) becomes the prefix {@code si_} / {@code sb_} followed by the first 40 hex
 * digits of its SHA-256. The two forms cannot collide, because '_' never appears in the first.
 * Every name is therefore URL-safe: it goes unescaped into {@code amqp://user:pass@host/vhost},
 * which java-cfenv does not percent-decode.
 */
final class ResourceNames {
    static final String VHOST_PREFIX = "si";
    static final String USER_PREFIX = "sb";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private ResourceNames() {
    }

    static String vhost(String instanceId) {
        return derive(VHOST_PREFIX, instanceId);
    }

    static String user(String bindingId) {
        return derive(USER_PREFIX, bindingId);
    }

    /** Whether a user name has the form this broker gives its binding users. */
    static boolean isBindingUser(String name) {
        return name.startsWith(USER_PREFIX + "-") || name.startsWith(USER_PREFIX + "_");
    }

    private static String derive(String prefix, String id) {
        if (PLAIN_ID.matcher(id).matches()) {
            return prefix + "-" + id;
        }
        return prefix + "_" + HexFormat.of().formatHex(sha256(id)).substring(0, 40);
    }

    private static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
