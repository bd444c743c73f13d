package org.paasta.servicepack.sdk.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed token of a dashboard link: it opens the dashboard of one instance until it expires,
 * with no login (a platform hands {@code dashboard_url} to a browser as is).
 *
 * <p>A token is {@code base64url(payload) "." base64url(HMAC-SHA256(key, payload))}, the payload
 * being a version byte, the expiry (epoch seconds), the instance's creation time (epoch millis, so
 * a link dies with its instance even if the platform provisions the same id again) and the
 * instance id. The id is in the token, not only in the URL, so a valid token for another instance
 * is told apart (403) from a forged or damaged one (401).
 *
 * <p>The key is derived from {@code servicepack.secrets.key} with a label of its own, so it is not
 * the key that seals stored credentials ({@code SecretBox}): knowing one says nothing of the other.
 * Links signed under a key in {@code servicepack.secrets.previous-keys} keep working until they
 * expire; a key dropped from both ends every link signed under it.
 */
public final class DashboardTokens {
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + Long.BYTES + Long.BYTES;
    private static final String KEY_LABEL = "servicepack dashboard link key v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longer than any token of an id the SDK accepts (255 characters): no work on junk. */
    private static final int MAX_TOKEN_CHARS = 512;

    private final SecretKeySpec key;
    private final List<SecretKeySpec> previousKeys;

    /** @param secretsKey {@code servicepack.secrets.key} */
    public DashboardTokens(String secretsKey) {
        this(secretsKey, List.of());
    }

    /** @param previousSecretsKeys {@code servicepack.secrets.previous-keys}: what they signed is still valid */
    public DashboardTokens(String secretsKey, List<String> previousSecretsKeys) {
        if (secretsKey == null || secretsKey.length() < 16) {
            throw new IllegalArgumentException("servicepack.secrets.key must be at least 16 characters");
        }
        this.key = new SecretKeySpec(deriveKey(secretsKey), "HmacSHA256");
        this.previousKeys = previousSecretsKeys.stream().filter(k -> k != null && !k.isBlank())
                .map(k -> new SecretKeySpec(deriveKey(k), "HmacSHA256")).toList();
    }

    /** HMAC-SHA256 keyed with the configured secret over a fixed label: a key of this use only. */
    static byte[] deriveKey(String secretsKey) {
        return hmac(new SecretKeySpec(secretsKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                KEY_LABEL.getBytes(StandardCharsets.UTF_8));
    }

    /** A token for the instance created at {@code instanceCreatedAt}, valid until {@code expiresAt}. */
    public String sign(String instanceId, long instanceCreatedAt, Instant expiresAt) {
        byte[] id = instanceId.getBytes(StandardCharsets.UTF_8);
        byte[] payload = ByteBuffer.allocate(HEADER_BYTES + id.length).put(VERSION)
                .putLong(expiresAt.getEpochSecond()).putLong(instanceCreatedAt).put(id).array();
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(hmac(key, payload));
    }

    /** What a token presented for {@code instanceId}'s dashboard allows, at {@code now}. */
    public Verdict verify(String token, String instanceId, Instant now) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return new Verdict.Unrecognised();
        }
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] signature;
        try {
            payload = canonical(token.substring(0, Math.max(dot, 0)));
            signature = canonical(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Verdict.Unrecognised();
        }
        // Constant time: how long a refusal takes must not tell how much of a forgery was right.
        if (dot <= 0 || payload.length <= HEADER_BYTES || payload[0] != VERSION || !signed(payload, signature)) {
            return new Verdict.Unrecognised();
        }
        ByteBuffer fields = ByteBuffer.wrap(payload, 1, HEADER_BYTES - 1);
        Instant expiresAt = Instant.ofEpochSecond(fields.getLong());
        long createdAt = fields.getLong();
        String signedFor = new String(payload, HEADER_BYTES, payload.length - HEADER_BYTES, StandardCharsets.UTF_8);
        if (!now.isBefore(expiresAt)) {
            return new Verdict.Expired(expiresAt);
        }
        if (!signedFor.equals(instanceId)) {
            return new Verdict.OtherInstance();
        }
        return new Verdict.Valid(createdAt, expiresAt);
    }

    private boolean signed(byte[] payload, byte[] signature) {
        if (MessageDigest.isEqual(hmac(key, payload), signature)) {
            return true;
        }
        for (SecretKeySpec previous : previousKeys) {
            if (MessageDigest.isEqual(hmac(previous, payload), signature)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes base64url, refusing any spelling but the one {@link #sign} writes: the decoder
     * ignores a last character's unused bits, so one token would otherwise have several spellings
     * (the changed token would still work, which is not what anyone who changed it expects).
     */
    private static byte[] canonical(String text) {
        byte[] bytes = DECODER.decode(text);
        if (!ENCODER.encodeToString(bytes).equals(text)) {
            throw new IllegalArgumentException("not canonical base64url");
        }
        return bytes;
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The outcomes of a token check; only {@link Valid} shows anything of an instance. */
    public sealed interface Verdict {
        /** Signed by this broker for this instance and not expired; the page still checks the creation time. */
        record Valid(long instanceCreatedAt, Instant expiresAt) implements Verdict {
        }

        /** Missing, malformed, forged or damaged, or signed with another key (401). */
        record Unrecognised() implements Verdict {
        }

        /** Genuine but past its expiry (401). */
        record Expired(Instant expiredAt) implements Verdict {
        }

        /** Genuine, for another instance (403): it says nothing about this one. */
        record OtherInstance() implements Verdict {
        }
    }
}
