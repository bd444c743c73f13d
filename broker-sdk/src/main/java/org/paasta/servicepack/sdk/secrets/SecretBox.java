package org.paasta.servicepack.sdk.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts what the broker must store (binding credentials for GET binding, backend admin
 * passwords) with AES-256-GCM under a key from configuration ({@code servicepack.secrets.key}).
 * Sealed text is {@code v1:<base64(iv || ciphertext+tag)>}; a wrong key or tampered text fails to
 * open instead of returning garbage.
 */
public final class SecretBox {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final List<SecretKeySpec> previousKeys;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param passphrase the configured key; any length, stretched to 256 bits with SHA-256 (it is
     *                   expected to be a long random string, not a human password)
     */
    public SecretBox(String passphrase) {
        this(passphrase, List.of());
    }

    /**
     * @param previousPassphrases keys being rotated away from: secrets sealed under them still open,
     *                            and {@link #isCurrent} tells which to seal again under the new key
     */
    public SecretBox(String passphrase, List<String> previousPassphrases) {
        this.key = keyOf(passphrase);
        this.previousKeys = previousPassphrases.stream().filter(p -> p != null && !p.isBlank())
                .map(SecretBox::keyOf).toList();
    }

    private static SecretKeySpec keyOf(String passphrase) {
        if (passphrase == null || passphrase.length() < 16) {
            throw new IllegalArgumentException("servicepack.secrets.key must be at least 16 characters");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(passphrase.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Whether the current key seals this text (false: a previous key does, or none). */
    public boolean isCurrent(String sealed) {
        try {
            decrypt(sealed, key);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The same secret sealed under the current key (as it is, if it already is). */
    public String reseal(String sealed) {
        return isCurrent(sealed) ? sealed : seal(open(sealed));
    }

    public String seal(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        try {
            return decrypt(sealed, key);
        } catch (GeneralSecurityException | IllegalArgumentException current) {
            for (SecretKeySpec previous : previousKeys) {
                try {
                    return decrypt(sealed, previous);
                } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                    // try the next
                }
            }
            // No detail: the cause could echo key material into a log.
            throw new IllegalStateException("a stored secret cannot be decrypted: wrong servicepack.secrets.key "
                    + "(or a key being rotated away from missing in servicepack.secrets.previous-keys)?");
        }
    }

    private static String decrypt(String sealed, SecretKeySpec with) throws GeneralSecurityException {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
        return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    }
}
