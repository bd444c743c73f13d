package org.paasta.servicepack.sdk.dashboard;

import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The pages' own words in Korean and English ({@code servicepack/dashboard/messages_*.properties}),
 * for the templates and for texts made in Java alike.
 */
public final class Texts {
    private final ResourceBundleMessageSource messages = new ResourceBundleMessageSource();

    public Texts() {
        messages.setBasename("servicepack/dashboard/messages");
        messages.setDefaultEncoding("UTF-8");
        // The server's own locale must not decide the page's language.
        messages.setFallbackToSystemLocale(false);
    }

    MessageSource source() {
        return messages;
    }

    public String get(String key, Language language, Object... args) {
        return messages.getMessage(key, args, language.locale());
    }

    Optional<String> optional(String key, Language language) {
        try {
            return Optional.of(messages.getMessage(key, null, language.locale()));
        } catch (NoSuchMessageException e) {
            return Optional.empty();
        }
    }
}
