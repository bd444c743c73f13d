package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The operation can only run asynchronously and the platform did not send accepts_incomplete=true (422 AsyncRequired). */
public class AsyncRequiredException extends BrokerException {
    public AsyncRequiredException(String description) {
        super(description);
    }
}
