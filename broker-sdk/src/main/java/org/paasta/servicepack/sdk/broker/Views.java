package org.paasta.servicepack.sdk.broker;

import java.util.Map;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.state.OperationStatus;

/** What the fetch and last_operation endpoints answer. */
public final class Views {
    private Views() {
    }

    public record Instance(String serviceId, String planId, String dashboardUrl, Map<String, Object> parameters,
                           String maintenanceVersion, String maintenanceDescription) {
    }

    public record Binding(Credentials credentials, Map<String, Object> parameters, Long expiresAt,
                          Long renewBefore) {
    }

    /**
     * @param gone            the operation deleted the resource (the endpoint then answers 410)
     * @param instanceUsable  for a failed update or deprovision: whether the instance still works
     */
    public record LastOperation(OperationType type, OperationStatus status, String description, boolean gone,
                                Boolean instanceUsable, Boolean updateRepeatable) {
    }
}
