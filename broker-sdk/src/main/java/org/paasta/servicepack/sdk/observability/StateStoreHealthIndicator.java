package org.paasta.servicepack.sdk.observability;

import org.paasta.servicepack.sdk.state.StateStore;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The state store answers: every OSB request needs it, so it is part of readiness. Details name
 * the database product only, never the URL's credentials.
 */
public final class StateStoreHealthIndicator extends AbstractHealthIndicator {
    private final StateStore store;
    private final String product;

    public StateStoreHealthIndicator(StateStore store, String jdbcUrl) {
        super("the state store cannot be reached");
        this.store = store;
        this.product = jdbcUrl == null ? "unknown" : jdbcUrl.replaceFirst("^jdbc:([a-z0-9]+):.*", "$1");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        store.ping();
        builder.up().withDetail("database", product);
    }
}
