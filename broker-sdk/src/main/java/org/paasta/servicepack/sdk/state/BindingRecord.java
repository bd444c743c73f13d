package org.paasta.servicepack.sdk.state;

import java.util.Map;

/**
 * A stored binding. {@code sealedCredentials} is the credentials JSON sealed by SecretBox, never
 * plaintext; {@code expiresAt} is epoch millis or null for bindings that do not expire.
 */
public record BindingRecord(String bindingId, String instanceId, String serviceId, String planId,
                            Map<String, Object> parameters, String appGuid, String predecessorId,
                            String sealedCredentials, BindingState state, String operationId, Long expiresAt,
                            long createdAt, long updatedAt) {
}
