package org.paasta.servicepack.sdk;

import java.util.List;
import java.util.Map;

/**
 * Which instance's usage a dashboard asks for.
 *
 * @param parameters the instance's parameters
 * @param bindingIds its bindings (to report per binding)
 */
public record UsageRequest<L>(String instanceId, Plan<L> plan, Map<String, Object> parameters,
                              List<String> bindingIds) {
    public UsageRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        bindingIds = List.copyOf(bindingIds);
    }
}
