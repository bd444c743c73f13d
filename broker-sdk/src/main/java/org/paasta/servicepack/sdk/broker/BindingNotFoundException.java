package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The binding does not exist (404 on fetch and last_operation, 410 on unbind). */
public class BindingNotFoundException extends BrokerException {
    public BindingNotFoundException(String description) {
        super(description);
    }
}
