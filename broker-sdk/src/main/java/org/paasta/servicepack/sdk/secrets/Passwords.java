package org.paasta.servicepack.sdk.secrets;

import java.security.SecureRandom;

/**
 * Backend passwords from {@link SecureRandom}. The alphabet is URL-safe and shell-safe (letters and
 * digits only) so a password can go into a URI, a connection string or a config file unescaped;
 * 32 characters of 62 give about 190 bits.
 */
public final class Passwords {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String generate() {
        return generate(32);
    }

    public static String generate(int length) {
        char[] password = new char[length];
        for (int i = 0; i < length; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(password);
    }
}
