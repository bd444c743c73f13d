package org.paasta.servicepack.sdk;

/** The backing service cannot be reached or refused the broker's admin credentials (HTTP 503, retryable). */
public class BackendUnavailableException extends BrokerException {
    public BackendUnavailableException(String description, Throwable cause) {
        super(description, cause);
    }
}
