package org.paasta.servicepack.sdk;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated bind.
 *
 * @param parameters             passed the plan's {@code service_binding.create} schema; for a
 *                               rotation, the predecessor's parameters
 * @param instanceParameters     the instance's current parameters
 * @param appGuid                {@code bind_resource.app_guid}, or null for a service key
 * @param predecessorBindingId   set when this binding rotates (v2.17) an existing one of the same
 *                               instance; both stay valid until the old one is unbound
 * @param otherBindingIds        the instance's other live bindings (for limits shared across them)
 */
public record BindRequest<L>(String instanceId, String bindingId, Plan<L> plan, Map<String, Object> parameters,
                             Map<String, Object> instanceParameters, String appGuid, String predecessorBindingId,
                             List<String> otherBindingIds, Origin origin) {
    public BindRequest {
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        instanceParameters = instanceParameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(instanceParameters));
        otherBindingIds = List.copyOf(otherBindingIds);
    }
}
