package org.paasta.servicepack.sdk;

import java.util.List;

/**
 * A deprovision. {@code bindingIds} are bindings the platform did not unbind first (the spec says
 * it must, but the backend should clean them up all the same).
 */
public record DeprovisionRequest<L>(String instanceId, Plan<L> plan, List<String> bindingIds, Origin origin) {
    public DeprovisionRequest {
        bindingIds = List.copyOf(bindingIds);
    }
}
