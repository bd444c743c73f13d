package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.redis.RedisLimits.Persistence;
import org.paasta.servicepack.redis.RedisLimits.Placement;

/** Names derived from OSB ids must be URL- and path-safe whatever the id; limits refuse nonsense. */
class NamesTest {
    final ServerProcesses processes = new ServerProcesses(Path.of("/usr/bin/redis-server"), Path.of("/data"),
            "127.0.0.1", Duration.ofSeconds(1));

    @Test
    void aGuidBindingIdNamesItsUserAsIs() {
        assertThat(BindingUsers.userName("5f0c1a8e-7b1d-4f6e-9a51-3c7d2e0b9f44"))
                .isEqualTo("binding-5f0c1a8e-7b1d-4f6e-9a51-3c7d2e0b9f44");
    }

    @Test
    void idsThatAreNotUrlSafeOrTooLongAreHashed() {
        for (String id : new String[] {"with~tilde", "a/b", "x".repeat(200), "ü"}) {
            assertThat(BindingUsers.userName(id)).matches("binding-[0-9a-f]{40}");
        }
        assertThat(BindingUsers.userName("a/b")).isNotEqualTo(BindingUsers.userName("a:b"));
    }

    @Test
    void instanceDirectoriesStayBelowTheDataRoot() {
        assertThat(processes.directory("abc-123")).isEqualTo(Path.of("/data/instance-abc-123"));
        for (String id : new String[] {"..", "../../etc", ".hidden", "a/b"}) {
            Path directory = processes.directory(id);
            assertThat(directory.getParent()).isEqualTo(Path.of("/data"));
            assertThat(directory.getFileName().toString()).matches("instance-[0-9a-f]{40}");
        }
    }

    @Test
    void credentialsBracketAnIpv6Host() {
        org.paasta.servicepack.redis.Placement.InstanceServer server = new org.paasta.servicepack.redis.Placement.InstanceServer(
                new RedisLogin("::1", 16400, "servicepack-admin", "x"), "::1", 16400);
        assertThat(RedisBackend.credentials(server, "binding-b", "pw").getString("uri"))
                .isEqualTo("redis://binding-b:pw@[::1]:16400");
    }

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
