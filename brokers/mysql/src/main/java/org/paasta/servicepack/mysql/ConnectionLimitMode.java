package org.paasta.servicepack.mysql;

/**
 * What a plan's connection number means. PaaS-TA's broker split it across an instance's bindings
 * (rebalanced on every bind, unbind and plan change); Cloud Foundry's gave every binding all of it.
 * Both are offered; an instance chooses with the {@code connection_limit_mode} parameter.
 */
public enum ConnectionLimitMode {
    SPLIT("split"),
    PER_BINDING("per-binding");

    private final String parameter;

    ConnectionLimitMode(String parameter) {
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }

    public static ConnectionLimitMode of(Object parameter, ConnectionLimitMode fallback) {
        for (ConnectionLimitMode mode : values()) {
            if (mode.parameter.equals(parameter)) {
                return mode;
            }
        }
        return fallback;
    }

    /** The MAX_USER_CONNECTIONS of each of {@code bindings} users under a plan of {@code connections}. */
    public int perUser(int connections, int bindings) {
        return this == PER_BINDING ? connections : connections / Math.max(1, bindings);
    }
}
