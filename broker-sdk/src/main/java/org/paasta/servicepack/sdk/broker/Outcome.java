package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.Credentials;

/**
 * What an OSB request led to: {@link Kind#CREATED} (201), {@link Kind#EXISTED} (200, identical
 * request already done, or a finished update/deletion), or {@link Kind#ACCEPTED} (202, running async).
 */
public record Outcome(Kind kind, String operation, String dashboardUrl, Credentials credentials, Long expiresAt,
                      Long renewBefore) {
    public enum Kind { CREATED, EXISTED, ACCEPTED }

    static Outcome of(Kind kind, String operation) {
        return new Outcome(kind, operation, null, null, null, null);
    }

    Outcome withDashboard(String url) {
        return new Outcome(kind, operation, url, credentials, expiresAt, renewBefore);
    }
}
