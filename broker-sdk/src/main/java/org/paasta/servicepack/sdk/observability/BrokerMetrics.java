package org.paasta.servicepack.sdk.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Plan;

/**
 * What the broker does, as Prometheus sees it: {@code servicepack_operations_seconds} for every OSB
 * operation, synchronous or not, from its start to its settled record, and
 * {@code servicepack_backend_calls_seconds} for the author's backend call within it, each tagged by
 * service, plan, operation and outcome (and the error type of a failed backend call).
 */
public final class BrokerMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A whole operation: {@code outcome} is succeeded or failed. */
    public void operation(Plan<?> plan, OperationType type, String outcome, long nanos) {
        timer("servicepack.operations", "Duration of OSB operations, from the request to the settled record",
                plan, type, outcome, null).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The backend's part of an operation; {@code failure} is null when it returned normally. */
    public void backendCall(Plan<?> plan, OperationType type, Throwable failure, long nanos) {
        timer("servicepack.backend.calls", "Duration of the backend's provision/update/deprovision/bind/unbind calls",
                plan, type, failure == null ? "success" : "error",
                failure == null ? "none" : failure.getClass().getSimpleName())
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timer timer(String name, String description, Plan<?> plan, OperationType type, String outcome,
                        String error) {
        String service = plan == null ? "unknown" : plan.serviceName();
        String planName = plan == null ? "unknown" : plan.name();
        String operation = type.name().toLowerCase();
        String key = name + '|' + service + '|' + planName + '|' + operation + '|' + outcome + '|' + error;
        return timers.computeIfAbsent(key, k -> {
            Timer.Builder builder = Timer.builder(name).description(description)
                    .tag("service", service).tag("plan", planName).tag("operation", operation).tag("outcome", outcome)
                    .publishPercentileHistogram();
            if (error != null) {
                builder.tag("error", error);
            }
            return builder.register(registry);
        });
    }
}
