package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The instance id is taken by an instance with other attributes (409). */
public class InstanceConflictException extends BrokerException {
    public InstanceConflictException(String description) {
        super(description);
    }
}
