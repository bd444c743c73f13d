package org.paasta.servicepack.mongodb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The typed {@code limits} of a MongoDB plan in {@code catalog/mongodb.yml}.
 *
 * <p>Only limits the broker can enforce with standard MongoDB commands are enforced: MongoDB has no
 * per-database storage or connection quota. {@code storage_mb} is therefore an allowance that the
 * instance's dashboard measures against and warns about, never a quota: writes past it are not
 * refused, and a plan that sets it must say so.
 *
 * @param maxBindings how many bindings (users) one instance may have at a time; a bind beyond it
 *                    is refused with 422 and nothing is created
 * @param storageMb   optional storage allowance in MB, compared on the dashboard with the
 *                    database's {@code storageSize}; null when the plan sets none
 */
public record MongodbLimits(@JsonProperty(value = "max_bindings", required = true) int maxBindings,
                            @JsonProperty("storage_mb") Integer storageMb) {
    @JsonCreator
    public MongodbLimits {
        if (maxBindings < 1) {
            throw new IllegalArgumentException("max_bindings must be at least 1, was " + maxBindings);
        }
        if (storageMb != null && storageMb < 1) {
            throw new IllegalArgumentException("storage_mb must be at least 1 when set, was " + storageMb);
        }
    }

    /** A plan without a storage allowance. */
    public MongodbLimits(int maxBindings) {
        this(maxBindings, null);
    }
}
