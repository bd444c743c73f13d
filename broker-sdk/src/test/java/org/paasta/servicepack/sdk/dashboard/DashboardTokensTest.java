package org.paasta.servicepack.sdk.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.dashboard.DashboardTokens.Verdict;

class DashboardTokensTest {
    static final String KEY = "test-secrets-key-0123456789abcdef";
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final long CREATED = 1_700_000_000_123L;
    final DashboardTokens tokens = new DashboardTokens(KEY);

    @Test
    void aTokenOpensItsInstanceUntilItExpires() {
        Instant expiry = NOW.plus(Duration.ofDays(90));
        String token = tokens.sign("instance-1", CREATED, expiry);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.verify(token, "instance-1", NOW)).isEqualTo(new Verdict.Valid(CREATED, expiry));
        assertThat(tokens.verify(token, "instance-1", expiry.minusSeconds(1))).isInstanceOf(Verdict.Valid.class);
        assertThat(tokens.verify(token, "instance-1", expiry)).isEqualTo(new Verdict.Expired(expiry));
        assertThat(tokens.verify(token, "instance-1", expiry.plus(Duration.ofDays(1))))
                .isInstanceOf(Verdict.Expired.class);
    }

    @Test
    void anotherInstancesTokenIsGenuineButNotForThisOne() {
        String token = tokens.sign("instance-1", CREATED, NOW.plusSeconds(60));
        assertThat(tokens.verify(token, "instance-2", NOW)).isInstanceOf(Verdict.OtherInstance.class);
        assertThat(tokens.verify(token, "instance-10", NOW)).isInstanceOf(Verdict.OtherInstance.class);
        assertThat(tokens.verify(token, "instance-", NOW)).isInstanceOf(Verdict.OtherInstance.class);
    }

    @Test
    void everyChangedCharacterIsRefused() {
        String token = tokens.sign("instance-1", CREATED, NOW.plusSeconds(60));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char replacement = alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % alphabet.length());
            String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
            assertThat(tokens.verify(tampered, "instance-1", NOW)).as("changed at %d: %s", i, tampered)
                    .isInstanceOf(Verdict.Unrecognised.class);
        }
    }

    @Test
    void aLongerExpiryOrAnotherInstanceCannotBeWrittenIntoAToken() {
        String token = tokens.sign("instance-1", CREATED, NOW.plusSeconds(60));
        String signature = token.substring(token.indexOf('.') + 1);
        byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
        byte[] later = payload.clone();
        later[3] = (byte) (later[3] + 1); // far later expiry
        assertThat(tokens.verify(encode(later) + "." + signature, "instance-1", NOW))
                .isInstanceOf(Verdict.Unrecognised.class);
        byte[] other = payload.clone();
        other[other.length - 1] = '2';
        assertThat(tokens.verify(encode(other) + "." + signature, "instance-2", NOW))
                .isInstanceOf(Verdict.Unrecognised.class);
    }

    @Test
    void junkMissingAndForeignTokensAreRefused() {
        for (String junk : new String[] {null, "", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "x".repeat(600),
                encode(new byte[] {1}) + "." + encode(new byte[32])}) {
            assertThat(tokens.verify(junk, "instance-1", NOW)).as("%s", junk).isInstanceOf(Verdict.Unrecognised.class);
        }
        String foreign = new DashboardTokens("another-secrets-key-0123456789").sign("instance-1", CREATED,
                NOW.plusSeconds(60));
        assertThat(tokens.verify(foreign, "instance-1", NOW)).isInstanceOf(Verdict.Unrecognised.class);
    }

    @Test
    void linksSignedBeforeAKeyRotationStillOpenUntilTheKeyIsDropped() {
        String before = tokens.sign("instance-1", CREATED, NOW.plusSeconds(60));
        DashboardTokens rotated = new DashboardTokens("the-new-secrets-key-0123456789", List.of(KEY));
        assertThat(rotated.verify(before, "instance-1", NOW)).isInstanceOf(Verdict.Valid.class);
        String after = rotated.sign("instance-1", CREATED, NOW.plusSeconds(60));
        assertThat(tokens.verify(after, "instance-1", NOW)).as("signed under the new key")
                .isInstanceOf(Verdict.Unrecognised.class);
        assertThat(new DashboardTokens("the-new-secrets-key-0123456789").verify(before, "instance-1", NOW))
                .isInstanceOf(Verdict.Unrecognised.class);
    }

    @Test
    void theSigningKeyIsNotTheCredentialSealingKey() throws Exception {
        byte[] sealing = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));
        byte[] signing = DashboardTokens.deriveKey(KEY);
        assertThat(signing).hasSize(32).isNotEqualTo(sealing);
        assertThat(DashboardTokens.deriveKey(KEY)).isEqualTo(signing);
        assertThat(DashboardTokens.deriveKey(KEY + "x")).isNotEqualTo(signing);
    }

    @Test
    void aShortKeyIsRefusedAtStart() {
        assertThatThrownBy(() -> new DashboardTokens("short")).hasMessageContaining("servicepack.secrets.key");
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
