package org.paasta.servicepack.sdk.broker;

import org.paasta.servicepack.sdk.BrokerException;

/** The request's maintenance_info.version is not the plan's (422 MaintenanceInfoConflict). */
public class MaintenanceInfoConflictException extends BrokerException {
    public MaintenanceInfoConflictException(String description) {
        super(description);
    }
}
