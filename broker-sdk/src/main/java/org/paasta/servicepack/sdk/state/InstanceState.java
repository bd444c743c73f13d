package org.paasta.servicepack.sdk.state;

/**
 * Life cycle of a service instance row. The row's state is also its lock: an operation on an
 * instance starts with a conditional UPDATE from {@link #READY}, so two replicas can never both
 * start one, and the database, not a JVM lock, decides who wins.
 */
public enum InstanceState {
    PROVISIONING,
    READY,
    UPDATING,
    DEPROVISIONING,
    /** Provisioning failed; the platform will deprovision (orphan mitigation) or provision again. */
    FAILED
}
