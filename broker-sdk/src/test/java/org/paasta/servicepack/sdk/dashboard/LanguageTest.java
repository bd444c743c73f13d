package org.paasta.servicepack.sdk.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageTest {
    @Test
    void theParameterWinsThenTheBrowsersPreferenceThenKorean() {
        assertThat(Language.choose("en", "ko-KR,ko;q=0.9")).isEqualTo(Language.EN);
        assertThat(Language.choose("KO", "en-US")).isEqualTo(Language.KO);
        assertThat(Language.choose("fr", "en-US,en;q=0.9")).isEqualTo(Language.EN);
        assertThat(Language.choose(null, "fr-FR,en;q=0.5,ko;q=0.8")).isEqualTo(Language.KO);
        assertThat(Language.choose(null, "de-DE,de;q=0.9")).isEqualTo(Language.KO);
        assertThat(Language.choose(null, "en;q=0")).isEqualTo(Language.KO);
        assertThat(Language.choose(null, ";;;==garbage")).isEqualTo(Language.KO);
        assertThat(Language.choose(null, null)).isEqualTo(Language.KO);
    }
}
