package org.paasta.servicepack.sdk;

/** The operations the SDK records, one per OSB endpoint that changes something. */
public enum OperationType {
    PROVISION,
    UPDATE,
    DEPROVISION,
    BIND,
    UNBIND
}
