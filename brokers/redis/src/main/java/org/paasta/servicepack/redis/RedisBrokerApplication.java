package org.paasta.servicepack.redis;

import java.util.Optional;
import javax.sql.DataSource;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StoreDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The Redis broker's composition root: every part of it, on one screen. An instance is a
 * redis-server of its own, a binding an ACL user of its own on it. Two plan styles: shared-vm runs a
 * supervised process per instance on the broker's own host (switched off with
 * {@code REDIS_SHARED_ENABLED=false} where processes cannot live, such as Cloud Foundry or
 * Kubernetes), dedicated-vm hands out a node of the operator's pool. The SDK serves the OSB API for
 * the one {@link RedisBackend} bean; its state store ({@link StoreDataSource}) and SecretBox hold
 * this broker's own tables (db/redis-broker) and sealed admin passwords too.
 */
@SpringBootApplication
@EnableConfigurationProperties(RedisProperties.class)
public class RedisBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisBrokerApplication.class, args);
    }

    @Bean
    RedisBackend redisBackend(ObjectProvider<SharedVm> sharedVm, SharedInstances sharedInstances,
                              DedicatedVm dedicatedVm, AdminConnections adminConnections) {
        SharedVm served = sharedVm.getIfAvailable();
        Placement shared = served != null ? served : new SharedVmSwitchedOff(sharedInstances);
        return new RedisBackend(shared, dedicatedVm, new BindingUsers(adminConnections), adminConnections);
    }

    /** The broker's own connections to every server it administers, a small pool per server. */
    @Bean(destroyMethod = "close")
    AdminConnections adminConnections(RedisProperties properties) {
        return new AdminConnections(properties.adminTimeout());
    }

    /** {@code /actuator/health} component {@code redis}: shared-vm processes and pool nodes. */
    @Bean
    HealthIndicator redisHealthIndicator(ObjectProvider<SharedVmSupervisor> supervisor, DedicatedVm dedicatedVm) {
        return new RedisHealth(Optional.ofNullable(supervisor.getIfAvailable()), dedicatedVm);
    }

    @Bean
    @Conditional(SharedVmEnabled.class)
    SharedVm sharedVm(SharedInstances instances, SharedVmSupervisor supervisor, ServerProcesses processes,
                      AdminConnections adminConnections, RedisProperties properties) {
        RedisProperties.Shared shared = properties.shared();
        return new SharedVm(instances, supervisor, processes, adminConnections, shared.advertisedHost(),
                shared.firstPort(),
                shared.lastPort(), shared.maxInstances(), shared.stopTimeout());
    }

    /** Started with the broker: adopts or restarts every instance of this host, then keeps them running. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @Conditional(SharedVmEnabled.class)
    SharedVmSupervisor sharedVmSupervisor(SharedInstances instances, ServerProcesses processes,
                                          RedisProperties properties) {
        return new SharedVmSupervisor(instances, processes, properties.shared().advertisedHost(),
                properties.shared().checkInterval(), properties.adminTimeout());
    }

    @Bean
    @Conditional(SharedVmEnabled.class)
    ServerProcesses serverProcesses(RedisProperties properties, AdminConnections adminConnections) {
        RedisProperties.Shared shared = properties.shared();
        ServerProcesses processes = new ServerProcesses(shared.redisServer(), shared.dataDir(), shared.bindAddress(),
                shared.startTimeout(), adminConnections);
        processes.checkUsable();
        return processes;
    }

    /** Its table is a migration of this broker's own (db/redis-broker) in the SDK's state store. */
    @Bean
    SharedInstances sharedInstances(@StoreDataSource DataSource store, SecretBox secrets) {
        return new SharedInstances(store, secrets);
    }

    @Bean
    DedicatedVm dedicatedVm(PoolNodes poolNodes, AdminConnections adminConnections, RedisProperties properties) {
        DedicatedVm dedicatedVm = new DedicatedVm(poolNodes, properties.dedicated().nodes().stream()
                .map(node -> new DedicatedVm.NodeSettings(node.host(), node.port(), node.username(), node.password()))
                .toList(), adminConnections, properties.adminTimeout());
        dedicatedVm.registerNodes();
        return dedicatedVm;
    }

    @Bean
    PoolNodes poolNodes(@StoreDataSource DataSource store, SecretBox secrets) {
        return new PoolNodes(store, secrets);
    }

    /** {@code servicepack.redis.shared.enabled}, read as {@link RedisProperties} binds it (default true). */
    static final class SharedVmEnabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment()).bind("servicepack.redis.shared.enabled", Boolean.class)
                    .orElse(true);
        }
    }

    /** Its sealed admin passwords, sealed again when the secrets key is rotated. */
    @Bean
    RedisSealedSecrets redisSealedSecrets(@StoreDataSource DataSource store) {
        return new RedisSealedSecrets(store);
    }
}
