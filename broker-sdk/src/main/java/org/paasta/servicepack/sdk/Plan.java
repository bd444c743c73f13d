package org.paasta.servicepack.sdk;

import java.util.Objects;

/**
 * A catalog plan, resolved and validated by the SDK, with its limits bound to the broker's type.
 *
 * @param serviceId          the offering's id
 * @param serviceName        the offering's name, e.g. {@code Mysql-DB}
 * @param id                 the plan's id
 * @param name               the plan's name, e.g. {@code Mysql-Plan1-10con}
 * @param limits             the plan's typed limits from the catalog
 * @param maintenanceVersion the plan's {@code maintenance_info.version}, or null
 */
public record Plan<L>(String serviceId, String serviceName, String id, String name, L limits,
                      String maintenanceVersion) {
    public Plan {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
