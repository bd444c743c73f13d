package org.paasta.servicepack.redis;

import javax.sql.DataSource;
import org.paasta.servicepack.sdk.secrets.SecretBox;
import org.paasta.servicepack.sdk.state.StoreDataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Redis broker's composition root: every part of it, on one screen. The SDK serves the OSB API
 * for the one {@link RedisBackend} bean; its state store ({@link StoreDataSource}) and its SecretBox (from
 * {@code servicepack.secrets.key}) hold this broker's own tables and sealed admin passwords too.
 */
@SpringBootApplication
@EnableConfigurationProperties(RedisBrokerProperties.class)
public class RedisBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisBrokerApplication.class, args);
    }

    @Bean
    RedisBackend redisBackend(SharedVm sharedVm, DedicatedVm dedicatedVm, RedisBrokerProperties properties) {
        return new RedisBackend(sharedVm, dedicatedVm, new BindingUsers(properties.adminTimeout()));
    }

    @Bean
    SharedVm sharedVm(SharedInstances instances, SharedVmSupervisor supervisor, ServerProcesses processes,
                      RedisBrokerProperties properties) {
        RedisBrokerProperties.Shared shared = properties.shared();
        return new SharedVm(instances, supervisor, processes, shared.advertisedHost(), shared.firstPort(),
                shared.lastPort(), shared.maxInstances(), shared.stopTimeout());
    }

    /** Started with the broker: adopts or restarts every instance of this host, then keeps them running. */
    @Bean(initMethod = "start", destroyMethod = "close")
    SharedVmSupervisor sharedVmSupervisor(SharedInstances instances, ServerProcesses processes,
                                          RedisBrokerProperties properties) {
        return new SharedVmSupervisor(instances, processes, properties.shared().advertisedHost(),
                properties.shared().checkInterval(), properties.adminTimeout());
    }

    @Bean
    ServerProcesses serverProcesses(RedisBrokerProperties properties) {
        RedisBrokerProperties.Shared shared = properties.shared();
        ServerProcesses processes = new ServerProcesses(shared.redisServer(), shared.dataDir(), shared.bindAddress(),
                shared.startTimeout());
        processes.checkUsable();
        return processes;
    }

    /** Its table is a migration of this broker's own (db/redis-broker) in the SDK's state store. */
    @Bean
    SharedInstances sharedInstances(@StoreDataSource DataSource store, SecretBox secrets) {
        return new SharedInstances(store, secrets);
    }

    @Bean
    DedicatedVm dedicatedVm(PoolNodes poolNodes, RedisBrokerProperties properties) {
        DedicatedVm dedicatedVm = new DedicatedVm(poolNodes, properties.dedicated().nodes().stream()
                .map(node -> new DedicatedVm.NodeSettings(node.host(), node.port(), node.username(), node.password()))
                .toList(), properties.adminTimeout());
        dedicatedVm.registerNodes();
        return dedicatedVm;
    }

    @Bean
    PoolNodes poolNodes(@StoreDataSource DataSource store, SecretBox secrets) {
        return new PoolNodes(store, secrets);
    }
}
