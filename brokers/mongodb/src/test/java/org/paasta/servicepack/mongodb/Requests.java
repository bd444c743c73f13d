package org.paasta.servicepack.mongodb;

import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.UnbindRequest;

/** Backend requests as the SDK hands them over, for tests that call the backend directly. */
final class Requests {
    static final Plan<MongodbLimits> DEFAULT_PLAN = plan(50);

    private Requests() {
    }

    static Plan<MongodbLimits> plan(int maxBindings) {
        return new Plan<>("Mongo-DB", "Mongo-DB", "default-plan", "default-plan", new MongodbLimits(maxBindings),
                "1.0.0");
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
