package org.paasta.servicepack.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One benchmark run, start to finish: starts the bare SCOSB baselines and the MySQL broker as
 * separate processes on 127.0.0.1, measures every scenario, then the Redis, RabbitMQ and MongoDB
 * brokers' operations against their floors, and writes the markdown report and its chart.
 *
 * <pre>java -cp ... org.paasta.servicepack.benchmarks.BenchmarkRun [--smoke] --broker-jar PATH --out FILE</pre>
 */
public final class BenchmarkRun {
    static final String OPS_PROVISION = "provision";
    static final String OPS_BIND = "bind";
    static final String OPS_UNBIND = "unbind";
    static final String OPS_DEPROVISION = "deprovision";
    static final String OPS_LAST_OPERATION = "last_operation";
    private static final List<String> LIFECYCLE = List.of(OPS_PROVISION, OPS_BIND, OPS_UNBIND, OPS_DEPROVISION);
    private static final Pattern USERNAME = Pattern.compile("\"username\"\\s*:\\s*\"([^\"]+)\"");
    /** Per run, so two checkouts benchmarking against one MariaDB at once do not share a store. */
    private final String stateDatabase = "servicepack_bench_" + randomText(8).toLowerCase(java.util.Locale.ROOT);
    private static final String H2_STORE = "H2 (embedded default)";
    static final String SMALL_VM_BROKER = "mysql-broker, sized as on a 1 GB VM (-XX:MaxRAM=1g)";
    /** The storage-quota pass visits every instance in the store: off, so it does not run amid a scale probe. */
    private static final List<String> QUIET = List.of("--servicepack.mysql.quota-check-interval=0");

    private final Profile profile;
    private final Path brokerJar;
    private final Path workDirectory;
    private final Report report;
    private final String brokerPassword = randomText(24);
    private final String secretsKey = randomText(40);
    private Path jfrDirectory;

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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> profile = Profile.SMOKE;
                case "--broker-jar" -> jar = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("servicepack-bench-");
        // Stopped from outside (SIGTERM, Ctrl-C): take every server of this run down too, the
        // redis-servers of Redis instances included, rather than leave them running on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            RedisFloor.killLeftovers(work);
        }, "benchmark-cleanup"));
        String command = profile == Profile.FULL ? "scripts/benchmark.sh" : "scripts/benchmark.sh --smoke";
        BenchmarkRun run = new BenchmarkRun(profile, jar, work, command);
        if (jfr != null) {
            run.recordFlights(jfr);
        }
        String markdown = run.run();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        Files.writeString(out.resolveSibling(Report.SVG_FILE), run.svg());
        System.out.println("benchmark report written to " + out.toAbsolutePath() + " and " + Report.SVG_FILE);
    }

    /** Runs every scenario and returns the report as markdown. */
    String run() throws Exception {
        if (!Files.isRegularFile(brokerJar)) {
            throw new IllegalStateException(brokerJar.toAbsolutePath() + " missing: build it with "
                    + "mvn -pl brokers/mysql -am install -DskipTests");
        }
        try (MysqlFloor floor = new MysqlFloor()) {
            report.machine(Machine.describe(floor.serverVersion()));
        }
        Path logs = workDirectory.resolve("logs");
        // Absolute, because each server runs in a working directory of its own.
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> bareLaunch = List.of("-cp", classPath, BareScosbApplication.class.getName());
        ServerProcess mvc = null;
        ServerProcess webflux = null;
        ServerProcess broker = null;
        try {
            // Started one after another, so each startup time is measured without the others' CPU.
            mvc = ServerProcess.start("bare-scosb-mvc", bareLaunch, List.of(), null, null,
                    workDirectory.resolve("bare-mvc"), logs, Duration.ofSeconds(120));
            report.footprintStartup(mvc, settledRss(mvc));
            webflux = ServerProcess.start("bare-scosb-webflux", bareLaunch,
                    List.of("--spring.main.web-application-type=reactive"), null, null,
                    workDirectory.resolve("bare-webflux"), logs, Duration.ofSeconds(120));
            report.footprintStartup(webflux, settledRss(webflux));
            broker = startBroker("mysql-broker", workDirectory.resolve("broker-h2"), List.of());
            report.footprintStartup(broker, settledRss(broker));

            throughput(List.of(mvc, webflux, broker));
            lifecycle(broker, mvc);
            burst(broker);
            report.footprintAfterLoad(broker, settledRss(broker));
            if (!profile.freshEmptyStoreRun()) {
                // Smoke runs save a start: the broker just measured stands in for the empty-store run.
                report.scale(H2_STORE, "empty", probe(broker, QUIET));
            }
            closeAll(webflux, broker);
            webflux = null;
            broker = null;
            otherBrokers(mvc, classPath);
        } finally {
            closeAll(mvc, webflux, broker);
        }
        if (profile.diagnostics()) {
            smallVm();
        }
        scale();
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

    // ---- item 1: catalog and last_operation throughput ---------------------------------------

    private void throughput(List<ServerProcess> servers) throws Exception {
        for (ServerProcess server : servers) {
            String instanceId = Osb.newId();
            try (HttpConnection http = server.connect()) {
                int status = Osb.provision(http, instanceId).status();
                require(status == 201, server.name + " provision for last_operation answered " + status);
                String catalog = Osb.catalog(http).body();
                require(catalog.contains(Osb.SERVICE_ID) && catalog.contains(Osb.PLAN_ID),
                        server.name + " catalog lacks the MySQL service or plan");
                report.catalogSize(server.name, catalog.length());
            }
            try (RssPeak peak = new RssPeak(server)) {
                Stats catalog = Load.run(server, profile.concurrency(), profile.warmup(), profile.measure(),
                        http -> Osb.catalog(http).status() == 200);
                Stats lastOperation = Load.run(server, profile.concurrency(), profile.warmup(), profile.measure(),
                        http -> {
                            HttpConnection.Response response = Osb.lastOperation(http, instanceId);
                            return response.status() == 200 && response.body().contains("succeeded");
                        });
                report.throughput(server.name, catalog, lastOperation);
                report.footprintPeak(server, "throughput load", peak.peakMb());
            }
            try (HttpConnection http = server.connect()) {
                Osb.deprovision(http, instanceId);
            }
        }
    }

    // ---- item 2: operation latency against the physical floor --------------------------------

    private void lifecycle(ServerProcess broker, ServerProcess bare) throws Exception {
        Map<String, Stats> viaBroker = cycles(broker, profile.warmupCycles(), profile.cycles());
        Map<String, Stats> noOp = cycles(bare, profile.warmupCycles(), profile.cycles());
        Map<String, Stats.Samples> floor = new LinkedHashMap<>();
        LIFECYCLE.forEach(op -> floor.put(op, new Stats.Samples()));
        try (MysqlFloor sql = new MysqlFloor()) {
            for (int i = 0; i < profile.warmupCycles() + profile.cycles(); i++) {
                boolean measured = i >= profile.warmupCycles();
                MysqlFloor.Names names = MysqlFloor.Names.fresh();
                long t0 = System.nanoTime();
                sql.provision(names);
                long t1 = System.nanoTime();
                sql.bind(names);
                long t2 = System.nanoTime();
                sql.unbind(names);
                long t3 = System.nanoTime();
                sql.deprovision(names);
                long t4 = System.nanoTime();
                if (measured) {
                    floor.get(OPS_PROVISION).add(t1 - t0);
                    floor.get(OPS_BIND).add(t2 - t1);
                    floor.get(OPS_UNBIND).add(t3 - t2);
                    floor.get(OPS_DEPROVISION).add(t4 - t3);
                }
            }
        }
        Map<String, Stats> floorStats = new LinkedHashMap<>();
        floor.forEach((op, samples) -> floorStats.put(op, samples.stats(0, 0)));
        Map<String, Stats.Samples> store = new LinkedHashMap<>();
        LIFECYCLE.forEach(op -> store.put(op, new Stats.Samples()));
        try (StoreFloor durable = new StoreFloor(workDirectory.resolve("store-floor"), 500)) {
            for (int i = 0; i < profile.warmupCycles() + profile.cycles(); i++) {
                long[] nanos = durable.cycle();
                if (i >= profile.warmupCycles()) {
                    for (int op = 0; op < LIFECYCLE.size(); op++) {
                        store.get(LIFECYCLE.get(op)).add(nanos[op]);
                    }
                }
            }
        }
        Map<String, Stats> storeStats = new LinkedHashMap<>();
        store.forEach((op, samples) -> storeStats.put(op, samples.stats(0, 0)));
        Map<String, Stats> inMemory = null;
        if (profile.diagnostics()) {
            // Diagnostic, not a configuration anyone should run: the same broker with its state in
            // memory shows how much of an operation is the durable store's commits. Warmed like the
            // measured broker, which served the throughput runs first: a cold JIT would hide the gap.
            try (ServerProcess volatileStore = startBroker("mysql-broker-in-memory-store",
                    workDirectory.resolve("broker-in-memory"),
                    List.of("--servicepack.store.url=jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1"))) {
                warmUp(volatileStore, Osb.MYSQL);
                inMemory = cycles(volatileStore, profile.warmupCycles(), profile.cycles());
            }
        }
        report.lifecycle(viaBroker, floorStats, noOp, storeStats, inMemory);
    }

    // ---- item 2 for the other brokers: Redis (shared-vm), RabbitMQ, MongoDB -------------------

    /** Redis broker instances get ports from here; the floor's own redis-servers from the next range. */
    static final int REDIS_BROKER_FIRST_PORT = 16700;
    static final int REDIS_FLOOR_FIRST_PORT = 16800;

    /**
     * Each broker from its executable jar next to the MySQL broker's (brokers/NAME/target), with basic
     * auth and its durable default H2 store, measured against its backend floor and the no-op bare
     * SCOSB handler {@code bare} (which serves catalog/mysql.yml: its no-op cost does not depend on
     * the catalog, so it is measured with the MySQL plan's ids right after each broker).
     */
    private void otherBrokers(ServerProcess bare, String classPath) throws Exception {
        Path brokers = brokerJar.toAbsolutePath().getParent().getParent().getParent();
        Path redisData = workDirectory.resolve("redis-broker-data");
        try (RedisFloor floor = new RedisFloor(workDirectory.resolve("redis-floor-data"), REDIS_FLOOR_FIRST_PORT,
                REDIS_FLOOR_FIRST_PORT + 99)) {
            report.backend("Redis", floor.describe() + " (" + RedisFloor.REDIS_SERVER + ")");
            try (ServerProcess broker = startBroker("redis-broker", jar(brokers, "redis"),
                    workDirectory.resolve("redis-broker"), List.of(
                            "--servicepack.redis.shared.data-dir=" + redisData.toAbsolutePath(),
                            "--servicepack.redis.shared.redis-server=" + RedisFloor.REDIS_SERVER,
                            "--servicepack.redis.shared.first-port=" + REDIS_BROKER_FIRST_PORT,
                            "--servicepack.redis.shared.last-port=" + (REDIS_BROKER_FIRST_PORT + 99)), List.of())) {
                report.footprintStartup(broker, settledRss(broker));
                brokerLifecycle(Report.REDIS, broker, Osb.REDIS_SHARED_VM, bare, floor);
            }
        } finally {
            // Instances run in sessions of their own and outlive their broker: none may outlive a failed run.
            RedisFloor.killLeftovers(redisData);
        }

        try (RabbitmqFloor floor = new RabbitmqFloor()) {
            report.backend("RabbitMQ", floor.describe());
            try (ServerProcess broker = startBroker("rabbitmq-broker", jar(brokers, "rabbitmq"),
                    workDirectory.resolve("rabbitmq-broker"), List.of(
                            "--servicepack.rabbitmq.management.url=" + RabbitmqFloor.URL,
                            "--servicepack.rabbitmq.management.username=" + RabbitmqFloor.USER,
                            "--servicepack.rabbitmq.management.password=" + RabbitmqFloor.PASSWORD), List.of())) {
                report.footprintStartup(broker, settledRss(broker));
                brokerLifecycle(Report.RABBITMQ, broker, Osb.RABBITMQ, bare, floor);
            }
        }

        try (MongoDoubleServer.Handle mongo = MongoDoubleServer.Handle.start(classPath,
                workDirectory.resolve("logs").resolve("mongodb-test-double.log"));
                MongoFloor floor = new MongoFloor(mongo.adminUri)) {
            report.backend("MongoDB", floor.describe());
            try (ServerProcess broker = startBroker("mongodb-broker", jar(brokers, "mongodb"),
                    workDirectory.resolve("mongodb-broker"), List.of("--servicepack.mongodb.uri=" + mongo.adminUri),
                    List.of())) {
                report.footprintStartup(broker, settledRss(broker));
                brokerLifecycle(Report.MONGODB, broker, Osb.MONGODB, bare, floor);
            }
        }
    }

    /**
     * The MySQL broker is measured after a minute of catalog and last_operation load, the bare
     * SCOSB handler too: so that the other brokers are not measured with a colder JIT, each first
     * serves the same two endpoints under load for the throughput warm-up time (nothing recorded).
     */
    private void warmUp(ServerProcess broker, Osb.Plan plan) throws InterruptedException {
        String instanceId = Osb.newId();
        try (HttpConnection http = broker.connect()) {
            HttpConnection.Response provision = Osb.provision(http, plan, instanceId);
            require(provision.status() == 201, broker.name + " provision for the warm-up answered "
                    + provision.status() + ": " + abbreviate(provision.body()));
        }
        Load.run(broker, profile.concurrency(), profile.warmup(), Duration.ZERO, http -> Osb.catalog(http).status() == 200);
        Load.run(broker, profile.concurrency(), profile.warmup(), Duration.ZERO,
                http -> Osb.lastOperation(http, instanceId).status() == 200);
        try (HttpConnection http = broker.connect()) {
            Osb.deprovision(http, plan, instanceId);
        }
    }

    private static Path jar(Path brokers, String name) {
        Path jar = brokers.resolve(name).resolve("target").resolve(name + "-broker.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build it with mvn -pl brokers/" + name
                    + " -am install -DskipTests");
        }
        return jar;
    }

    /** The broker's cycles, then the no-op handler's, then the floor's: one after another, as for MySQL. */
    private void brokerLifecycle(String key, ServerProcess broker, Osb.Plan plan, ServerProcess bare,
            BackendFloor floor) throws Exception {
        int warmup = profile.otherWarmupCycles();
        int measured = profile.otherCycles();
        warmUp(broker, plan);
        Map<String, Stats> viaBroker = cycles(broker, plan, warmup, measured);
        Map<String, Stats> noOp = cycles(bare, Osb.MYSQL, warmup, measured);
        Map<String, Stats.Samples> samples = new LinkedHashMap<>();
        LIFECYCLE.forEach(op -> samples.put(op, new Stats.Samples()));
        for (int i = 0; i < warmup + measured; i++) {
            long[] nanos = floor.cycle();
            if (i >= warmup) {
                for (int op = 0; op < LIFECYCLE.size(); op++) {
                    samples.get(LIFECYCLE.get(op)).add(nanos[op]);
                }
            }
        }
        Map<String, Stats> floorStats = new LinkedHashMap<>();
        samples.forEach((op, s) -> floorStats.put(op, s.stats(0, 0)));
        report.brokerLifecycle(key, viaBroker, floorStats, noOp);
    }

    /** Sequential provision, bind, unbind, deprovision cycles through HTTP, each request timed. */
    private Map<String, Stats> cycles(ServerProcess server, int warmup, int measured) {
        return cycles(server, Osb.MYSQL, warmup, measured);
    }

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

    // ---- item 3: burst ------------------------------------------------------------------------

    private void burst(ServerProcess broker) throws Exception {
        int count = profile.burstOperations();
        List<String> instances = new ArrayList<>();
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(Osb.newId());
            bindings.add(Osb.newId());
        }
        ExecutorService pool = Executors.newFixedThreadPool(profile.burstConcurrency());
        ThreadLocal<HttpConnection> connections = ThreadLocal.withInitial(broker::connect);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> usernames = Collections.synchronizedList(new ArrayList<>());
        double peak;
        long createNanos;
        long removeNanos;
        try (RssPeak rss = new RssPeak(broker)) {
            long start = System.nanoTime();
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String instanceId = instances.get(i);
                String bindingId = bindings.get(i);
                created.add(pool.submit(() -> {
                    HttpConnection http = connections.get();
                    HttpConnection.Response provision = Osb.provision(http, instanceId);
                    if (provision.status() != 201) {
                        failures.add("provision " + provision.status() + " " + abbreviate(provision.body()));
                        return;
                    }
                    HttpConnection.Response bind = Osb.bind(http, instanceId, bindingId);
                    if (bind.status() != 201) {
                        failures.add("bind " + bind.status() + " " + abbreviate(bind.body()));
                        return;
                    }
                    Matcher username = USERNAME.matcher(bind.body());
                    usernames.add(username.find() ? username.group(1) : "");
                }));
            }
            await(created);
            createNanos = System.nanoTime() - start;
            peak = rss.peakMb();
            Verification verified = verifyBurst(instances, usernames);
            long removeStart = System.nanoTime();
            List<Future<?>> removed = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String instanceId = instances.get(i);
                String bindingId = bindings.get(i);
                removed.add(pool.submit(() -> {
                    HttpConnection http = connections.get();
                    int unbind = Osb.unbind(http, instanceId, bindingId).status();
                    int deprovision = Osb.deprovision(http, instanceId).status();
                    if (unbind != 200 || deprovision != 200) {
                        failures.add("cleanup unbind " + unbind + " deprovision " + deprovision);
                    }
                }));
            }
            await(removed);
            removeNanos = System.nanoTime() - removeStart;
            report.burst(broker.name, count, profile.burstConcurrency(), createNanos, removeNanos, failures, verified);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        report.footprintPeak(broker, "burst", peak);
        require(failures.isEmpty(), "burst failures: " + failures.subList(0, Math.min(5, failures.size())));
    }

    record Verification(int databases, int distinctUsernames, int accountsOnServer) {
    }

    /** Counts on the MySQL server itself: one database per instance, one account per binding, no doubles. */
    private static Verification verifyBurst(List<String> instances, List<String> usernames) throws SQLException {
        Set<String> distinct = new HashSet<>(usernames);
        try (Connection admin = MysqlFloor.admin()) {
            int databases = 0;
            try (PreparedStatement query = admin.prepareStatement(
                    "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
                for (String instanceId : instances) {
                    query.setString(1, "cf_" + instanceId.replace('-', '_'));
                    try (ResultSet rows = query.executeQuery()) {
                        rows.next();
                        databases += rows.getInt(1);
                    }
                }
            }
            int accounts = 0;
            try (PreparedStatement query = admin.prepareStatement("SELECT COUNT(*) FROM mysql.user WHERE User = ?")) {
                for (String username : distinct) {
                    query.setString(1, username);
                    try (ResultSet rows = query.executeQuery()) {
                        rows.next();
                        accounts += rows.getInt(1);
                    }
                }
            }
            return new Verification(databases, distinct.size(), accounts);
        }
    }

    // ---- item 4: latency with a large state store ---------------------------------------------

    private void scale() throws Exception {
        Path h2Directory = workDirectory.resolve("broker-h2");
        String h2Url = "jdbc:h2:file:" + h2Directory.resolve("data/servicepack-state").toAbsolutePath() + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE";
        // The broker leaves the H2 user name empty (Spring Boot sets none for a file URL).
        if (profile.freshEmptyStoreRun()) {
            report.scale(H2_STORE, "empty", probeFresh("broker-h2-empty", h2Directory, QUIET));
        }
        long fillStart = System.nanoTime();
        StatePrefill.fill(h2Url, "", "", StatePrefill.Dialect.H2, profile.scaleInstances(),
                profile.scaleBindingsPerInstance());
        report.fill(H2_STORE, System.nanoTime() - fillStart,
                StatePrefill.count(h2Url, "", "", "sp_instance"), StatePrefill.count(h2Url, "", "", "sp_binding"),
                StatePrefill.count(h2Url, "", "", "sp_operation"));
        report.scale(H2_STORE, "filled", probeFresh("broker-h2-filled", h2Directory, QUIET));

        String base = MysqlFloor.ADMIN_URL.endsWith("/") ? MysqlFloor.ADMIN_URL : MysqlFloor.ADMIN_URL + "/";
        String mariaUrl = base.replaceFirst("/[^/]*$", "/") + stateDatabase;
        resetStateDatabase(false);
        try {
            List<String> onMaria = List.of("--servicepack.mysql.quota-check-interval=0",
                    "--servicepack.store.url=" + mariaUrl,
                    "--servicepack.store.username=" + MysqlFloor.ADMIN_USER,
                    "--servicepack.store.password=" + MysqlFloor.ADMIN_PASSWORD);
            Path mariaDirectory = workDirectory.resolve("broker-mariadb");
            report.scale("MariaDB", "empty", probeFresh("broker-mariadb-empty", mariaDirectory, onMaria));
            long start = System.nanoTime();
            StatePrefill.fill(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, StatePrefill.Dialect.MARIADB,
                    profile.scaleInstances(), profile.scaleBindingsPerInstance());
            report.fill("MariaDB", System.nanoTime() - start,
                    StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_instance"),
                    StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_binding"),
                    StatePrefill.count(mariaUrl, MysqlFloor.ADMIN_USER, MysqlFloor.ADMIN_PASSWORD, "sp_operation"));
            report.scale("MariaDB", "filled", probeFresh("broker-mariadb-filled", mariaDirectory, onMaria));
        } finally {
            resetStateDatabase(true);
        }
    }

    /** A freshly started broker on the given store, warmed up, then the lifecycle and last_operation probed. */
    private Map<String, Stats> probeFresh(String name, Path directory, List<String> settings) throws Exception {
        try (ServerProcess broker = startBroker(name, directory, settings)) {
            return probe(broker, settings);
        }
    }

    private Map<String, Stats> probe(ServerProcess broker, List<String> settings) {
        Map<String, Stats> lifecycle = cycles(broker, profile.scaleWarmupCycles(), profile.scaleCycles());
        String instanceId = Osb.newId();
        Stats.Samples lastOperation = new Stats.Samples();
        try (HttpConnection http = broker.connect()) {
            require(Osb.provision(http, instanceId).status() == 201, broker.name + " provision failed");
            int warmup = profile.lastOperationProbes() / 3;
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

    // ---- item 5, continued: the broker as it sizes itself on a small VM ------------------------

    /**
     * The JVM sizes its heap from the machine's memory (MaxRAMPercentage, and an initial heap of
     * 1/64 of it), so RSS on a large build machine says little about a broker VM. -XX:MaxRAM makes
     * the JVM size itself exactly as on a VM with that much memory.
     */
    private void smallVm() throws Exception {
        try (ServerProcess broker = startBroker(SMALL_VM_BROKER, workDirectory.resolve("broker-small-vm"),
                List.of(), List.of("-XX:MaxRAM=1g"))) {
            report.footprintStartup(broker, settledRss(broker));
            burst(broker);
            report.footprintAfterLoad(broker, settledRss(broker));
        }
    }

    private void resetStateDatabase(boolean dropOnly) throws SQLException {
        try (Connection admin = MysqlFloor.admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + stateDatabase);
            if (!dropOnly) {
                statement.execute("CREATE DATABASE " + stateDatabase + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
        }
    }

    // ---- processes ----------------------------------------------------------------------------

    private ServerProcess startBroker(String name, Path directory, List<String> settings) {
        return startBroker(name, directory, settings, List.of());
    }

    private ServerProcess startBroker(String name, Path directory, List<String> settings, List<String> jvm) {
        return startBroker(name, brokerJar, directory, settings, jvm);
    }

    private ServerProcess startBroker(String name, Path jar, Path directory, List<String> settings, List<String> jvm) {
        List<String> launch = new ArrayList<>(jvm);
        if (jfrDirectory != null) {
            launch.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + jfrDirectory.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".jfr"));
        }
        launch.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        List<String> args = new ArrayList<>(List.of("--servicepack.security.username=broker",
                "--servicepack.security.password=" + brokerPassword, "--servicepack.secrets.key=" + secretsKey,
                "--logging.level.root=WARN"));
        args.addAll(settings);
        return ServerProcess.start(name, launch, args, "broker",
                brokerPassword, directory, workDirectory.resolve("logs"), Duration.ofSeconds(180));
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

    private static void await(List<Future<?>> futures) throws Exception {
        for (Future<?> future : futures) {
            future.get(10, TimeUnit.MINUTES);
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
