package org.paasta.servicepack.mysql;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The typed limits of a MySQL plan, bound from the catalog's {@code limits}.
 *
 * @param connections concurrent connections of the instance (split across its bindings, or per
 *                    binding, see {@link ConnectionLimitMode})
 * @param storageMb   storage the plan promises, in MB; published in the credentials and the
 *                    catalog for the platform's quota display
 */
public record MysqlLimits(@JsonProperty("connections") int connections, @JsonProperty("storage_mb") int storageMb) {
    public MysqlLimits {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
    }
}
