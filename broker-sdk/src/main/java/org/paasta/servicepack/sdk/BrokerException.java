package org.paasta.servicepack.sdk;

/**
 * Base of the typed errors of the SDK. Its message is the OSB error {@code description} sent to the
 * platform, so it must be written for an operator and never contain a secret. The status code and
 * OSB error code are chosen in one place, the SDK's error table, from the exception's type and the
 * endpoint it was thrown from.
 */
public abstract class BrokerException extends RuntimeException {
    protected BrokerException(String description) {
        super(description);
    }

    protected BrokerException(String description, Throwable cause) {
        super(description, cause);
    }

    /** The description sent to the platform. */
    public String description() {
        return getMessage();
    }
}
