package org.paasta.servicepack.sdk.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.observability.BrokerMetrics;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StateStore;

/**
 * The OSB API's rules, once, for every broker, as four parts with one job each:
 * {@link Admission} (idempotency and conflicts of the requests that change something),
 * {@link Operations} (running, settling, resuming and failing the recorded operations),
 * {@link OsbQueries} (the platform's GET and last_operation reads) and {@link BindingExpiry};
 * {@link StoredInstances} is the author's read model.
 */
public record ServiceBroker<L>(PlanResolver<L> plans, Admission<L> admission, Operations<L> operations,
                               OsbQueries queries, StoredInstances<L> instances, BindingExpiry expiry) {

    /**
     * @param dashboards the SDK's dashboard links, for instances whose backend has no dashboard of its own
     */
    public static <L> ServiceBroker<L> assemble(ServiceBackend<L> backend, PlanResolver<L> plans, StateStore store,
                                                OperationRunner runner, SecretBox secrets, ObjectMapper json,
                                                BrokerMetrics metrics, Clock clock, Duration bindingTtl,
                                                DashboardLinks dashboards) {
        BindingLifetime lifetime = new BindingLifetime(bindingTtl);
        SealedCredentials credentials = new SealedCredentials(secrets, json);
        Operations<L> operations = new Operations<>(backend, plans, store, runner, credentials, lifetime, metrics,
                clock);
        Admission<L> admission = new Admission<>(backend, plans, store, operations, lifetime, dashboards, json, clock);
        return new ServiceBroker<>(plans, admission, operations,
                new OsbQueries(plans, store, credentials, lifetime, dashboards),
                new StoredInstances<>(plans, store), new BindingExpiry(admission, store, lifetime, clock));
    }
}
