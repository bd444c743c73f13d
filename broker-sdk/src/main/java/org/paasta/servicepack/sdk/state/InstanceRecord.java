package org.paasta.servicepack.sdk.state;

import java.util.Map;

/** A stored service instance. {@code planId} is the plan in force (the old one while an update runs). */
public record InstanceRecord(String instanceId, String serviceId, String planId, Map<String, Object> parameters,
                             String maintenanceVersion, String dashboardUrl, Map<String, Object> context,
                             InstanceState state, String operationId, long createdAt, long updatedAt) {
}
