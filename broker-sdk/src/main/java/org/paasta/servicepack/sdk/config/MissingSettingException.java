package org.paasta.servicepack.sdk.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings the broker cannot start without, all of them at once, each with the environment
 * variable an operator sets; reported by {@link StartupFailureAnalyzer} as one short message.
 */
public class MissingSettingException extends RuntimeException {

    /**
     * @param property  the Spring property, e.g. {@code servicepack.secrets.key}
     * @param variable  the environment variable that sets it, e.g. {@code SERVICEPACK_SECRETS_KEY}
     * @param purpose   what it is for, and what a valid value looks like
     */
    public record Setting(String property, String variable, String purpose) {
        String line() {
            return variable + " (" + property + "): " + purpose;
        }
    }

    private final List<Setting> settings;

    public MissingSettingException(List<Setting> settings) {
        super(settings.stream().map(Setting::line).collect(Collectors.joining("; ", "missing settings: ", "")));
        this.settings = List.copyOf(settings);
    }

    public MissingSettingException(String property, String variable, String purpose) {
        this(List.of(new Setting(property, variable, purpose)));
    }

    public List<Setting> settings() {
        return settings;
    }
}
