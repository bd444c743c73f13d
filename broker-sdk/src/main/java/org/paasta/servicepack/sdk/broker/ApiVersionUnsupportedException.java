package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** An X-Broker-API-Version this broker does not speak (412). */
public class ApiVersionUnsupportedException extends BrokerException {
    public ApiVersionUnsupportedException(String description) {
        super(description);
    }
}
