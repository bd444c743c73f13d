package org.paasta.servicepack.sdk;

import java.util.List;

/**
 * An unbind.
 *
 * @param otherBindingIds the instance's bindings that stay (for limits shared across them)
 */
public record UnbindRequest<L>(String instanceId, String bindingId, Plan<L> plan, List<String> otherBindingIds,
                               Origin origin) {
    public UnbindRequest {
        otherBindingIds = List.copyOf(otherBindingIds);
    }
}
