package org.paasta.servicepack.sdk;

/** The request's parameters cannot be used (HTTP 400, nothing changed). */
public class InvalidParametersException extends BrokerException {
    public InvalidParametersException(String description) {
        super(description);
    }
}
