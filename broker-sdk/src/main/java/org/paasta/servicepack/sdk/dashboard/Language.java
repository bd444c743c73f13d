package org.paasta.servicepack.sdk.dashboard;

import java.util.List;
import java.util.Locale;

/**
 * The languages of the pages: Korean (PaaS-TA's users' own, and the default) and English. An
 * explicit {@code ?lang=ko|en} wins, then the browser's {@code Accept-Language} in its order of
 * preference; a browser that asks for neither gets Korean.
 */
public enum Language {
    KO(Locale.KOREAN), EN(Locale.ENGLISH);

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    public String tag() {
        return locale.getLanguage();
    }

    /** @param lang the {@code lang} query parameter or null; @param acceptLanguage the header or null */
    public static Language choose(String lang, String acceptLanguage) {
        if (lang != null) {
            for (Language language : values()) {
                if (language.tag().equalsIgnoreCase(lang.trim())) {
                    return language;
                }
            }
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                // Ranges come back highest quality first; "*" or other languages are skipped.
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String primary = range.getRange().split("-", 2)[0];
                    for (Language language : values()) {
                        if (language.tag().equalsIgnoreCase(primary) && range.getWeight() > 0) {
                            return language;
                        }
                    }
                }
            } catch (IllegalArgumentException malformed) {
                return KO;
            }
        }
        return KO;
    }

    static List<Language> all() {
        return List.of(values());
    }
}
