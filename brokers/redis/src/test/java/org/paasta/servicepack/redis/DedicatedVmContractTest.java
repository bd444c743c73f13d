package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.paasta.servicepack.testkit.BrokerContractTest;
import org.paasta.servicepack.testkit.BrokerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** The SDK's contract kit, through HTTP, against the dedicated-vm pool (two real redis-server nodes). */
@BrokerTest
@ActiveProfiles("http-test")
@TestPropertySource(properties = HttpTestEnvironment.STORE)
class DedicatedVmContractTest extends BrokerContractTest {
    static {
        HttpTestEnvironment.ensureStarted();
    }

    @Autowired
    PoolNodes poolNodes;
    final Map<String, PoolNode> nodes = new ConcurrentHashMap<>();

    @Override
    protected String serviceName() {
        return "redis";
    }

    @Override
    protected String planName() {
        return "dedicated-vm";
    }

    @Override
    protected String otherPlanName() {
        return "shared-vm";
    }

    /** The pool has two nodes and the contract's other tests need one: the hostile-input test holds at most one. */
    @Override
    protected int hostileInstanceLimit() {
        return 1;
    }

    @Override
    protected void assertCredentialsWork(JsonNode credentials) {
        RedisCredentialChecks.assertWork(credentials);
    }

    @Override
    protected void assertCredentialsRefused(JsonNode credentials) {
        RedisCredentialChecks.assertRefused(credentials);
    }

    /** Gone means: the node is back in the pool, empty, with users of no one but the broker, and a new password. */
    @Override
    protected void assertResourceExists(String instanceId, boolean exists) {
        if (exists) {
            nodes.put(instanceId, poolNodes.ofInstance(instanceId).orElseThrow());
            return;
        }
        assertThat(poolNodes.ofInstance(instanceId)).isEmpty();
        PoolNode held = nodes.get(instanceId);
        if (held == null) {
            return;
        }
        PoolNode now = poolNodes.find(held.nodeId()).orElseThrow();
        assertThat(now.instanceId()).isNull();
        assertThat(now.adminPassword()).isNotEqualTo(held.adminPassword());
        assertThatThrownBy(() -> held.login().connect(Broker.TIMEOUT).ping())
                .isInstanceOf(JedisAccessControlException.class);
        try (Jedis admin = now.login().connect(Broker.TIMEOUT)) {
            assertThat(admin.dbSize()).isZero();
            assertThat(admin.aclUsers()).containsExactlyInAnyOrder("default", ResourceNames.ADMIN_USER);
        }
    }
}
