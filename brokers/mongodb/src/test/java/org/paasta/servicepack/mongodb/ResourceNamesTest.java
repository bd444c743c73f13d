package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {
    /** MongoDB's database name rule, as documented in the MongoDB manual ("Naming Restrictions"). */
    private static void assertValidDatabaseName(String name) {
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).as(name).isLessThan(64);
        assertThat(name).as(name).doesNotContainPattern("[/\\\\. \"$*<>:|?\\x00]").isNotEmpty();
    }

    @Test
    void aLowerCaseGuidIsKeptReadable() {
        assertThat(ResourceNames.database("6f1c2d4e-0a7b-4c55-9e0f-1234567890ab"))
                .isEqualTo("sp-6f1c2d4e-0a7b-4c55-9e0f-1234567890ab");
        assertThat(ResourceNames.user("Binding-42")).isEqualTo("binding-Binding-42");
    }

    @Test
    void anyOtherIdIsHashedIntoAValidName() {
        List<String> awkward = List.of("Mongo-DB", "with space", "a.b", "slash/and\\back", "dollar$", "quote\"",
                "star*", "<>:|?", "nul\0char", "한글-인스턴스", "x".repeat(61), "x".repeat(1000), "");
        for (String id : awkward) {
            String name = ResourceNames.database(id);
            assertValidDatabaseName(name);
            assertThat(name).startsWith("sp_").hasSize(51);
        }
        assertThat(ResourceNames.database("x".repeat(60))).isEqualTo("sp-" + "x".repeat(60));
    }

    @Test
    void distinctIdsNeverShareADatabaseNotEvenByLetterCase() {
        // MongoDB refuses two databases whose names differ only in case.
        Random random = new Random(7);
        String alphabet = "abcdefABCDEF0123456789-_. /$";
        Set<String> lowerCased = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20000; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = 1 + random.nextInt(12); n > 0; n--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (ids.add(id.toString())) {
                String name = ResourceNames.database(id.toString());
                assertValidDatabaseName(name);
                assertThat(lowerCased.add(name.toLowerCase(Locale.ROOT))).as("unique name for %s", id).isTrue();
            }
        }
    }

    @Test
    void userNamesAreUrlSafe() {
        for (String id : List.of("plain-id", "with space", "a/b:c@d", "한글", "x".repeat(200))) {
            assertThat(ResourceNames.user(id)).matches("binding[-_][A-Za-z0-9-]+");
        }
        assertThat(ResourceNames.user("a/b")).isNotEqualTo(ResourceNames.user("a:b"));
    }
}
