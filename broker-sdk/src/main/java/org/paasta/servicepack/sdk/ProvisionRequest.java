package org.paasta.servicepack.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated provision: the plan is resolved and {@code parameters} passed the plan's
 * {@code service_instance.create} schema (unknown keys refused).
 */
public record ProvisionRequest<L>(String instanceId, Plan<L> plan, Map<String, Object> parameters, Origin origin) {
    public ProvisionRequest {
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
