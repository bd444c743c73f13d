package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** A failure inside the broker or backend; the description never carries the cause's text (500). */
public class InternalErrorException extends BrokerException {
    public InternalErrorException(String description) {
        super(description);
    }
}
