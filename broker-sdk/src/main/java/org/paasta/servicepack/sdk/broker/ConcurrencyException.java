package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** Another operation on the instance or binding is in progress (422 ConcurrencyError). */
public class ConcurrencyException extends BrokerException {
    public ConcurrencyException(String description) {
        super(description);
    }
}
