package ${package};

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The typed {@code limits} of a ${ServiceName} plan in {@code catalog/${serviceName}.yml}. The SDK binds
 * every plan's {@code limits} to this record at startup (a plan with a missing or mistyped limit
 * stops the start) and hands it to the backend with every request, as {@code plan().limits()}.
 *
 * <p>Offer only limits the backend enforces. Add yours as components (connections, storage,
 * memory), each {@code @JsonProperty} in the catalog's snake_case and checked here.
 *
 * @param maxBindings how many bindings (users) one instance may have at a time; a bind beyond it
 *                    is refused with 422 and nothing is created
 */
public record ${ServiceName}Limits(@JsonProperty(value = "max_bindings", required = true) int maxBindings) {
    public ${ServiceName}Limits {
        if (maxBindings < 1) {
            throw new IllegalArgumentException("max_bindings must be at least 1, was " + maxBindings);
        }
    }
}
