package org.paasta.servicepack.mongodb.testserver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802 with SHA-256 as RFC 7677 defines it), as the MongoDB
 * test double needs it: what a server stores for a password, and one login conversation.
 *
 * <p>Part of a test double, not a security component: passwords are not SASLprep-normalized (the
 * broker only generates ASCII letters and digits, for which SASLprep changes nothing), and channel
 * binding is not offered.
 */
public final class ScramSha256 {
    /** mongod's default {@code scramSHA256IterationCount}. */
    public static final int ITERATIONS = 15000;
    private static final int SALT_BYTES = 28;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramSha256() {
    }

    /** What a server keeps of a password: never the password itself. */
    public record StoredCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    }

    /** A refused login; the double answers it with mongod's error 18 AuthenticationFailed. */
    public static final class AuthenticationFailed extends Exception {
        AuthenticationFailed(String reason) {
            super(reason);
        }
    }

    public static StoredCredential store(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return store(password, salt, ITERATIONS);
    }

    static StoredCredential store(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        return new StoredCredential(salt.clone(), iterations, sha256(clientKey), hmac(salted, "Server Key"));
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * One login: {@link #clientFirst} then {@link #clientFinal}. Both throw
     * {@link AuthenticationFailed} for a malformed message, an unknown user or a wrong proof,
     * without saying which (as a server should not).
     */
    public static final class ServerConversation {
        private final Function<String, StoredCredential> credentials;
        private final Supplier<String> nonces;
        private String username;
        private StoredCredential credential;
        private String gs2Header;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;

        /**
         * @param credentials the stored credential of a user name, or null when there is no such user
         */
        public ServerConversation(Function<String, StoredCredential> credentials) {
            this(credentials, ScramSha256::randomNonce);
        }

        ServerConversation(Function<String, StoredCredential> credentials, Supplier<String> nonces) {
            this.credentials = credentials;
            this.nonces = nonces;
        }

        /** Takes {@code n,,n=user,r=clientNonce}, answers {@code r=nonce,s=salt,i=iterations}. */
        public String clientFirst(String message) throws AuthenticationFailed {
            // GS2 header: "n" (client does not support channel binding) or "y" (thinks we do not);
            // "p=" asks for channel binding, which this server does not offer.
            if (!(message.startsWith("n,") || message.startsWith("y,"))) {
                throw new AuthenticationFailed("unsupported GS2 header");
            }
            int bareStart = message.indexOf(',', 2);
            if (bareStart < 0 || bareStart != 2) {
                // An authzid ("a=...") between the commas is not supported, as in mongod.
                throw new AuthenticationFailed("authorization identity not supported");
            }
            gs2Header = message.substring(0, bareStart + 1);
            clientFirstBare = message.substring(bareStart + 1);
            Map<String, String> fields = attributes(clientFirstBare);
            String encodedUser = fields.get("n");
            String clientNonce = fields.get("r");
            if (encodedUser == null || clientNonce == null || clientNonce.isEmpty() || fields.containsKey("m")) {
                throw new AuthenticationFailed("malformed client-first-message");
            }
            username = encodedUser.replace("=2C", ",").replace("=3D", "=");
            credential = credentials.apply(username);
            if (credential == null) {
                throw new AuthenticationFailed("no such user");
            }
            nonce = clientNonce + nonces.get();
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                    + ",i=" + credential.iterations();
            return serverFirst;
        }

        /** Takes {@code c=biws,r=nonce,p=proof}, checks the proof, answers {@code v=signature}. */
        public String clientFinal(String message) throws AuthenticationFailed {
            if (serverFirst == null) {
                throw new AuthenticationFailed("client-final-message before client-first-message");
            }
            int proofAt = message.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new AuthenticationFailed("malformed client-final-message");
            }
            String withoutProof = message.substring(0, proofAt);
            Map<String, String> fields = attributes(withoutProof);
            String expectedBinding = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
            if (!expectedBinding.equals(fields.get("c"))) {
                throw new AuthenticationFailed("channel binding data does not match the GS2 header");
            }
            if (!nonce.equals(fields.get("r"))) {
                throw new AuthenticationFailed("nonce mismatch");
            }
            byte[] proof;
            try {
                proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
            } catch (IllegalArgumentException e) {
                throw new AuthenticationFailed("malformed proof");
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientSignature = hmac(credential.storedKey(), authMessage);
            if (proof.length != clientSignature.length) {
                throw new AuthenticationFailed("wrong proof");
            }
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(sha256(clientKey), credential.storedKey())) {
                throw new AuthenticationFailed("wrong proof");
            }
            return "v=" + Base64.getEncoder().encodeToString(hmac(credential.serverKey(), authMessage));
        }

        /** The user the conversation is about, once {@link #clientFirst} accepted it. */
        public String username() {
            return username;
        }
    }

    private static Map<String, String> attributes(String message) throws AuthenticationFailed {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : message.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new AuthenticationFailed("malformed SCRAM attribute");
            }
            fields.put(part.substring(0, 1), part.substring(2));
        }
        return fields;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
