package org.paasta.servicepack.sdk;

/**
 * No room for another instance or binding: ports, pool nodes, per-host instance limit or a plan's
 * binding limit (HTTP 507 Insufficient Storage for provision, 422 for bind and update; nothing changed).
 */
public class CapacityExhaustedException extends BrokerException {
    public CapacityExhaustedException(String description) {
        super(description);
    }
}
