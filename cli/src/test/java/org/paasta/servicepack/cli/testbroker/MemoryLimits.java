package org.paasta.servicepack.cli.testbroker;

/** The plan limits of the test catalog. */
public record MemoryLimits(int bindings) {
}
