package org.paasta.servicepack.sdk.broker;

import java.util.Map;
import org.paasta.servicepack.sdk.Origin;

/** The SDK's own view of the OSB requests, independent of the HTTP layer that parsed them. */
public final class Commands {
    private Commands() {
    }

    /** {@code organizationGuid} and {@code spaceGuid} are REQUIRED on the wire; null when the request left them out. */
    public record Provision(String instanceId, String serviceId, String planId, String organizationGuid,
                            String spaceGuid, Map<String, Object> parameters, String maintenanceVersion,
                            boolean acceptsIncomplete, Origin origin) {
    }

    /** {@code planId} and {@code parameters} are null when the request left them out. */
    public record Update(String instanceId, String serviceId, String planId, Map<String, Object> parameters,
                         String maintenanceVersion, boolean acceptsIncomplete, Origin origin) {
    }

    public record Deprovision(String instanceId, String serviceId, String planId, boolean acceptsIncomplete,
                              Origin origin) {
    }

    public record Bind(String instanceId, String bindingId, String serviceId, String planId,
                       Map<String, Object> parameters, String appGuid, String predecessorBindingId,
                       boolean acceptsIncomplete, Origin origin) {
    }

    public record Unbind(String instanceId, String bindingId, String serviceId, String planId,
                         boolean acceptsIncomplete, Origin origin) {
    }
}
