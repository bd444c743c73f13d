package org.paasta.servicepack.sdk.broker;

/**
 * Why the state store refused to start an operation, decided inside the transaction that locked
 * the instance, and turned into the platform's answer outside it.
 */
sealed interface Conflict {

    /** The instance (or binding) is not there (any more). */
    record Gone() implements Conflict {
    }

    /** Another operation holds the resource; a 422 ConcurrencyError saying why. */
    record Busy(String why) implements Conflict {
    }

    /** The same kind of operation is already running: a repeat gets its operation (202) or a 422. */
    record InProgress(String operationId, String why) implements Conflict {
    }

    /** The request contradicts the resource (e.g. a bind names another plan): a 400. */
    record Mismatch(String why) implements Conflict {
    }
}
