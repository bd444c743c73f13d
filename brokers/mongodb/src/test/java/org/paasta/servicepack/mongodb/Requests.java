package org.paasta.servicepack.mongodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.catalog.CatalogLoader;
import org.paasta.servicepack.sdk.catalog.CatalogPlan;

/** Backend requests as the SDK hands them over, for tests that call the backend directly. */
final class Requests {
    /** The service and plan of {@code catalog/mongodb.yml}, by the names operators see. */
    static final String SERVICE = "Mongo-DB";
    static final String PLAN = "default-plan";
    static final Plan<MongodbLimits> DEFAULT_PLAN = plan(50);

    private Requests() {
    }

    /** The catalog's plan by the names operators see, as the SDK resolves it, with other limits. */
    static Plan<MongodbLimits> plan(int maxBindings) {
        return plan(maxBindings, null);
    }

    /** The catalog's plan with other limits, a storage allowance among them. */
    static Plan<MongodbLimits> plan(int maxBindings, Integer storageMb) {
        CatalogPlan plan = catalogPlan();
        return new Plan<>(plan.serviceId(), plan.serviceName(), plan.id(), plan.name(),
                new MongodbLimits(maxBindings, storageMb), plan.maintenanceVersion());
    }

    /** The plan of {@code catalog/mongodb.yml} named {@value #SERVICE} / {@value #PLAN}, as the SDK loads it. */
    static CatalogPlan catalogPlan() {
        try (InputStream file = Requests.class.getResourceAsStream("/catalog/mongodb.yml")) {
            return new CatalogLoader().load(List.of(new CatalogLoader.Source("mongodb.yml", file))).plans().stream()
                    .filter(p -> p.serviceName().equals(SERVICE) && p.name().equals(PLAN))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no plan " + SERVICE + "/" + PLAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProvisionRequest<MongodbLimits> provision(String instanceId) {
        return new ProvisionRequest<>(instanceId, DEFAULT_PLAN, Map.of(), Origin.NONE);
    }

    static BindRequest<MongodbLimits> bind(String instanceId, String bindingId) {
        return bind(instanceId, bindingId, Map.of());
    }

    static BindRequest<MongodbLimits> bind(String instanceId, String bindingId, Map<String, Object> parameters) {
        return new BindRequest<>(instanceId, bindingId, DEFAULT_PLAN, parameters, Map.of(), "app-guid", null,
                List.of(), Origin.NONE);
    }

    static UnbindRequest<MongodbLimits> unbind(String instanceId, String bindingId) {
        return new UnbindRequest<>(instanceId, bindingId, DEFAULT_PLAN, List.of(), Origin.NONE);
    }

    static DeprovisionRequest<MongodbLimits> deprovision(String instanceId, String... leftBindingIds) {
        return new DeprovisionRequest<>(instanceId, DEFAULT_PLAN, List.of(leftBindingIds), Origin.NONE);
    }
}
