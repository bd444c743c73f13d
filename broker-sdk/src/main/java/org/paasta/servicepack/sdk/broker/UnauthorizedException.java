package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** Missing or wrong broker credentials (401). */
public class UnauthorizedException extends BrokerException {
    public UnauthorizedException(String description) {
        super(description);
    }
}
