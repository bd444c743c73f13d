package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** No X-Broker-API-Version header (400). */
public class ApiVersionMissingException extends BrokerException {
    public ApiVersionMissingException(String description) {
        super(description);
    }
}
