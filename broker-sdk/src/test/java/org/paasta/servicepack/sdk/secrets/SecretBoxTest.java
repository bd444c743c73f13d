package org.paasta.servicepack.sdk.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    @Test
    void sealedTextOpensOnlyWithTheSameKeyAndHidesThePlaintext() {
        SecretBox box = new SecretBox("0123456789abcdef-key");
        String sealed = box.seal("{\"password\":\"hunter2\"}");
        assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
        assertThat(box.seal("same")).isNotEqualTo(box.seal("same"));
        assertThat(box.open(sealed)).isEqualTo("{\"password\":\"hunter2\"}");
        assertThatThrownBy(() -> new SecretBox("another-key-0123456789").open(sealed))
                .hasMessageNotContaining("hunter2");
        String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";
        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void passwordsAreUrlSafeAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String password = Passwords.generate();
            assertThat(password).matches("[A-Za-z0-9]{32}");
            assertThat(seen.add(password)).isTrue();
        }
    }
}
