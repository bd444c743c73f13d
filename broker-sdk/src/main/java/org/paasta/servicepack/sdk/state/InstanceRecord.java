package org.paasta.servicepack.sdk.state;

import java.util.Map;

/**
 * A stored service instance. {@code planId} is the plan in force (the old one while an update runs).
 * {@code organizationGuid} and {@code spaceGuid} are the provision request's top-level fields; they
 * are null for instances stored before the store recorded them.
 */
public record InstanceRecord(String instanceId, String serviceId, String planId, Map<String, Object> parameters,
                             String maintenanceVersion, String dashboardUrl, Map<String, Object> context,
                             String organizationGuid, String spaceGuid,
                             InstanceState state, String operationId, long createdAt, long updatedAt) {
}
