package org.paasta.servicepack.sdk.config;

/** A setting the broker cannot start without; reported by {@link StartupFailureAnalyzer}. */
public class MissingSettingException extends RuntimeException {
    private final String setting;
    private final String purpose;
    private final String action;

    public MissingSettingException(String setting, String purpose) {
        this(setting, purpose, "Set it in application.yml or the environment (e.g. SERVICEPACK_SECURITY_PASSWORD), "
                + "or start with --spring.profiles.active=dev for loud demo defaults.");
    }

    /** @param action what the operator should do, shown by the startup failure report */
    public MissingSettingException(String setting, String purpose, String action) {
        super(setting + " is not set: " + purpose);
        this.setting = setting;
        this.purpose = purpose;
        this.action = action;
    }

    public String action() {
        return action;
    }

    public String setting() {
        return setting;
    }

    public String purpose() {
        return purpose;
    }
}
