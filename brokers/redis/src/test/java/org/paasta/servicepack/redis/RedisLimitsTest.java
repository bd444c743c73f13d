package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.redis.RedisLimits.Placement;

/** A plan's limits refuse what Redis cannot honour, so a broken catalog fails the start. */
class RedisLimitsTest {

    @Test
    void limitsRefuseWhatRedisCannotHonour() {
        assertThatThrownBy(() -> new RedisLimits(Placement.SHARED_VM, 1000, 10, Persistence.RDB))
                .hasMessageContaining("maxmemory_bytes");
        assertThatThrownBy(() -> new RedisLimits(Placement.SHARED_VM, 8 << 20, 0, Persistence.RDB))
                .hasMessageContaining("maxclients");
        assertThatThrownBy(() -> new RedisLimits(Placement.SHARED_VM, 8 << 20, 10, Persistence.NODE))
                .hasMessageContaining("dedicated-vm only");
    }
}
