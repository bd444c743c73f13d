package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.redis.Placement.InstanceServer;

/** Names derived from OSB ids must be URL- and path-safe whatever the id. */
class ResourceNamesTest {
    final ServerProcesses processes = new ServerProcesses(Path.of("/usr/bin/redis-server"), Path.of("/data"),
            "127.0.0.1", Duration.ofSeconds(1), new AdminConnections(Duration.ofSeconds(1)));

    @Test
    void aGuidBindingIdNamesItsUserAsIs() {
        assertThat(ResourceNames.bindingUser("5f0c1a8e-7b1d-4f6e-9a51-3c7d2e0b9f44"))
                .isEqualTo("binding-5f0c1a8e-7b1d-4f6e-9a51-3c7d2e0b9f44");
    }

    @Test
    void idsThatAreNotUrlSafeOrTooLongAreHashed() {
        for (String id : new String[] {"with~tilde", "a/b", "x".repeat(200), "ü"}) {
            assertThat(ResourceNames.bindingUser(id)).matches("binding-[0-9a-f]{40}");
        }
        assertThat(ResourceNames.bindingUser("a/b")).isNotEqualTo(ResourceNames.bindingUser("a:b"));
    }

    @Test
    void namesOfEarlierVersionsAreKept() {
        // Users and directories made before ResourceNames existed must still be found.
        assertThat(ResourceNames.bindingUser("a/b"))
                .isEqualTo("binding-" + ResourceNames.sha256Hex("a/b").substring(0, 40));
        assertThat(ResourceNames.instanceDirectory("../x"))
                .isEqualTo("instance-" + ResourceNames.sha256Hex("../x").substring(0, 40));
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
        InstanceServer server = new InstanceServer(new RedisLogin("::1", 16400, ResourceNames.ADMIN_USER, "x"), "::1",
                16400);
        assertThat(RedisBackend.credentials(server, "binding-b", "pw").getString("uri"))
                .isEqualTo("redis://binding-b:pw@[::1]:16400");
    }
}
