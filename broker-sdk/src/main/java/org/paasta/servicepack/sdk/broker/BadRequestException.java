package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** Malformed or missing request data: bad ids, unknown service or plan, wrong fields (400). */
public class BadRequestException extends BrokerException {
    public BadRequestException(String description) {
        super(description);
    }
}
