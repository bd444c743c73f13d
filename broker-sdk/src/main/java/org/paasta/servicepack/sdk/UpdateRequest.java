package org.paasta.servicepack.sdk;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated update. {@code plan} equals {@code previousPlan} when only parameters change;
 * {@code parameters} are the instance's parameters after the update (previous ones merged with the
 * request's), validated against the new plan's {@code service_instance.update} schema.
 *
 * @param bindingIds the instance's current bindings, so a downgrade can check they still fit
 */
public record UpdateRequest<L>(String instanceId, Plan<L> previousPlan, Plan<L> plan, Map<String, Object> parameters,
                               List<String> bindingIds, Origin origin) {
    public UpdateRequest {
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        bindingIds = List.copyOf(bindingIds);
    }

    public boolean changesPlan() {
        return !previousPlan.id().equals(plan.id());
    }
}
