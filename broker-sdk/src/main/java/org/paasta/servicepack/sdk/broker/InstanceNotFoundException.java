package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The service instance does not exist (404 on fetch and last_operation, 410 on deprovision). */
public class InstanceNotFoundException extends BrokerException {
    public InstanceNotFoundException(String description) {
        super(description);
    }
}
