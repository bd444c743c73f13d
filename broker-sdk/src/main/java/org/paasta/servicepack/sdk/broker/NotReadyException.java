package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The instance or binding is still being created, so it cannot be fetched yet (404, as the spec says). */
public class NotReadyException extends BrokerException {
    public NotReadyException(String description) {
        super(description);
    }
}
