package org.paasta.servicepack.sdk.config;

/** A setting the broker cannot start without; reported by {@link StartupFailureAnalyzer}. */
public class MissingSettingException extends RuntimeException {
    private final String setting;
    private final String purpose;

    public MissingSettingException(String setting, String purpose) {
        super(setting + " is not set: " + purpose);
        this.setting = setting;
        this.purpose = purpose;
    }

    public String setting() {
        return setting;
    }

    public String purpose() {
        return purpose;
    }
}
