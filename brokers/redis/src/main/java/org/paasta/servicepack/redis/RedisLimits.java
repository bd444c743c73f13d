package org.paasta.servicepack.redis;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A plan's {@code limits} from catalog/redis.yml. The broker decides everything by these values and
 * never by plan id or name, because PaaS-TA registered the same plans under different ids.
 *
 * @param placement      where the instance's redis-server runs
 * @param maxmemoryBytes Redis {@code maxmemory}, enforced with {@code maxmemory-policy noeviction}
 *                       so a full instance refuses writes instead of silently losing keys
 * @param maxclients     Redis {@code maxclients}
 * @param persistence    what the server keeps on disk
 */
public record RedisLimits(
        @JsonProperty(value = "placement", required = true) Placement placement,
        @JsonProperty(value = "maxmemory_bytes", required = true) long maxmemoryBytes,
        @JsonProperty(value = "maxclients", required = true) int maxclients,
        @JsonProperty(value = "persistence", required = true) Persistence persistence) {

    public RedisLimits {
        if (placement == null || persistence == null) {
            throw new IllegalArgumentException("placement and persistence are required");
        }
        if (maxmemoryBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxmemory_bytes must be at least 1 MiB, was " + maxmemoryBytes);
        }
        if (maxclients < 1) {
            throw new IllegalArgumentException("maxclients must be positive, was " + maxclients);
        }
        if (persistence == Persistence.NODE && placement != Placement.DEDICATED_VM) {
            throw new IllegalArgumentException("persistence 'node' keeps a pool node's own setting: dedicated-vm only");
        }
    }

    public enum Placement {
        /** A redis-server process the broker starts and supervises on its own host. */
        @JsonProperty("shared-vm") SHARED_VM,
        /** A whole pre-provisioned node from the broker's pool. */
        @JsonProperty("dedicated-vm") DEDICATED_VM
    }

    public enum Persistence {
        @JsonProperty("none") NONE,
        @JsonProperty("rdb") RDB,
        @JsonProperty("aof") AOF,
        /** Leave a pool node's persistence as its operator configured it. */
        @JsonProperty("node") NODE;

        /** The redis.conf / CONFIG SET values for this choice: {@code save} then {@code appendonly}. */
        String[] settings() {
            return switch (this) {
                case NONE -> new String[] {"save", "", "appendonly", "no"};
                // Redis' own default snapshot schedule.
                case RDB -> new String[] {"save", "3600 1 300 100 60 10000", "appendonly", "no"};
                case AOF -> new String[] {"save", "", "appendonly", "yes"};
                case NODE -> new String[0];
            };
        }
    }
}
