package org.paasta.servicepack.sdk.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;
import org.paasta.servicepack.sdk.state.StateStore;

/**
 * Gauges read from the state store, so every replica reports the same numbers:
 * {@code servicepack_instances} and {@code servicepack_bindings} per service and plan (one grouped
 * scan each, at most every {@code refresh}: cheap at 100,000 instances), and
 * {@code servicepack_operations_in_progress} with {@code servicepack_operation_oldest_age_seconds}.
 */
public final class StoreGauges implements MeterBinder {
    private final ServiceCatalog catalog;
    private final Clock clock;
    private final Cached<Map<String, Long>> instances;
    private final Cached<Map<String, Long>> bindings;
    private final Cached<StateStore.InProgress> inProgress;

    public StoreGauges(StateStore store, ServiceCatalog catalog, Clock clock, Duration refresh) {
        this.catalog = catalog;
        this.clock = clock;
        this.instances = new Cached<>(store::instancesByPlan, clock, refresh);
        this.bindings = new Cached<>(store::bindingsByPlan, clock, refresh);
        this.inProgress = new Cached<>(store::operationsInProgress, clock, refresh);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CatalogPlan plan : catalog.plans()) {
            Gauge.builder("servicepack.instances", instances, cached -> cached.get().getOrDefault(plan.id(), 0L))
                    .description("Service instances in the state store").tag("service", plan.serviceName())
                    .tag("plan", plan.name()).register(registry);
            Gauge.builder("servicepack.bindings", bindings, cached -> cached.get().getOrDefault(plan.id(), 0L))
                    .description("Service bindings in the state store").tag("service", plan.serviceName())
                    .tag("plan", plan.name()).register(registry);
        }
        Gauge.builder("servicepack.operations.in.progress", inProgress, cached -> cached.get().count())
                .description("Operations recorded and not yet settled, on every replica").register(registry);
        Gauge.builder("servicepack.operation.oldest.age", inProgress, this::oldestAgeSeconds)
                .description("Age of the oldest unfinished operation (0 when none)").baseUnit("seconds")
                .register(registry);
    }

    private double oldestAgeSeconds(Cached<StateStore.InProgress> cached) {
        Long oldest = cached.get().oldestCreatedAt();
        return oldest == null ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    /** A value read again only when older than {@code refresh}; a failed read keeps the last value. */
    static final class Cached<T> {
        private final Supplier<T> read;
        private final Clock clock;
        private final long refreshMillis;
        private volatile T value;
        private volatile long readAt = Long.MIN_VALUE;

        Cached(Supplier<T> read, Clock clock, Duration refresh) {
            this.read = read;
            this.clock = clock;
            this.refreshMillis = refresh.toMillis();
        }

        synchronized T get() {
            long now = clock.millis();
            if (value == null || now - readAt >= refreshMillis) {
                try {
                    value = read.get();
                } catch (RuntimeException storeUnreachable) {
                    if (value == null) {
                        throw storeUnreachable;
                    }
                }
                readAt = now;
            }
            return value;
        }
    }
}
