package org.paasta.servicepack.benchmarks;

/**
 * The unavoidable cost of a broker's operations: the backend work the broker issues for each,
 * with nothing around it (no HTTP, no state store, no framework), over one warm admin connection.
 */
interface BackendFloor extends Concurrency.Client {
    /**
     * One provision, bind, unbind, deprovision cycle on fresh names.
     *
     * @return the four durations in nanoseconds, in that order
     */
    @Override
    long[] cycle() throws Exception;

    @Override
    void close() throws Exception;

    /** What the backend is, for the report's machine table. */
    String describe() throws Exception;
}
