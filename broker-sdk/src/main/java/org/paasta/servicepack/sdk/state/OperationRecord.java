package org.paasta.servicepack.sdk.state;

import java.util.Map;
import org.paasta.servicepack.sdk.OperationType;

/**
 * One recorded operation. {@code request} holds what is needed to run it again after a crash
 * (plans and parameters); {@code origin} the audit trail (platform context, originating identity,
 * request identity). {@code owner}/{@code leaseUntil} say which broker replica is running it and
 * until when: a replica that dies stops renewing and another one (or itself after a restart) takes
 * the operation over.
 */
public record OperationRecord(String operationId, String instanceId, String bindingId, OperationType type,
                              OperationStatus status, String description, Map<String, Object> request,
                              Map<String, Object> origin, String owner, long leaseUntil, long createdAt,
                              long updatedAt) {
}
