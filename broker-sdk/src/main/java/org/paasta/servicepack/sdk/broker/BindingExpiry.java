package org.paasta.servicepack.sdk.broker;

import java.time.Clock;
import org.paasta.servicepack.sdk.BrokerException;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unbinds bindings whose {@code expires_at} passed (with {@code servicepack.bindings.ttl}), as the
 * broker's own unbind request; run by the sweeper of every replica, so it is admitted like any other.
 */
public final class BindingExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(BindingExpiry.class);
    private static final int BATCH = 50;

    private final Admission<?> admission;
    private final StateStore store;
    private final BindingLifetime lifetime;
    private final Clock clock;

    BindingExpiry(Admission<?> admission, StateStore store, BindingLifetime lifetime, Clock clock) {
        this.admission = admission;
        this.store = store;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public void unbindExpired() {
        if (!lifetime.expires()) {
            return;
        }
        for (BindingRecord binding : store.expiredBindings(clock.millis(), BATCH)) {
            try {
                admission.unbindExpired(binding);
            } catch (BrokerException e) {
                LOG.debug("expired binding {} not unbound yet: {}", binding.bindingId(), e.description());
            }
        }
    }
}
