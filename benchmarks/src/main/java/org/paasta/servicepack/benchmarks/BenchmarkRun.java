package org.paasta.servicepack.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One benchmark run, start to finish: starts the bare SCOSB baselines and the brokers as separate
 * processes on 127.0.0.1 and measures every target of issue 15, each in several rounds that set
 * the broker against its baseline measured right next to it, then writes the markdown report and
 * its charts.
 *
 * <pre>java -cp ... org.paasta.servicepack.benchmarks.BenchmarkRun [--smoke] [--only mongodb] --broker-jar PATH --out FILE</pre>
 *
 * <p>{@code --only mongodb}: a diagnostic run of the MongoDB broker's operation costs alone (its
 * floors, the state-store floor and the no-op SCOSB next to it), for working on that broker in a
 * few minutes; its report is not the published one.
 */
public final class BenchmarkRun {
    static final String OPS_PROVISION = "provision";
    static final String OPS_BIND = "bind";
    static final String OPS_UNBIND = "unbind";
    static final String OPS_DEPROVISION = "deprovision";
    static final String OPS_LAST_OPERATION = "last_operation";
    static final List<String> LIFECYCLE = List.of(OPS_PROVISION, OPS_BIND, OPS_UNBIND, OPS_DEPROVISION);
    /** Every server's log level, brokers and bare SCOSB alike (the report's method says so). */
    static final String SERVER_LOG_LEVEL = "--logging.level.root=WARN";
    /** Per run, so two checkouts benchmarking against one MariaDB at once do not share a store. */
    private final String stateDatabase = "servicepack_bench_" + randomText(8).toLowerCase(java.util.Locale.ROOT);
    static final String H2_STORE = "H2 (embedded default)";
    static final String MARIADB_STORE = "MariaDB";
    static final String BARE_MVC = "bare-scosb-mvc";
    static final String BARE_WEBFLUX = "bare-scosb-webflux";
    static final String TOMCAT_CEILING = "tomcat-ceiling";
    static final String MYSQL_BROKER = "mysql-broker";
    /** The storage-quota pass visits every instance in the store: off, so it does not run amid a scale probe. */
    private static final List<String> QUIET = List.of("--servicepack.mysql.quota-check-interval=0");
    /** Redis broker instances get ports from here; the floor's own redis-servers from the next range. */
    static final int REDIS_BROKER_FIRST_PORT = 16700;
    static final int REDIS_FLOOR_FIRST_PORT = 16800;
    /** The dedicated-vm pool nodes given to the broker, and the floor's own node. */
    static final int REDIS_POOL_FIRST_PORT = 16900;

    /**
     * How long a server may take to answer its first request: generous, because a CI machine shared
     * with other builds has taken minutes to start one JVM; a start past it fails the run.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    private final Profile profile;
    private final Path brokerJar;
    private final Path workDirectory;
    private final Report report;
    private final String brokerPassword = randomText(24);
    private final String secretsKey = randomText(40);
    private Path jfrDirectory;
    private StoreFloor storeFloor;
    private String classPath;

    BenchmarkRun(Profile profile, Path brokerJar, Path workDirectory, String command) {
        this.profile = profile;
        this.brokerJar = brokerJar;
        this.workDirectory = workDirectory;
        this.report = new Report(profile, command);
    }

    public static void main(String[] args) throws Exception {
        Profile profile = Profile.FULL;
        Path jar = Path.of("brokers/mysql/target/mysql-broker.jar");
        Path out = Path.of("docs/benchmarks.md");
        Path jfr = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> profile = Profile.SMOKE;
                case "--only" -> only = args[++i];
                case "--broker-jar" -> jar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("servicepack-bench-");
        // Stopped from outside (SIGTERM, Ctrl-C): take every server of this run down too, the
        // redis-servers of Redis instances included, rather than leave them running on the machine.
        // Then, also after a normal end, remove the run's stores and data (up to a gigabyte: H2 files,
        // redis-server directories) and keep only its servers' logs.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            RedisFloor.killLeftovers(work);
            keepOnlyLogs(work);
        }, "benchmark-cleanup"));
        String command = profile == Profile.FULL ? "scripts/benchmark.sh" : "scripts/benchmark.sh --smoke";
        BenchmarkRun run = new BenchmarkRun(profile, jar, work, command);
        if (jfr != null) {
            run.recordFlights(jfr);
        }
        String markdown;
        if (only == null) {
            markdown = run.run();
        } else if (List.of("redis", "rabbitmq", "mongodb").contains(only)) {
            markdown = run.runOtherBrokerOnly(only);
        } else if (only.equals("mysql")) {
            markdown = run.runMysqlOnly();
        } else if (only.equals("scale")) {
            markdown = run.runScaleOnly();
        } else {
            throw new IllegalArgumentException("--only knows mysql, redis, rabbitmq, mongodb and scale, not " + only);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        Files.writeString(out.resolveSibling(Report.SVG_FILE), run.svg());
        Files.writeString(out.resolveSibling(Report.TARGETS_SVG_FILE), run.targetsSvg());
        System.out.println("benchmark report written to " + out.toAbsolutePath() + ", " + Report.SVG_FILE + " and "
                + Report.TARGETS_SVG_FILE);
    }

    /** Deletes everything under {@code work} but its {@code logs} directory; what cannot be deleted stays. */
    static void keepOnlyLogs(Path work) {
        Path logs = work.resolve("logs");
        try (java.util.stream.Stream<Path> tree = Files.walk(work)) {
            for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!path.equals(work) && !path.startsWith(logs)) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (java.io.IOException notEmptyOrGone) {
                        // A directory a server still writes into as it exits: left for the OS's /tmp cleaning.
                    }
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // Nothing to clean, or a file vanished under the walk.
        }
        System.err.println("benchmark: the servers' logs of this run are in " + logs);
    }

    /** Runs every scenario and returns the report as markdown. */
    String run() throws Exception {
        if (!Files.isRegularFile(brokerJar)) {
            throw new IllegalStateException(brokerJar.toAbsolutePath() + " missing: build it with "
                    + "mvn -pl brokers/mysql -am package -DskipTests");
        }
        try (MysqlFloor floor = new MysqlFloor()) {
            report.machine(Machine.describe(floor.serverVersion()));
        }
        report.brokerLaunch(Launch.of(brokerJar).describe());
        classPath = absoluteClassPath();
        ServerProcess mvc = null;
        ServerProcess webflux = null;
        ServerProcess broker = null;
        try (StoreFloor store = new StoreFloor(workDirectory.resolve("store-floor"), 500)) {
            storeFloor = store;
            ServerProcess[] started = footprint();
            mvc = started[0];
            broker = started[1];
            List<ServerProcess> throughputServers = new ArrayList<>(List.of(mvc));
            if (profile.webfluxBaseline()) {
                webflux = startBare(BARE_WEBFLUX, List.of("--spring.main.web-application-type=reactive"));
                throughputServers.add(webflux);
            }
            throughputServers.add(broker);
            throughput(throughputServers);
            closeAll(webflux);
            webflux = null;
            warmUntilCompiled(BARE_MVC, mvc, Osb.MYSQL, profile.mysqlWarmupCycles());
            try (MysqlFloor sql = new MysqlFloor()) {
                operations(Report.MYSQL, broker, Osb.MYSQL, mvc, sql::cycle, profile.mysqlWarmupCycles(),
                        profile.mysqlCycles());
            }
            concurrency(Report.MYSQL, broker, Osb.MYSQL, mysqlPool());
            if (!profile.restartForScale()) {
                // Smoke runs save a start: the broker just measured stands in for the empty-store run.
                for (int round = 0; round < profile.rounds(); round++) {
                    report.scale(H2_STORE, "empty", probe(broker, round == 0));
                }
            }
            closeAll(broker);
            broker = null;
            otherBrokers(mvc);
        } finally {
            closeAll(mvc, webflux, broker);
            storeFloor = null;
        }
        scale();
        return report.markdown();
    }

    /** This JVM's class path with absolute entries: each server runs in a working directory of its own. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * One of the other brokers' operations only (redis, rabbitmq or mongodb), as in the full run:
     * the no-op SCOSB, warmed by as many cycles as before the MySQL broker's rounds, and the
     * state-store floor next to it. RabbitMQ's concurrency comes with it, as in the full run.
     */
    String runOtherBrokerOnly(String name) throws Exception {
        startDiagnostic("the " + name + " broker alone (--only " + name + ")");
        ServerProcess mvc = null;
        try (StoreFloor store = new StoreFloor(workDirectory.resolve("store-floor"), 500)) {
            storeFloor = store;
            mvc = startBare(BARE_MVC, List.of());
            warmUntilCompiled(BARE_MVC, mvc, Osb.MYSQL, profile.mysqlWarmupCycles());
            switch (name) {
                case "redis" -> redis(mvc, brokersDirectory());
                case "rabbitmq" -> rabbitmq(mvc, brokersDirectory());
                default -> mongodb(mvc, brokersDirectory());
            }
        } finally {
            closeAll(mvc);
            storeFloor = null;
        }
        return report.markdown();
    }

    /** What every diagnostic (--only) run's report starts with: the machine, and that it is not for publishing. */
    private void startDiagnostic(String what) throws SQLException {
        try (MysqlFloor floor = new MysqlFloor()) {
            report.machine(Machine.describe(floor.serverVersion()));
        }
        report.note("Diagnostic run of " + what + ": not the published report.");
        report.brokerLaunch(Launch.of(brokerJar).describe());
        classPath = absoluteClassPath();
    }

    /** The scale section alone (H2 and MariaDB, empty and filled): a diagnostic for work on the store. */
    String runScaleOnly() throws Exception {
        startDiagnostic("the scale section alone (--only scale)");
        // The published method whatever the profile: the smoke path needs the store of sections not run here.
        scaleSideBySide();
        return report.markdown();
    }

    /**
     * The MySQL broker's operation costs and its 32-client concurrency alone, as in the full run:
     * a diagnostic for work on the request path, a few minutes instead of the full run's half hour.
     */
    String runMysqlOnly() throws Exception {
        startDiagnostic("the MySQL broker alone (--only mysql)");
        ServerProcess mvc = null;
        ServerProcess broker = null;
        try (StoreFloor store = new StoreFloor(workDirectory.resolve("store-floor"), 500)) {
            storeFloor = store;
            mvc = startBare(BARE_MVC, List.of());
            broker = startBroker(MYSQL_BROKER, workDirectory.resolve("broker-h2"), List.of());
            warmUntilCompiled(BARE_MVC, mvc, Osb.MYSQL, profile.mysqlWarmupCycles());
            try (MysqlFloor sql = new MysqlFloor()) {
                operations(Report.MYSQL, broker, Osb.MYSQL, mvc, sql::cycle, profile.mysqlWarmupCycles(),
                        profile.mysqlCycles());
            }
            concurrency(Report.MYSQL, broker, Osb.MYSQL, mysqlPool());
        } finally {
            closeAll(mvc, broker);
            storeFloor = null;
        }
        return report.markdown();
    }

    /**
     * Diagnostic: every broker process records a JFR profile ({@code settings=profile}) into
     * {@code directory}, written when it stops. The report says so: profiling inflates the figures.
     */
    void recordFlights(Path directory) throws java.io.IOException {
        this.jfrDirectory = Files.createDirectories(directory);
        report.note("Profiled run: every broker recorded a JFR profile (settings=profile) into " + directory
                + "; its figures are inflated by the recording and are not for publishing.");
    }

    /** The operations chart (SVG) of the run; call after {@link #run()}. */
    String svg() {
        return report.svg();
    }

    /** The targets chart (SVG) of the run; call after {@link #run()}. */
    String targetsSvg() {
        return report.targetsSvg();
    }

    // ---- target 6: footprint and start ---------------------------------------------------------

    /**
     * The bare SCOSB (Spring MVC) and the MySQL broker started in turn, {@link Profile#starts()}
     * times each: start time (process start to the first catalog answered), CPU used by then, and
     * RSS once idle. The processes of the last round stay up for the rest of the run.
     */
    private ServerProcess[] footprint() throws InterruptedException {
        ServerProcess mvc = null;
        ServerProcess broker = null;
        for (int round = 0; round < profile.starts(); round++) {
            closeAll(mvc, broker);
            mvc = startBare(BARE_MVC, List.of());
            report.start(mvc, settledRss(mvc), mvc.threads());
            broker = startBroker(MYSQL_BROKER, workDirectory.resolve("broker-h2"), List.of());
            report.start(broker, settledRss(broker), broker.threads());
        }
        return new ServerProcess[] {mvc, broker};
    }

    // ---- target 5: catalog and last_operation throughput ---------------------------------------

    /**
     * Every server warmed up once per endpoint, then {@link Profile#rounds()} rounds in which each
     * server has one measured window per endpoint, one server after the other: a round's ratio sets
     * the broker against the bare servers measured in the same minute.
     */
    private void throughput(List<ServerProcess> servers) throws Exception {
        Map<ServerProcess, String> instances = new LinkedHashMap<>();
        Path brokerCatalog = workDirectory.resolve("broker-catalog.json");
        for (ServerProcess server : servers) {
            String instanceId = Osb.newId();
            try (HttpConnection http = server.connect()) {
                int status = Osb.provision(http, instanceId).status();
                require(status == 201, server.name + " provision for last_operation answered " + status);
                String catalog = Osb.catalog(http).body();
                require(catalog.contains(Osb.SERVICE_ID) && catalog.contains(Osb.PLAN_ID),
                        server.name + " catalog lacks the MySQL service or plan");
                report.catalogSize(server.name, catalog.length());
                if (server.name.equals(MYSQL_BROKER)) {
                    Files.writeString(brokerCatalog, catalog);
                }
            }
            instances.put(server, instanceId);
            warmPolling(server, instanceId);
        }
        // Measured in every round beside the others, as a server of their kind: what Tomcat alone
        // serves on this machine under this load bounds what any of them can.
        try (ServerProcess ceiling = startCeiling(brokerCatalog)) {
            String anyInstance = Osb.newId();
            warmPolling(ceiling, anyInstance);
            instances.put(ceiling, anyInstance);
            measureThroughput(instances);
            instances.remove(ceiling);
        }
        for (Map.Entry<ServerProcess, String> entry : instances.entrySet()) {
            try (HttpConnection http = entry.getKey().connect()) {
                Osb.deprovision(http, entry.getValue());
            }
        }
    }

    private void measureThroughput(Map<ServerProcess, String> instances) throws Exception {
        for (int round = 0; round < profile.rounds(); round++) {
            for (ServerProcess server : instances.keySet()) {
                try (RssPeak peak = new RssPeak(server)) {
                    Stats catalog = Load.run(server, profile.concurrency(), Duration.ZERO, profile.measure(),
                            catalogRequest());
                    Stats lastOperation = Load.run(server, profile.concurrency(), Duration.ZERO, profile.measure(),
                            lastOperationRequest(instances.get(server)));
                    report.throughput(round, server.name, catalog, lastOperation);
                    report.peakRss(server.name, peak.peakMb());
                }
            }
        }
    }

    private static java.util.function.Function<HttpConnection, Boolean> catalogRequest() {
        return http -> Osb.catalog(http).status() == 200;
    }

    private static java.util.function.Function<HttpConnection, Boolean> lastOperationRequest(String instanceId) {
        return http -> {
            HttpConnection.Response response = Osb.lastOperation(http, instanceId);
            return response.status() == 200 && response.body().contains("succeeded");
        };
    }

    // ---- target 1 (and 2): operation cost against backend floor + state-store floor + no-op ---

    /**
     * The broker's sequential cycles, then the no-op SCOSB's, the backend floor's and the state-store
     * floor's, round after round; each round gives each operation's ratio of medians.
     */
    private void operations(String key, ServerProcess broker, Osb.Plan plan, ServerProcess bare,
            Concurrency.Client floor, int warmup, int measured) throws Exception {
        warmUntilCompiled(key, broker, plan, warmup);
        floorCycles(floor, warmup);
        floorCycles(storeFloor::cycle, warmup);
        for (int round = 0; round < profile.rounds(); round++) {
            BrokerTimers before = BrokerTimers.read(broker);
            Map<String, Stats> viaBroker = cycles(broker, plan, 0, measured);
            BrokerTimers after = BrokerTimers.read(broker);
            Map<String, Stats> noOp = cycles(bare, Osb.MYSQL, 0, measured);
            Map<String, Stats> backend = floorCycles(floor, measured);
            Map<String, Stats> store = floorCycles(storeFloor::cycle, measured);
            report.operations(key, viaBroker, backend, store, noOp);
            for (String op : LIFECYCLE) {
                report.internals(key, op, new Report.Internals(viaBroker.get(op).meanMs(),
                        after.meanMsSince(before, BrokerTimers.OPERATIONS, op),
                        after.meanMsSince(before, BrokerTimers.BACKEND_CALLS, op), backend.get(op).meanMs()));
            }
        }
    }

    private static Map<String, Stats> floorCycles(Concurrency.Client floor, int count) throws Exception {
        Map<String, Stats.Samples> samples = new LinkedHashMap<>();
        LIFECYCLE.forEach(op -> samples.put(op, new Stats.Samples()));
        for (int i = 0; i < count; i++) {
            long[] nanos = floor.cycle();
            for (int op = 0; op < LIFECYCLE.size(); op++) {
                samples.get(LIFECYCLE.get(op)).add(nanos[op]);
            }
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        samples.forEach((op, s) -> stats.put(op, s.stats(0, 0)));
        return stats;
    }

    /**
     * Each broker from its executable jar next to the MySQL broker's (brokers/NAME/target), with basic
     * auth and its durable default H2 store, measured against its backend floor, the state-store
     * floor and the no-op bare SCOSB handler {@code bare} (which serves catalog/mysql.yml: its no-op
     * cost does not depend on the catalog, so it is measured with the MySQL plan's ids).
     */
    private void otherBrokers(ServerProcess bare) throws Exception {
        Path brokers = brokersDirectory();
        redis(bare, brokers);
        rabbitmq(bare, brokers);
        mongodb(bare, brokers);
    }

    private Path brokersDirectory() {
        return brokerJar.toAbsolutePath().getParent().getParent().getParent();
    }

    private void redis(ServerProcess bare, Path brokers) throws Exception {
        Path redisData = workDirectory.resolve("redis-broker-data");
        List<Process> poolNodes = new ArrayList<>();
        try (RedisFloor shared = new RedisFloor(workDirectory.resolve("redis-floor-data"), REDIS_FLOOR_FIRST_PORT,
                REDIS_FLOOR_FIRST_PORT + 99);
                RedisDedicatedFloor dedicated = new RedisDedicatedFloor(workDirectory.resolve("redis-pool-floor"),
                        REDIS_POOL_FIRST_PORT + 9)) {
            report.backend("Redis", shared.describe() + " (" + RedisFloor.REDIS_SERVER + "); dedicated-vm: two "
                    + "redis-server pool nodes with a config file and requirepass");
            List<String> settings = new ArrayList<>(List.of(
                    "--servicepack.redis.shared.data-dir=" + redisData.toAbsolutePath(),
                    "--servicepack.redis.shared.redis-server=" + RedisFloor.REDIS_SERVER,
                    "--servicepack.redis.shared.first-port=" + REDIS_BROKER_FIRST_PORT,
                    "--servicepack.redis.shared.last-port=" + (REDIS_BROKER_FIRST_PORT + 99)));
            for (int node = 0; node < 2; node++) {
                String password = randomText(24);
                int port = REDIS_POOL_FIRST_PORT + node;
                poolNodes.add(RedisDedicatedFloor.startNode(workDirectory.resolve("redis-pool-" + node), port, password));
                String prefix = "--servicepack.redis.dedicated.nodes[" + node + "].";
                settings.addAll(List.of(prefix + "host=127.0.0.1", prefix + "port=" + port, prefix + "password="
                        + password));
            }
            try (ServerProcess broker = startBroker("redis-broker", Launch.of(jar(brokers, "redis")),
                    workDirectory.resolve("redis-broker"), settings, List.of())) {
                report.start(broker, settledRss(broker), broker.threads());
                warmUp(broker, Osb.REDIS_SHARED_VM);
                operations(Report.REDIS, broker, Osb.REDIS_SHARED_VM, bare, shared::cycle,
                        profile.otherWarmupCycles(), profile.otherCycles());
                operations(Report.REDIS_DEDICATED, broker, Osb.REDIS_DEDICATED_VM, bare, dedicated::cycle,
                        profile.otherWarmupCycles(), profile.otherCycles());
            }
        } finally {
            // Instances run in sessions of their own and outlive their broker: none may outlive a failed run.
            RedisFloor.killLeftovers(redisData);
            poolNodes.forEach(Process::destroyForcibly);
            RedisFloor.killLeftovers(workDirectory);
        }
    }

    private void rabbitmq(ServerProcess bare, Path brokers) throws Exception {
        try (RabbitmqFloor floor = new RabbitmqFloor()) {
            report.backend("RabbitMQ", floor.describe());
            try (ServerProcess broker = startBroker("rabbitmq-broker", Launch.of(jar(brokers, "rabbitmq")),
                    workDirectory.resolve("rabbitmq-broker"), List.of(
                            "--servicepack.rabbitmq.management.url=" + RabbitmqFloor.URL,
                            "--servicepack.rabbitmq.management.username=" + RabbitmqFloor.USER,
                            "--servicepack.rabbitmq.management.password=" + RabbitmqFloor.PASSWORD), List.of())) {
                report.start(broker, settledRss(broker), broker.threads());
                warmUp(broker, Osb.RABBITMQ);
                operations(Report.RABBITMQ, broker, Osb.RABBITMQ, bare, floor::cycle, profile.otherWarmupCycles(),
                        profile.otherCycles());
                concurrency(Report.RABBITMQ, broker, Osb.RABBITMQ, RabbitmqFloor::new);
            }
        }
    }

    private void mongodb(ServerProcess bare, Path brokers) throws Exception {
        try (MongoDoubleServer.Handle mongo = MongoDoubleServer.Handle.start(classPath,
                workDirectory.resolve("logs").resolve("mongodb-test-double.log"));
                MongoFloor floor = new MongoFloor(mongo.adminUri)) {
            report.backend("MongoDB", floor.describe());
            try (ServerProcess broker = startBroker("mongodb-broker", Launch.of(jar(brokers, "mongodb")),
                    workDirectory.resolve("mongodb-broker"), List.of("--servicepack.mongodb.uri=" + mongo.adminUri),
                    List.of())) {
                report.start(broker, settledRss(broker), broker.threads());
                warmUp(broker, Osb.MONGODB);
                operations(Report.MONGODB, broker, Osb.MONGODB, bare, floor::cycle, profile.otherWarmupCycles(),
                        profile.otherCycles());
            }
        }
    }

    /**
     * The MySQL broker is measured after the throughput load, the bare SCOSB handler too: so that
     * the other brokers are not measured with a colder JIT, each first serves the same two
     * endpoints under load for the throughput warm-up time (nothing recorded).
     */
    private void warmUp(ServerProcess broker, Osb.Plan plan) throws InterruptedException {
        String instanceId = Osb.newId();
        try (HttpConnection http = broker.connect()) {
            HttpConnection.Response provision = Osb.provision(http, plan, instanceId);
            require(provision.status() == 201, broker.name + " provision for the warm-up answered "
                    + provision.status() + ": " + abbreviate(provision.body()));
        }
        Load.run(broker, profile.concurrency(), profile.warmup(), Duration.ZERO, catalogRequest());
        Load.run(broker, profile.concurrency(), profile.warmup(), Duration.ZERO, lastOperationRequest(instanceId));
        try (HttpConnection http = broker.connect()) {
            Osb.deprovision(http, plan, instanceId);
        }
    }

    private static Path jar(Path brokers, String name) {
        Path jar = brokers.resolve(name).resolve("target").resolve(name + "-broker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build it with mvn -pl brokers/" + name
                    + " -am package -DskipTests");
        }
        return jar;
    }

    /**
     * Both polling requests for the throughput warm-up's time each, then more of them in windows
     * until the server's C2 compiler used under {@link #COMPILING} of a core over a window (at most
     * {@link Profile#warmupLimit()}): a baseline still compiling would flatter every ratio to it.
     */
    private void warmPolling(ServerProcess server, String instanceId) throws Exception {
        Load.run(server, profile.concurrency(), profile.warmup(), Duration.ZERO, catalogRequest());
        Load.run(server, profile.concurrency(), profile.warmup(), Duration.ZERO, lastOperationRequest(instanceId));
        double share = untilCompiled(server, () -> {
            Load.run(server, profile.concurrency(), profile.warmup().dividedBy(2), Duration.ZERO, catalogRequest());
            Load.run(server, profile.concurrency(), profile.warmup().dividedBy(2), Duration.ZERO,
                    lastOperationRequest(instanceId));
        });
        report.warmup(server.name + " (polling)", -1, share, share < COMPILING);
    }

    /** One block of warm-up work. */
    private interface Block {
        void run() throws Exception;
    }

    /**
     * Runs {@code block} until the server's C2 compiler used under {@link #COMPILING} of a core over
     * one run of it, or {@link Profile#warmupLimit()} has gone into blocks; C2's share over the last.
     */
    private double untilCompiled(ServerProcess server, Block block) throws Exception {
        long limit = System.nanoTime() + profile.warmupLimit().toNanos();
        double share;
        do {
            double compiled = server.compilerCpuSeconds();
            long start = System.nanoTime();
            block.run();
            share = (server.compilerCpuSeconds() - compiled) / ((System.nanoTime() - start) / 1e9);
        } while (share >= COMPILING && System.nanoTime() < limit);
        return share;
    }

    /** C2's share of a core above which a server's request path counts as still compiling. */
    private static final double COMPILING = 0.10;

    /**
     * {@code minimum} sequential cycles, then blocks of {@link Profile#warmupBlockCycles()} until the
     * server's C2 compiler used under {@link #COMPILING} of a core over the last block (or
     * {@link Profile#warmupLimit()} has gone into blocks): so that the rounds measure compiled code,
     * not the JIT competing with the request for the two cores.
     */
    private void warmUntilCompiled(String label, ServerProcess server, Osb.Plan plan, int minimum) throws Exception {
        cycles(server, plan, minimum, 0);
        int[] cycles = {minimum};
        double share = untilCompiled(server, () -> {
            cycles(server, plan, profile.warmupBlockCycles(), 0);
            cycles[0] += profile.warmupBlockCycles();
        });
        report.warmup(label, cycles[0], share, share < COMPILING);
    }

    /** Sequential provision, (5 last_operation polls), bind, unbind, deprovision cycles, each request timed. */
    private Map<String, Stats> cycles(ServerProcess server, Osb.Plan plan, int warmup, int measured) {
        Map<String, Stats.Samples> samples = new LinkedHashMap<>();
        List.of(OPS_PROVISION, OPS_BIND, OPS_UNBIND, OPS_DEPROVISION, OPS_LAST_OPERATION)
                .forEach(op -> samples.put(op, new Stats.Samples()));
        try (HttpConnection http = server.connect()) {
            for (int i = 0; i < warmup + measured; i++) {
                boolean keep = i >= warmup;
                String instanceId = Osb.newId();
                String bindingId = Osb.newId();
                timed(keep, samples.get(OPS_PROVISION), server, "provision", 201,
                        () -> Osb.provision(http, plan, instanceId));
                for (int probe = 0; probe < 5; probe++) {
                    timed(keep, samples.get(OPS_LAST_OPERATION), server, "last_operation", 200,
                            () -> Osb.lastOperation(http, instanceId));
                }
                timed(keep, samples.get(OPS_BIND), server, "bind", 201,
                        () -> Osb.bind(http, plan, instanceId, bindingId));
                timed(keep, samples.get(OPS_UNBIND), server, "unbind", 200,
                        () -> Osb.unbind(http, plan, instanceId, bindingId));
                timed(keep, samples.get(OPS_DEPROVISION), server, "deprovision", 200,
                        () -> Osb.deprovision(http, plan, instanceId));
            }
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        samples.forEach((op, s) -> stats.put(op, s.stats(0, 0)));
        return stats;
    }

    private static void timed(boolean keep, Stats.Samples samples, ServerProcess server, String what, int expected,
            java.util.function.Supplier<HttpConnection.Response> request) {
        long start = System.nanoTime();
        HttpConnection.Response response = request.get();
        long elapsed = System.nanoTime() - start;
        require(response.status() == expected, server.name + " " + what + " answered " + response.status() + ": "
                + abbreviate(response.body()));
        if (keep) {
            samples.add(elapsed);
        }
    }

    // ---- target 3: concurrency -----------------------------------------------------------------

    /** The MySQL floor's clients share the broker's admin pool size in connections. */
    private static Concurrency.ClientFactory mysqlPool() throws SQLException {
        BlockingQueue<MysqlFloor> pool = new ArrayBlockingQueue<>(MysqlFloor.BROKER_POOL_SIZE);
        for (int i = 0; i < MysqlFloor.BROKER_POOL_SIZE; i++) {
            pool.add(new MysqlFloor());
        }
        // Closed with the benchmark's JVM: the pool serves every round of the run.
        return MysqlFloor.pooled(pool);
    }

    /**
     * {@link Profile#clients()} clients at once through the broker, then the same number on the
     * backend floor, round after round. One unmeasured round each first (connections, JIT).
     */
    private void concurrency(String key, ServerProcess broker, Osb.Plan plan, Concurrency.ClientFactory floor)
            throws Exception {
        Concurrency.viaBroker(broker, plan, profile.clients(), 1);
        Concurrency.floor(profile.clients(), 1, floor);
        long backendPid = Cores.pidOf(key.equals(Report.RABBITMQ) ? new String[] {"beam.smp"}
                : new String[] {"mariadbd", "mysqld"});
        for (int round = 0; round < profile.rounds(); round++) {
            Cores.Mark before = Cores.mark(broker.pid(), backendPid);
            Concurrency.Round viaBroker = Concurrency.viaBroker(broker, plan, profile.clients(),
                    profile.cyclesPerClient());
            Cores.Mark between = Cores.mark(broker.pid(), backendPid);
            Concurrency.Round backend = Concurrency.floor(profile.clients(), profile.cyclesPerClient(), floor);
            Cores.Mark after = Cores.mark(broker.pid(), backendPid);
            report.concurrency(key, viaBroker, backend, Cores.between(before, between), Cores.between(between, after));
        }
    }

    // ---- target 4: latency with a large state store --------------------------------------------

    private void scale() throws Exception {
        if (profile.restartForScale()) {
            scaleSideBySide();
            return;
        }
        // Smoke: the broker of the earlier sections stood in for the empty H2 store; its file is filled.
        Path h2Directory = workDirectory.resolve("broker-h2");
        require(Files.isRegularFile(h2Directory.resolve("data/mysql-broker-state.mv.db")),
                "no H2 store at " + h2Directory.resolve("data/mysql-broker-state.mv.db"));
        fillH2(h2Directory);
        try (ServerProcess broker = startBroker("broker-h2-filled", h2Directory, QUIET)) {
            for (int round = 0; round < profile.rounds(); round++) {
                report.scale(H2_STORE, "filled", probe(broker, round == 0));
            }
        }
        String mariaUrl = mariaUrl(stateDatabase);
        resetStateDatabase(stateDatabase, false);
        try (ServerProcess broker = startBroker("broker-mariadb", workDirectory.resolve("broker-mariadb"),
                onMaria(mariaUrl))) {
            // One broker for both states, the store filled under it (MariaDB allows that).
            for (int round = 0; round < profile.rounds(); round++) {
                report.scale(MARIADB_STORE, "empty", probe(broker, round == 0));
            }
            fillMaria(mariaUrl);
            for (int round = 0; round < profile.rounds(); round++) {
                report.scale(MARIADB_STORE, "filled", probe(broker, false));
            }
        } finally {
            resetStateDatabase(stateDatabase, true);
        }
    }

    /**
     * Each store twice, empty and filled, with a broker on each; both brokers run at once and take
     * turns round by round, the order alternating. A drift of the machine over the minutes of the
     * section (other load, the backend's own housekeeping) then falls on both states alike instead
     * of on whichever ran second: measured one after the other, the same build gave H2 1.27x and
     * MariaDB 1.07x in one run and H2 0.95x and MariaDB 1.29x in the next.
     */
    private void scaleSideBySide() throws Exception {
        report.scaleSideBySide();
        Path h2Empty = workDirectory.resolve("broker-h2-empty");
        Path h2Filled = workDirectory.resolve("broker-h2-filled");
        // The filled broker's own file: its migrations create it, the fill runs while no broker holds
        // it (H2 locks the file), then both brokers start.
        startBroker("broker-h2-filled", h2Filled, QUIET).close();
        fillH2(h2Filled);
        try (ServerProcess empty = startBroker("broker-h2-empty", h2Empty, QUIET);
             ServerProcess filled = startBroker("broker-h2-filled", h2Filled, QUIET)) {
            takeTurns(H2_STORE, empty, filled);
        }
        String emptyDatabase = stateDatabase + "_empty";
        String filledDatabase = stateDatabase + "_filled";
        resetStateDatabase(emptyDatabase, false);
        resetStateDatabase(filledDatabase, false);
        try {
            startBroker("broker-mariadb-filled", workDirectory.resolve("broker-mariadb-filled"),
                    onMaria(mariaUrl(filledDatabase))).close();
            fillMaria(mariaUrl(filledDatabase));
            try (ServerProcess empty = startBroker("broker-mariadb-empty", workDirectory.resolve("broker-mariadb-empty"),
                    onMaria(mariaUrl(emptyDatabase)));
                 ServerProcess filled = startBroker("broker-mariadb-filled",
                         workDirectory.resolve("broker-mariadb-filled"), onMaria(mariaUrl(filledDatabase)))) {
                takeTurns(MARIADB_STORE, empty, filled);
            }
        } finally {
            resetStateDatabase(emptyDatabase, true);
            resetStateDatabase(filledDatabase, true);
        }
    }

    /** Rounds alternating between the two brokers: empty first in even rounds, filled first in odd ones. */
    private void takeTurns(String store, ServerProcess empty, ServerProcess filled) {
        for (int round = 0; round < profile.rounds(); round++) {
            boolean emptyFirst = round % 2 == 0;
            Map<String, Stats> first = probe(emptyFirst ? empty : filled, round == 0);
            Map<String, Stats> second = probe(emptyFirst ? filled : empty, round == 0);
            report.scale(store, "empty", emptyFirst ? first : second);
            report.scale(store, "filled", emptyFirst ? second : first);
        }
    }

    private void fillH2(Path brokerDirectory) throws SQLException {
        String h2Url = "jdbc:h2:file:" + brokerDirectory.resolve("data/mysql-broker-state").toAbsolutePath()
                + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE";
        long fillStart = System.nanoTime();
        // The broker leaves the H2 user name empty (Spring Boot sets none for a file URL).
        StatePrefill.fill(h2Url, "", "", StatePrefill.Dialect.H2, profile.scaleInstances(),
                profile.scaleBindingsPerInstance());
        report.fill(H2_STORE, System.nanoTime() - fillStart,
                StatePrefill.count(h2Url, "", "", "sp_instance"), StatePrefill.count(h2Url, "", "", "sp_binding"),
                StatePrefill.count(h2Url, "", "", "sp_operation"));
    }

    private static String mariaUrl(String database) {
        String base = MysqlFloor.ADMIN_URL.endsWith("/") ? MysqlFloor.ADMIN_URL : MysqlFloor.ADMIN_URL + "/";
        return base.replaceFirst("/[^/]*$", "/") + database;
    }

    private static List<String> onMaria(String mariaUrl) {
        return List.of("--servicepack.mysql.quota-check-interval=0", "--servicepack.store.url=" + mariaUrl,
                "--servicepack.store.username=" + MysqlFloor.ADMIN_USER,
                "--servicepack.store.password=" + MysqlFloor.ADMIN_PASSWORD);
    }

    private void fillMaria(String mariaUrl) throws SQLException {
        long start = System.nanoTime();
        StatePrefill.fill(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, StatePrefill.Dialect.MARIADB,
                profile.scaleInstances(), profile.scaleBindingsPerInstance());
        report.fill(MARIADB_STORE, System.nanoTime() - start,
                StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_instance"),
                StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_binding"),
                StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_operation"));
    }

    /** Sequential lifecycle cycles and last_operation polls; the first probe of a broker warms it up first. */
    private Map<String, Stats> probe(ServerProcess broker, boolean warmUp) {
        Map<String, Stats> lifecycle = cycles(broker, Osb.MYSQL, warmUp ? profile.scaleWarmupCycles() : 0,
                profile.scaleCycles());
        String instanceId = Osb.newId();
        Stats.Samples lastOperation = new Stats.Samples();
        try (HttpConnection http = broker.connect()) {
            require(Osb.provision(http, instanceId).status() == 201, broker.name + " provision failed");
            int warmup = warmUp ? profile.lastOperationProbes() : 0;
            for (int i = 0; i < warmup + profile.lastOperationProbes(); i++) {
                timed(i >= warmup, lastOperation, broker, "last_operation", 200,
                        () -> Osb.lastOperation(http, instanceId));
            }
            Osb.deprovision(http, instanceId);
        }
        Map<String, Stats> stats = new LinkedHashMap<>(lifecycle);
        stats.put(OPS_LAST_OPERATION, lastOperation.stats(0, 0));
        return stats;
    }

    private static void resetStateDatabase(String database, boolean dropOnly) throws SQLException {
        try (Connection admin = MysqlFloor.admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            if (!dropOnly) {
                statement.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
        }
    }

    // ---- processes ----------------------------------------------------------------------------

    private ServerProcess startBare(String name, List<String> args) {
        List<String> launch = new ArrayList<>(profile.serverJvm());
        launch.addAll(List.of("-cp", classPath, BareScosbApplication.class.getName()));
        // SCOSB's controllers log every request at INFO: a baseline that writes a log line per request
        // the brokers do not write is not a baseline.
        List<String> withLogLevel = new ArrayList<>(args);
        withLogLevel.add(SERVER_LOG_LEVEL);
        return ServerProcess.start(name, launch, withLogLevel, null, null, workDirectory.resolve(name),
                workDirectory.resolve("logs"), START_TIMEOUT);
    }

    private ServerProcess startCeiling(Path catalog) {
        List<String> launch = new ArrayList<>(profile.serverJvm());
        launch.addAll(List.of("-cp", classPath, TomcatCeiling.class.getName()));
        return ServerProcess.start(TOMCAT_CEILING, launch, List.of("--catalog=" + catalog), null, null,
                workDirectory.resolve(TOMCAT_CEILING), workDirectory.resolve("logs"), START_TIMEOUT);
    }

    private ServerProcess startBroker(String name, Path directory, List<String> settings) {
        return startBroker(name, Launch.of(brokerJar), directory, settings, List.of());
    }

    private ServerProcess startBroker(String name, Launch launchable, Path directory, List<String> settings,
            List<String> jvm) {
        List<String> launch = new ArrayList<>(profile.serverJvm());
        launch.addAll(jvm);
        if (jfrDirectory != null) {
            launch.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + jfrDirectory.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".jfr"));
        }
        String extra = System.getenv("BENCHMARK_BROKER_JVM");
        if (extra != null && !extra.isBlank()) {
            launch.add(extra.replace("NAME", name));
        }
        launch.addAll(launchable.arguments());
        List<String> args = new ArrayList<>(List.of("--servicepack.security.username=broker",
                "--servicepack.security.password=" + brokerPassword, "--servicepack.secrets.key=" + secretsKey,
                SERVER_LOG_LEVEL));
        args.addAll(settings);
        return ServerProcess.start(name, launch, args, "broker",
                brokerPassword, directory, workDirectory.resolve("logs"), START_TIMEOUT);
    }

    /** RSS once the process has had a moment with nothing to do after its first request. */
    private double settledRss(ServerProcess server) throws InterruptedException {
        Thread.sleep(profile.settle().toMillis());
        return server.rssMb();
    }

    private static void closeAll(ServerProcess... servers) {
        for (ServerProcess server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    private static String randomText(int length) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder text = new StringBuilder(length);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Samples a process's RSS every 100 ms and keeps the highest value. */
    static final class RssPeak implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler;
        private volatile double peak;

        RssPeak(ServerProcess server) {
            peak = server.rssMb();
            sampler = new Thread(() -> {
                while (running.get()) {
                    peak = Math.max(peak, server.rssMb());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-" + server.name);
            sampler.setDaemon(true);
            sampler.start();
        }

        double peakMb() {
            return peak;
        }

        @Override
        public void close() {
            running.set(false);
            sampler.interrupt();
        }
    }
}
