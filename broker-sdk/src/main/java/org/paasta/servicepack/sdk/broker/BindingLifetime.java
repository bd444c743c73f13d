package org.paasta.servicepack.sdk.broker;

import java.time.Duration;

/**
 * How long credentials live ({@code servicepack.bindings.ttl}; null: forever) and when a platform
 * should rotate them: a fifth of the lifetime before expiry, so it has time to.
 */
record BindingLifetime(Duration ttl) {

    Long expiresAt(long createdAt) {
        return ttl == null ? null : createdAt + ttl.toMillis();
    }

    Long renewBefore(Long expiresAt) {
        return expiresAt == null || ttl == null ? null : expiresAt - ttl.toMillis() / 5;
    }

    boolean expires() {
        return ttl != null;
    }
}
