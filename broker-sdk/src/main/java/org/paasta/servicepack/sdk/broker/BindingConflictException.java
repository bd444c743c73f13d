package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The binding id is taken by a binding with other attributes (409). */
public class BindingConflictException extends BrokerException {
    public BindingConflictException(String description) {
        super(description);
    }
}
