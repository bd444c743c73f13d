package org.paasta.servicepack.mongodb;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The typed {@code limits} of a MongoDB plan in {@code catalog/mongodb.yml}.
 *
 * <p>Only limits the broker can enforce with standard MongoDB commands are offered: MongoDB has no
 * per-database storage or connection quota, so none is promised.
 *
 * @param maxBindings how many bindings (users) one instance may have at a time; a bind beyond it
 *                    is refused with 422 and nothing is created
 */
public record MongodbLimits(@JsonProperty(value = "max_bindings", required = true) int maxBindings) {
    public MongodbLimits {
        if (maxBindings < 1) {
            throw new IllegalArgumentException("max_bindings must be at least 1, was " + maxBindings);
        }
    }
}
