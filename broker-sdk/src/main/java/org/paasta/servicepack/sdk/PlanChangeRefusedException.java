package org.paasta.servicepack.sdk;

/**
 * An update the instance cannot take in its current state, e.g. a downgrade its bindings do not fit
 * (HTTP 422, nothing changed, the instance stays usable).
 */
public class PlanChangeRefusedException extends BrokerException {
    public PlanChangeRefusedException(String description) {
        super(description);
    }
}
