package org.paasta.servicepack.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What Cloud Foundry would be for the consumer app: the four brokers from their jars against the
 * real backends on 127.0.0.1 (MongoDB: see {@link MongoBackend}), registered with the project's
 * CLI, one service instance per plan, all started in parallel and all torn down in {@link #close}.
 *
 * <p>Backends, as the brokers' own tests find them: MariaDB from {@code MYSQL_ADMIN_URL},
 * {@code MYSQL_ADMIN_USERNAME}, {@code MYSQL_ADMIN_PASSWORD} (scripts/admin-env-file.sh; test-all
 * sets them), RabbitMQ's management API from {@code RABBITMQ_MANAGEMENT_URL},
 * {@code RABBITMQ_ADMIN_USERNAME}, {@code RABBITMQ_ADMIN_PASSWORD} (default guest/guest), Redis as
 * {@code /usr/bin/redis-server} processes on ports 16520-16529 (clear of the redis module's
 * 16400-16499 and the benchmarks' 16700-16899).
 */
final class Platform implements AutoCloseable {
    static final int REDIS_SHARED_FIRST_PORT = 16520;
    static final int REDIS_SHARED_LAST_PORT = 16528;
    static final int REDIS_POOL_NODE_PORT = 16529;

    /** Instance name -> {broker, service, plan}: one instance per plan this harness proves. */
    static final Map<String, List<String>> INSTANCES = new LinkedHashMap<>();

    static {
        INSTANCES.put(Instances.MYSQL, List.of("mysql", "Mysql-DB", "Mysql-Plan1-10con"));
        INSTANCES.put(Instances.REDIS_SHARED, List.of("redis", "redis", "shared-vm"));
        INSTANCES.put(Instances.REDIS_DEDICATED, List.of("redis", "redis", "dedicated-vm"));
        INSTANCES.put(Instances.RABBITMQ, List.of("rabbitmq", "rabbitmq", "standard"));
        INSTANCES.put(Instances.MONGODB, List.of("mongodb", "Mongo-DB", "default-plan"));
    }

    /** The instance names the tests bind. */
    static final class Instances {
        static final String MYSQL = "db";
        static final String REDIS_SHARED = "cache-shared";
        static final String REDIS_DEDICATED = "cache-dedicated";
        static final String RABBITMQ = "mq";
        static final String MONGODB = "docs";

        private Instances() {
        }
    }

    final Cli cli;
    final MongoBackend mongo;
    private final List<AutoCloseable> started;
    private final List<String> created = new ArrayList<>();

    private Platform(Cli cli, MongoBackend mongo, List<AutoCloseable> started) {
        this.cli = cli;
        this.mongo = mongo;
        this.started = started;
    }

    static Path redisSharedData() {
        return Reactor.WORK.resolve("redis-shared-data");
    }

    static Platform start() throws Exception {
        killRedisLeftovers();
        BrokerProcess.deleteRecursively(Reactor.WORK.resolve("cli"));
        Files.createDirectories(Reactor.WORK.resolve("cli"));
        List<AutoCloseable> started = new ArrayList<>();
        MongoBackend mongo = MongoBackend.start();
        started.add(mongo);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Platform platform = null;
        try {
            RedisPoolNode node = RedisPoolNode.start(Reactor.WORK.resolve("redis-pool-node"), REDIS_POOL_NODE_PORT);
            started.add(node);
            Future<BrokerProcess> mysql = pool.submit(() -> BrokerProcess.start("mysql", Map.of(
                    "MYSQL_ADMIN_URL", env("MYSQL_ADMIN_URL", "jdbc:mariadb://127.0.0.1:3306/"),
                    "MYSQL_ADMIN_USERNAME", env("MYSQL_ADMIN_USERNAME", "root"),
                    "MYSQL_ADMIN_PASSWORD", env("MYSQL_ADMIN_PASSWORD", ""),
                    "MYSQL_HOST", "127.0.0.1")));
            Future<BrokerProcess> rabbitmq = pool.submit(() -> BrokerProcess.start("rabbitmq", Map.of(
                    "RABBITMQ_MANAGEMENT_URL", env("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672"),
                    "RABBITMQ_ADMIN_USERNAME", env("RABBITMQ_ADMIN_USERNAME", "guest"),
                    "RABBITMQ_ADMIN_PASSWORD", env("RABBITMQ_ADMIN_PASSWORD", "guest"),
                    "RABBITMQ_HOSTNAMES", "127.0.0.1")));
            Future<BrokerProcess> mongodb = pool.submit(() -> BrokerProcess.start("mongodb", Map.of(
                    "MONGODB_ADMIN_URI", mongo.adminUri)));
            Future<BrokerProcess> redis = pool.submit(() -> BrokerProcess.start("redis", Map.of(
                    "REDIS_SHARED_DATA_DIR", redisSharedData().toString(),
                    "REDIS_SHARED_HOST", "127.0.0.1",
                    "SERVICEPACK_REDIS_SHARED_REDISSERVER", RedisPoolNode.REDIS_SERVER,
                    "SERVICEPACK_REDIS_SHARED_FIRSTPORT", Integer.toString(REDIS_SHARED_FIRST_PORT),
                    "SERVICEPACK_REDIS_SHARED_LASTPORT", Integer.toString(REDIS_SHARED_LAST_PORT),
                    "SERVICEPACK_REDIS_DEDICATED_NODES_0_HOST", "127.0.0.1",
                    "SERVICEPACK_REDIS_DEDICATED_NODES_0_PORT", Integer.toString(node.port),
                    "SERVICEPACK_REDIS_DEDICATED_NODES_0_PASSWORD", node.password)));
            List<BrokerProcess> brokers = new ArrayList<>();
            Exception failure = null;
            for (Future<BrokerProcess> broker : List.of(mysql, rabbitmq, mongodb, redis)) {
                try {
                    brokers.add(broker.get(660, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failure = failure == null ? e : failure;
                }
            }
            started.addAll(brokers);
            if (failure != null) {
                throw failure;
            }
            platform = new Platform(new Cli(Reactor.WORK.resolve("cli")), mongo, started);
            for (BrokerProcess broker : brokers) {
                platform.cli.registerBroker(broker);
            }
            Platform ready = platform;
            List<Future<?>> creations = new ArrayList<>();
            INSTANCES.forEach((name, spec) -> creations.add(pool.submit(() -> {
                ready.cli.createService(spec.get(0), spec.get(1), spec.get(2), name);
                synchronized (ready.created) {
                    ready.created.add(name);
                }
            })));
            for (Future<?> creation : creations) {
                creation.get(240, TimeUnit.SECONDS);
            }
            return platform;
        } catch (Exception | Error e) {
            if (platform != null) {
                platform.close();
            } else {
                closeAll(started);
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Deletes every instance through the CLI (unbinding what is still bound), then stops everything. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (String name : created) {
            ChildProcess.Outcome outcome = cli.run(Map.of(), "delete-service", name);
            if (outcome.exitCode() != 0) {
                failures.add(name + ": " + outcome.stderr().trim());
            }
        }
        closeAll(started);
        int leftovers = killRedisLeftovers();
        if (!failures.isEmpty() || leftovers > 0) {
            throw new IllegalStateException("teardown: delete-service failed for " + failures + "; "
                    + leftovers + " redis-server process(es) of shared-vm were left and killed");
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // go on closing the others
            }
        }
    }

    /**
     * shared-vm instances run in sessions of their own and outlive their broker: none may outlive
     * this harness. They are recognised by this harness's data directory on their command line.
     */
    static int killRedisLeftovers() {
        String marker = redisSharedData().toAbsolutePath().toString();
        int killed = 0;
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            String command;
            try {
                command = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
            } catch (IOException | RuntimeException gone) {
                continue;
            }
            if (command.contains("redis-server") && command.contains(marker)) {
                process.destroyForcibly();
                killed++;
            }
        }
        return killed;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
