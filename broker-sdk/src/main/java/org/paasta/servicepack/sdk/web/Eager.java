package org.paasta.servicepack.sdk.web;

import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Runs blocking work now, on the calling request thread, and hands SCOSB its result as a Mono.
 * Not deferred on purpose: request-scoped state ({@link ResponseExtras}, {@link PredecessorCapture})
 * lives on that thread, and SCOSB subscribes there anyway.
 */
final class Eager {
    private Eager() {
    }

    static <T> Mono<T> mono(Supplier<T> work) {
        try {
            return Mono.just(work.get());
        } catch (RuntimeException e) {
            return Mono.error(e);
        }
    }
}
