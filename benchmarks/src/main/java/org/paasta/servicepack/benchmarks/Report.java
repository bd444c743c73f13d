package org.paasta.servicepack.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Collects the figures of one run and renders them as the markdown page docs/benchmarks.md: the
 * targets of issue 15 first, each the median of several rounds with the rounds' spread, then the
 * figures behind each.
 */
final class Report {
    private static final List<String> LIFECYCLE = BenchmarkRun.LIFECYCLE;

    static final String SVG_FILE = "benchmarks-operations.svg";
    static final String TARGETS_SVG_FILE = "benchmarks-targets.svg";
    static final String MYSQL = "MySQL";
    static final String REDIS = "Redis (shared-vm)";
    static final String REDIS_DEDICATED = "Redis (dedicated-vm)";
    static final String RABBITMQ = "RabbitMQ";
    static final String MONGODB = "MongoDB (test double)";

    static final double OPERATION_LIMIT = 1.25;
    static final double CONCURRENCY_LIMIT = 0.8;
    static final double SCALE_LIMIT = 1.1;
    static final double LAST_OPERATION_LIMIT = 3.0;
    static final double CATALOG_LIMIT = 5.0;
    static final double RSS_LIMIT_MB = 120;
    static final double START_LIMIT = 0.5;

    /** What each broker's backend floor is made of. */
    private static final Map<String, String> FLOORS = Map.of(
            MYSQL, "the statements MysqlBackend sends (per-instance GET_LOCK, account and session listing, DDL) over "
                    + "one warm admin connection",
            REDIS, "for provision the raw time to write the instance's redis.conf and users.acl, start `setsid "
                    + "redis-server redis.conf` and see it answer PING (polled every 1 ms); bind ACL GETUSER, ACL SETUSER "
                    + "of the user and of `default` (the binding's password hash added for password-only clients), "
                    + "CONFIG GET aclfile, ACL SAVE; unbind ACL GETUSER, ACL SETUSER off, ACL GETUSER default, the hash "
                    + "taken off `default`, CLIENT KILL USER default and USER, ACL DELUSER, CONFIG GET aclfile, ACL SAVE; deprovision INFO server, SHUTDOWN NOSAVE, wait for the exit, "
                    + "remove the directory; over the one warm admin connection that saw the PING",
            REDIS_DEDICATED, "over one warm admin connection to a pool node of the floor's own: provision CONFIG SET "
                    + "maxmemory/maxmemory-policy/maxclients + CONFIG REWRITE; bind and unbind as for shared-vm (the user "
                    + "and its hash on `default`), each with CONFIG GET aclfile + CONFIG REWRITE; deprovision the wipe (ACL USERS, default off, CLIENT KILL normal and pubsub, "
                    + "FLUSHALL) and the admin password's rotation (ACL SETUSER, CONFIG GET aclfile, CONFIG REWRITE). "
                    + "The broker's pool-table rows (claim, rotation, release) are not in it",
            RABBITMQ, "the management API calls RabbitmqBackend makes, over one warm keep-alive connection: provision "
                    + "PUT vhost, PUT operator policy, PUT two vhost limits; bind GET vhost, PUT user, PUT permissions "
                    + "(the listeners are cached by the broker for a minute); unbind DELETE user and one GET of the "
                    + "user's connections (`/api/connections/username/USER`): any wait beyond that one look counts "
                    + "against the broker; deprovision GET the vhost's permissions, DELETE vhost",
            MONGODB, "**against the MongoDB broker's test double, not mongod** (mongo-java-server's in-memory storage "
                    + "behind the broker tests' AuthorizingBackend, a separate JVM on 127.0.0.1; no mongod can be "
                    + "installed here): the commands MongodbBackend sends over one warm driver connection: provision "
                    + "an upsert of the instance record; bind createUser; unbind dropUser and "
                    + "killAllSessionsByPattern; deprovision usersInfo and dropDatabase");

    private final Profile profile;
    private final String command;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Machine machine;
    private String brokerLaunch = "";
    private final Map<String, String> backends = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<Start>> starts = new LinkedHashMap<>();
    private final Map<String, Double> peakRss = new LinkedHashMap<>();
    private final Map<String, Integer> catalogSizes = new LinkedHashMap<>();
    private final List<Map<String, Stats[]>> throughput = new ArrayList<>();
    private final Map<String, List<OperationsRound>> operations = new LinkedHashMap<>();
    /** Broker, then operation: one Internals per round. */
    private final Map<String, Map<String, List<Internals>>> internals = new LinkedHashMap<>();
    private final Map<String, List<Concurrency.Round[]>> concurrency = new LinkedHashMap<>();
    /** Per broker and round: where the cores went in the broker's run [0] and the floor's [1]. */
    private final Map<String, List<Cores[]>> concurrencyCores = new LinkedHashMap<>();
    /** Per server warmed for the operation or polling rounds: cycles run, C2's share over the last block, settled. */
    private final Map<String, String> warmups = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Map<String, Stats>>>> scale = new LinkedHashMap<>();
    private final List<String> fills = new ArrayList<>();
    private boolean scaleSideBySide;

    record Start(long millis, double cpuSeconds, double rssMb, int threads) {
    }

    record OperationsRound(Map<String, Stats> broker, Map<String, Stats> backend, Map<String, Stats> store,
            Map<String, Stats> noOp) {
        /** broker median / (backend floor + state-store floor + no-op), per operation. */
        double ratio(String op) {
            return broker.get(op).p50Ms() / floor(op);
        }

        double floor(String op) {
            return median(backend, op) + median(store, op) + median(noOp, op);
        }
    }

    /**
     * One round's means for one operation: the request as the client timed it, the SDK's run of the
     * admitted operation and the backend calls within it as the broker's own timers recorded them,
     * and the backend floor's same commands.
     */
    record Internals(double requestMs, double operationMs, double backendMs, double floorMs) {
    }

    /** One row of the opening table. */
    record Target(String number, String text, Spread value, String shown, boolean met, double limit, boolean atMost) {
        /** The figure against its limit: at most 1 where met, whichever the direction. */
        double headroom(double v) {
            return atMost ? v / limit : limit / v;
        }
    }

    Report(Profile profile, String command) {
        this.profile = profile;
        this.command = command;
    }

    void machine(Machine machine) {
        this.machine = machine;
    }

    void brokerLaunch(String launch) {
        this.brokerLaunch = launch;
    }

    void note(String text) {
        notes.add(text);
    }

    /** The scale section ran its stores side by side (the full profile's method), not one after the other. */
    void scaleSideBySide() {
        scaleSideBySide = true;
    }

    void backend(String name, String version) {
        backends.put(name, version);
    }

    void start(ServerProcess server, double idleRss, int threads) {
        starts.computeIfAbsent(server.name, n -> new ArrayList<>())
                .add(new Start(server.startupMillis, server.startupCpuSeconds, idleRss, threads));
    }

    void peakRss(String server, double mb) {
        peakRss.merge(server, mb, Math::max);
    }

    void catalogSize(String server, int bytes) {
        catalogSizes.put(server, bytes);
    }

    void throughput(int round, String server, Stats catalog, Stats lastOperation) {
        while (throughput.size() <= round) {
            throughput.add(new LinkedHashMap<>());
        }
        throughput.get(round).put(server, new Stats[] {catalog, lastOperation});
    }

    void operations(String key, Map<String, Stats> broker, Map<String, Stats> backend, Map<String, Stats> store,
            Map<String, Stats> noOp) {
        operations.computeIfAbsent(key, k -> new ArrayList<>()).add(new OperationsRound(broker, backend, store, noOp));
    }

    void internals(String key, String op, Internals round) {
        internals.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(op, o -> new ArrayList<>())
                .add(round);
    }

    void warmup(String server, int cycles, double compilerShare, boolean settled) {
        String amount = cycles < 0 ? "" : String.format(Locale.ROOT, " %,d cycles", cycles);
        warmups.put(server, String.format(Locale.ROOT, "%s%s (C2 %.0f%% of a core over the last block%s)",
                server, amount, 100 * compilerShare, settled ? "" : ", still compiling when the time limit came"));
    }

    void concurrency(String key, Concurrency.Round broker, Concurrency.Round floor, Cores brokerCores,
            Cores floorCores) {
        concurrency.computeIfAbsent(key, k -> new ArrayList<>()).add(new Concurrency.Round[] {broker, floor});
        concurrencyCores.computeIfAbsent(key, k -> new ArrayList<>()).add(new Cores[] {brokerCores, floorCores});
    }

    void fill(String store, long nanos, long instances, long bindings, long operationRows) {
        fills.add(String.format(Locale.ROOT, "- %s: %,d instances, %,d bindings, %,d operations in the store after the "
                + "fill (%.1f s to insert)", store, instances, bindings, operationRows, nanos / 1e9));
    }

    void scale(String store, String state, Map<String, Stats> stats) {
        scale.computeIfAbsent(store, s -> new LinkedHashMap<>()).computeIfAbsent(state, s -> new ArrayList<>())
                .add(stats);
    }

    // ---- figures derived from the rounds --------------------------------------------------------

    private static double median(Map<String, Stats> stats, String op) {
        Stats s = stats == null ? null : stats.get(op);
        return s == null ? 0 : s.p50Ms();
    }

    private static <T> Spread spread(List<T> rounds, Function<T, Double> value) {
        return Spread.of(rounds.stream().map(value).toList());
    }

    /** Per round: the broker's requests/s over the faster bare server's, on endpoint 0 (catalog) or 1. */
    private Spread throughputRatio(int endpoint) {
        return throughputRatio(BenchmarkRun.MYSQL_BROKER, endpoint);
    }

    /** Per round: {@code server}'s requests/s over the faster bare SCOSB's (MVC or WebFlux). */
    private Spread throughputRatio(String server, int endpoint) {
        return spread(throughput, round -> {
            Stats[] measured = round.get(server);
            double fasterBare = 0;
            for (Map.Entry<String, Stats[]> entry : round.entrySet()) {
                if (isBare(entry.getKey())) {
                    fasterBare = Math.max(fasterBare, entry.getValue()[endpoint].perSecond());
                }
            }
            return measured == null ? Double.NaN : measured[endpoint].perSecond() / fasterBare;
        });
    }

    private static boolean isBare(String server) {
        return server.equals(BenchmarkRun.BARE_MVC) || server.equals(BenchmarkRun.BARE_WEBFLUX);
    }

    private boolean ceilingMeasured() {
        return !throughput.isEmpty() && throughput.get(0).containsKey(BenchmarkRun.TOMCAT_CEILING);
    }

    /** The broker's ratio, then what the bare Tomcat servlet reached in the same rounds, for the target's row. */
    private String throughputFigure(int endpoint) {
        String figure = throughputRatio(endpoint).ratio();
        return ceilingMeasured()
                ? figure + "; Tomcat's ceiling " + throughputRatio(BenchmarkRun.TOMCAT_CEILING, endpoint).ratio()
                : figure;
    }

    /** Per start round: the broker's start time over the bare SCOSB's of the same round. */
    private Spread startRatio() {
        List<Start> broker = starts.getOrDefault(BenchmarkRun.MYSQL_BROKER, List.of());
        List<Start> bare = starts.getOrDefault(BenchmarkRun.BARE_MVC, List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(broker.size(), bare.size()); i++) {
            ratios.add((double) broker.get(i).millis() / bare.get(i).millis());
        }
        return Spread.of(ratios);
    }

    private Spread startCpuRatio() {
        List<Start> broker = starts.getOrDefault(BenchmarkRun.MYSQL_BROKER, List.of());
        List<Start> bare = starts.getOrDefault(BenchmarkRun.BARE_MVC, List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(broker.size(), bare.size()); i++) {
            ratios.add(broker.get(i).cpuSeconds() / bare.get(i).cpuSeconds());
        }
        return Spread.of(ratios);
    }

    /** Per scale round: filled median / empty median of {@code op}. */
    private Spread scaleRatio(String store, String op) {
        List<Map<String, Stats>> empty = scale.get(store).getOrDefault("empty", List.of());
        List<Map<String, Stats>> filled = scale.get(store).getOrDefault("filled", List.of());
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(empty.size(), filled.size()); i++) {
            ratios.add(filled.get(i).get(op).p50Ms() / empty.get(i).get(op).p50Ms());
        }
        return Spread.of(ratios);
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        operations.forEach((key, rounds) -> {
            for (String op : LIFECYCLE) {
                Spread ratio = spread(rounds, r -> r.ratio(op));
                targets.add(new Target("1", key + ": " + op + " median ≤ " + OPERATION_LIMIT
                        + "x (backend floor + state-store floor + no-op SCOSB)", ratio, ratio.ratio(),
                        ratio.median() <= OPERATION_LIMIT, OPERATION_LIMIT, true));
            }
        });
        List<OperationsRound> rabbit = operations.get(RABBITMQ);
        if (rabbit != null) {
            Spread ratio = spread(rabbit, r -> r.ratio(BenchmarkRun.OPS_UNBIND));
            targets.add(new Target("2", "RabbitMQ unbind ≤ " + OPERATION_LIMIT + "x its floor (DELETE user + one look "
                    + "at the user's connections + state store + no-op): no blind wait", ratio, ratio.ratio(),
                    ratio.median() <= OPERATION_LIMIT, OPERATION_LIMIT, true));
        }
        concurrency.forEach((key, rounds) -> {
            Spread ratio = spread(rounds, r -> r[0].cyclesPerSecond() / r[1].cyclesPerSecond());
            int errors = rounds.stream().mapToInt(r -> r[0].errors()).sum();
            targets.add(new Target("3", key + ": " + profile.clients() + " concurrent clients, cycles/s ≥ "
                    + CONCURRENCY_LIMIT + "x the backend floor at the same concurrency, zero errors", ratio,
                    ratio.ratio() + ", " + errors + " errors", ratio.median() >= CONCURRENCY_LIMIT && errors == 0,
                    CONCURRENCY_LIMIT, false));
        });
        scale.forEach((store, states) -> {
            if (!states.containsKey("empty") || !states.containsKey("filled")) {
                return;
            }
            String worstOp = null;
            Spread worst = null;
            for (String op : states.get("empty").get(0).keySet()) {
                Spread ratio = scaleRatio(store, op);
                if (worst == null || ratio.median() > worst.median()) {
                    worst = ratio;
                    worstOp = op;
                }
            }
            targets.add(new Target("4", store + ": every operation and last_operation with "
                    + String.format(Locale.ROOT, "%,d", profile.scaleInstances()) + " instances ≤ " + SCALE_LIMIT
                    + "x the empty store's median", worst, "worst: " + worstOp + " " + worst.ratio(),
                    worst.median() <= SCALE_LIMIT, SCALE_LIMIT, true));
        });
        if (!throughput.isEmpty()) {
            Spread lastOperation = throughputRatio(1);
            targets.add(new Target("5", "last_operation requests/s ≥ " + LAST_OPERATION_LIMIT + "x the faster bare SCOSB",
                    lastOperation, throughputFigure(1), lastOperation.median() >= LAST_OPERATION_LIMIT,
                    LAST_OPERATION_LIMIT, false));
            Spread catalog = throughputRatio(0);
            targets.add(new Target("5", "catalog requests/s ≥ " + CATALOG_LIMIT + "x the faster bare SCOSB", catalog,
                    throughputFigure(0), catalog.median() >= CATALOG_LIMIT, CATALOG_LIMIT, false));
        }
        List<Start> broker = starts.get(BenchmarkRun.MYSQL_BROKER);
        if (broker != null) {
            Spread rss = spread(broker, Start::rssMb);
            targets.add(new Target("6", "mysql-broker idle RSS ≤ " + (int) RSS_LIMIT_MB + " MB (README's JVM flags)",
                    rss, rss.format("%.1f", " MB"), rss.median() <= RSS_LIMIT_MB, RSS_LIMIT_MB, true));
            Spread start = startRatio();
            targets.add(new Target("6", "mysql-broker first request ≤ " + START_LIMIT + "x the bare SCOSB's start time "
                    + "(same JVM flags)", start, start.ratio(), start.median() <= START_LIMIT, START_LIMIT, true));
        }
        return targets;
    }

    // ---- markdown --------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `").append(command).append("` (profile `").append(profile.name()).append("`), ")
                .append(started).append(". Everything below ran in that one run on 127.0.0.1. Every target is a "
                        + "**ratio** against a baseline measured next to it in the same run, and each is the "
                        + "**median of ").append(profile.rounds()).append(" rounds** (start time and idle RSS: of ")
                .append(profile.starts()).append(" starts), shown with the lowest and highest round in "
                        + "parentheses: the spread is the noise of this machine. Absolute times only describe this "
                        + "machine.\n\n");
        md.append("Reproduce: `scripts/benchmark.sh` (").append(profile.expectedDuration()).append(" plus the build on an "
                + "idle 2-core machine; needs MariaDB as `scripts/ensure-mariadb.sh` sets it up, redis-server and "
                + "RabbitMQ with its management plugin as `brokers/redis/ci-setup.sh` and `brokers/rabbitmq/ci-setup.sh` "
                + "do; the script runs all three). CI runs `BenchmarkSmokeTest`, the same scenarios with tiny counts, "
                + "and asserts nothing about speed.\n\n");
        notes.forEach(note -> md.append("**").append(note).append("**\n\n"));
        targetsSection(md);
        machineSection(md);
        operationsSection(md);
        concurrencySection(md);
        scaleSection(md);
        throughputSection(md);
        footprintSection(md);
        methodSection(md);
        return md.toString();
    }

    private void targetsSection(StringBuilder md) {
        md.append("## Targets\n\n| # | Target | This run: median (lowest–highest round) | Verdict |\n|---|---|---|---|\n");
        for (Target target : targets()) {
            md.append("| ").append(target.number()).append(" | ").append(target.text()).append(" | ")
                    .append(target.shown()).append(" | ").append(target.met() ? "met" : "**missed**").append(" |\n");
        }
        md.append("\n![Every target against its limit](").append(TARGETS_SVG_FILE).append(")\n\n")
                .append("The chart (`").append(TARGETS_SVG_FILE).append("`) puts each target's figure over its limit "
                        + "(for an at-least target, the limit over the figure), so left of the line at 1 is met for "
                        + "every row; the bar spans the lowest and highest round, the dot is the median.\n\n");
    }

    private void machineSection(StringBuilder md) {
        md.append("## Machine\n\n| | |\n|---|---|\n")
                .append("| CPUs (nproc) | ").append(machine.cpus()).append(" |\n")
                .append("| CPU model | ").append(machine.cpuModel()).append(" |\n")
                .append("| Memory | ").append(machine.memoryMb()).append(" MB |\n")
                .append("| JDK | ").append(machine.jdk()).append(" |\n")
                .append("| OS | ").append(machine.os()).append(" |\n")
                .append("| MySQL server (backend and MariaDB state store) | ").append(machine.database()).append(" |\n");
        backends.forEach((name, version) -> md.append("| ").append(name).append(" backend | ").append(version)
                .append(" |\n"));
        md.append("| Load average 1/5/15 min at start / at end | ").append(machine.loadAtStart()).append(" / ")
                .append(Machine.loadAverage()).append(" |\n")
                .append("| Server JVM flags (every server alike, as the README recommends) | `")
                .append(String.join(" ", ServerProcess.RECOMMENDED_JVM));
        if (!profile.serverJvm().isEmpty()) {
            md.append(' ').append(String.join(" ", profile.serverJvm()));
        }
        md.append("` |\n| Brokers started as | ").append(brokerLaunch).append(" |\n\n");
        md.append("The machine is shared: other builds may run at the same time (see the load average), which "
                + "inflates absolute times and, less so, the ratios. The load driver runs in its own JVM on the same "
                + "cores, over plain keep-alive HTTP/1.1 sockets.\n\n");
    }

    private void operationsSection(StringBuilder md) {
        md.append("## 1. Per-operation cost against backend floor + state-store floor + no-op SCOSB\n\n");
        md.append("Sequential cycles, one client: provision (without `accepts_incomplete`, so one synchronous request), "
                + "5 last_operation polls, bind, unbind, deprovision. Each round runs the broker's cycles, then the "
                + "same requests through a no-op bare SCOSB (Spring MVC) handler, then the backend floor's cycles and "
                + "the state-store floor's. Ratio = broker median / (backend floor median + state-store floor median "
                + "+ no-op median), per round; the table shows the median of the rounds' medians and the ratio's "
                + "median (lowest–highest round). Target: at most ").append(OPERATION_LIMIT).append("x.\n\n");
        md.append("State-store floor = the rows the SDK must write per operation in its two transactions (the intent, "
                + "committed before the backend is touched so that a crash leaves a record to resume or clean up, "
                + "and the outcome after it), issued directly over one warm JDBC connection to an H2 file with the "
                + "SDK's default settings (`WRITE_DELAY=0`: every commit is written before the answer). Every broker "
                + "here runs on that default store.\n\n");
        for (Map.Entry<String, List<OperationsRound>> entry : operations.entrySet()) {
            String key = entry.getKey();
            List<OperationsRound> rounds = entry.getValue();
            md.append("### ").append(key).append("\n\nBackend floor: ").append(FLOORS.get(key)).append(". ")
                    .append(rounds.size()).append(" rounds of ").append(rounds.get(0).broker().get(LIFECYCLE.get(0))
                            .count()).append(" cycles.\n\n");
            md.append("| Operation | Broker median ms | Broker p95 ms | Backend floor ms | State-store floor ms | No-op "
                    + "SCOSB ms | Floor sum ms | Ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String op : rounds.get(0).broker().keySet()) {
                boolean lifecycle = LIFECYCLE.contains(op);
                md.append("| ").append(op).append(" | ")
                        .append(f2(spread(rounds, r -> r.broker().get(op).p50Ms()).median())).append(" | ")
                        .append(f2(spread(rounds, r -> r.broker().get(op).p95Ms()).median())).append(" | ")
                        .append(lifecycle ? f2(spread(rounds, r -> median(r.backend(), op)).median()) : "none")
                        .append(" | ")
                        .append(lifecycle ? f2(spread(rounds, r -> median(r.store(), op)).median()) : "none")
                        .append(" | ").append(f2(spread(rounds, r -> median(r.noOp(), op)).median())).append(" | ")
                        .append(f2(spread(rounds, r -> r.floor(op)).median())).append(" | ")
                        .append(spread(rounds, r -> r.ratio(op)).ratio()).append(" |\n");
            }
            md.append('\n');
            internalsTable(md, key);
        }
        md.append("last_operation has no backend work and writes nothing: its floor is the no-op handler alone.\n\n");
        md.append("![Median per operation: broker against its floor](").append(SVG_FILE).append(")\n\n")
                .append("The chart (`").append(SVG_FILE).append("`, written by the same run) sets each broker's median "
                        + "(median round) against its floor, split into backend work, the state-store writes and the "
                        + "no-op SCOSB request; each broker has its own scale, so compare bar heights within a panel "
                        + "and the ratios across panels.\n\n");
    }

    /**
     * Where a broker's request time goes, by the broker's own timers: means (a timer gives sums and
     * counts), so they add up, unlike medians.
     */
    private void internalsTable(StringBuilder md, String key) {
        Map<String, List<Internals>> byOperation = internals.get(key);
        if (byOperation == null) {
            return;
        }
        md.append("Where the broker's time goes, by its own timers (`servicepack_operations_seconds`, "
                + "`servicepack_backend_calls_seconds` from `/actuator/prometheus`, read before and after each "
                + "round): **means** over each round, shown for the round whose request mean is the median, so "
                + "the parts add up (the last column: median and spread over the rounds). HTTP and admission = "
                + "the request as the client timed it less the SDK's run of the admitted operation; SDK bookkeeping "
                + "= that run less the backend calls (the outcome's transaction, reading the records, sealing "
                + "credentials); last, the backend calls as the broker timed them against the floor's same "
                + "commands.\n\n");
        md.append("| Operation | Request mean ms | HTTP and admission ms | SDK bookkeeping ms | Backend calls in the "
                + "broker ms | Backend floor mean ms | Backend in broker / floor |\n|---|---:|---:|---:|---:|---:|---:|\n");
        byOperation.forEach((op, rounds) -> {
            // The round whose request mean is the median: its parts add up to its total.
            List<Internals> sorted = rounds.stream().sorted(java.util.Comparator.comparingDouble(Internals::requestMs))
                    .toList();
            Internals middle = sorted.get((sorted.size() - 1) / 2);
            md.append("| ").append(op).append(" | ").append(f2(middle.requestMs())).append(" | ")
                    .append(f2(middle.requestMs() - middle.operationMs())).append(" | ")
                    .append(f2(middle.operationMs() - middle.backendMs())).append(" | ")
                    .append(f2(middle.backendMs())).append(" | ").append(f2(middle.floorMs())).append(" | ")
                    .append(spread(rounds, r -> r.backendMs() / r.floorMs()).ratio()).append(" |\n");
        });
        md.append('\n');
    }

    private void concurrencySection(StringBuilder md) {
        md.append("## 2. Concurrency: ").append(profile.clients()).append(" clients at once\n\n");
        md.append("Each of ").append(profile.clients()).append(" client threads (one keep-alive connection each) runs ")
                .append(profile.cyclesPerClient()).append(" provision + bind + unbind + deprovision cycles on ids of "
                        + "its own, all starting at one barrier; cycles/s = all cycles over the time to the last "
                        + "client's end. The backend floor runs the same backend work from the same number of threads: "
                        + "for MySQL over a pool of ").append(MysqlFloor.BROKER_POOL_SIZE).append(" admin connections "
                        + "(the broker's own admin pool size, one borrowed per operation), for RabbitMQ one keep-alive "
                        + "connection per thread. One unmeasured round of each first. Target: cycles/s at least ")
                .append(CONCURRENCY_LIMIT).append("x the floor's, no failed request.\n\n");
        md.append("| Broker | Broker cycles/s | Floor cycles/s | Ratio | Failed cycles (broker) | Distinct binding "
                + "usernames / cycles | Broker cycle p50 / p99 ms | Floor cycle p50 / p99 ms | Broker p50 / p99 ms per "
                + "operation (provision, bind, unbind, deprovision) |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<String> failures = new ArrayList<>();
        concurrency.forEach((key, rounds) -> {
            int errors = rounds.stream().mapToInt(r -> r[0].errors()).sum();
            int cycles = rounds.stream().mapToInt(r -> r[0].cycles()).sum();
            int usernames = rounds.stream().mapToInt(r -> r[0].usernames()).sum();
            StringBuilder perOp = new StringBuilder();
            for (String op : LIFECYCLE) {
                perOp.append(perOp.length() == 0 ? "" : "; ")
                        .append(f1(spread(rounds, r -> r[0].operations().get(op).p50Ms()).median())).append(" / ")
                        .append(f1(spread(rounds, r -> r[0].operations().get(op).p99Ms()).median()));
            }
            md.append("| ").append(key).append(" | ").append(spread(rounds, r -> r[0].cyclesPerSecond()).format("%.1f", ""))
                    .append(" | ").append(spread(rounds, r -> r[1].cyclesPerSecond()).format("%.1f", "")).append(" | ")
                    .append(spread(rounds, r -> r[0].cyclesPerSecond() / r[1].cyclesPerSecond()).ratio()).append(" | ")
                    .append(errors).append(" | ").append(usernames).append(" / ").append(cycles).append(" | ")
                    .append(f1(spread(rounds, r -> r[0].cycle().p50Ms()).median())).append(" / ")
                    .append(f1(spread(rounds, r -> r[0].cycle().p99Ms()).median())).append(" | ")
                    .append(f1(spread(rounds, r -> r[1].cycle().p50Ms()).median())).append(" / ")
                    .append(f1(spread(rounds, r -> r[1].cycle().p99Ms()).median())).append(" | ").append(perOp)
                    .append(" |\n");
            rounds.stream().flatMap(r -> r[0].failures().stream()).limit(3)
                    .forEach(failure -> failures.add(key + ": " + failure));
        });
        failures.forEach(failure -> md.append("\nFailed: ").append(failure).append('\n'));
        md.append("\nThe broker's cycles/s and p50/p99 are medians over the rounds; failed cycles are summed over "
                + "them. Distinct usernames: every bind answered with an account of its own (RabbitMQ: user names).\n\n");
        coresTable(md);
    }

    /**
     * Where the cores went in each run, and what that leaves the broker: at the target's rate the
     * backend server and the load driver need their share of the machine whatever the broker does,
     * and the rest, per cycle, is the CPU the broker may spend.
     */
    private void coresTable(StringBuilder md) {
        if (concurrencyCores.isEmpty()) {
            return;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        md.append("Where the machine's ").append(cpus).append(" cores went (CPU time over each run's wall time, from "
                + "/proc; medians over the rounds, each column on its own). Backend server: MariaDB's `mariadbd` or "
                + "RabbitMQ's `beam.smp`. Benchmark JVM: the load driver in the broker's run, the floor's clients in the "
                + "floor's. \"Broker CPU ms per cycle the target leaves\" is what the broker could spend per cycle at ")
                .append(CONCURRENCY_LIMIT).append("x the floor's rate: the machine's cores less what the backend server "
                        + "and the load driver need at that rate (the driver's CPU per cycle in the broker's run, the "
                        + "backend's in whichever run it was lower), over that rate.\n\n");
        md.append("| Broker | Run | Cycles/s | Machine busy, cores | Broker JVM, cores | Backend server, cores | "
                + "Benchmark JVM, cores | Other, cores | Broker JVM CPU ms per cycle | Backend server CPU ms per cycle "
                + "| Broker CPU ms per cycle the target leaves | State-store floor + no-op SCOSB ms per cycle |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        concurrencyCores.forEach((key, rounds) -> {
            List<Concurrency.Round[]> cycles = concurrency.get(key);
            for (int run = 0; run < 2; run++) {
                int r = run;
                List<double[]> perRound = new ArrayList<>();
                for (int i = 0; i < rounds.size(); i++) {
                    Cores c = rounds.get(i)[r];
                    double rate = cycles.get(i)[r].cyclesPerSecond();
                    perRound.add(new double[] {rate, c.busy(), c.broker(), c.backend(), c.benchmark(), c.other(),
                            Cores.msPerCycle(c.broker(), rate), Cores.msPerCycle(c.backend(), rate)});
                }
                md.append("| ").append(key).append(" | ").append(r == 0 ? "broker" : "floor");
                for (int column = 0; column < 8; column++) {
                    int col = column;
                    double median = Spread.of(perRound.stream().map(v -> v[col]).toList()).median();
                    md.append(" | ").append(column == 0 || column >= 6 ? f1(median) : f2(median));
                }
                md.append(" | ").append(r == 0 ? f1(leftForBroker(cpus, rounds, cycles)) : "")
                        .append(" | ").append(r == 0 ? f1(durableFloorPerCycle(key)) : "").append(" |\n");
            }
        });
        md.append("\nWhere the CPU the target leaves the broker is below the broker's own CPU per cycle, the target asks "
                + "for more cycles than the cores can run with this broker. Where it is below the last column, even a broker "
                + "that added nothing to SCOSB but its durable records would not fit: that column is a cycle's durable "
                + "writes and four no-op SCOSB requests, each timed alone with one client in section 1 (wall times, a "
                + "close proxy for CPU here: the writes are in-process and the requests local).\n\n");
    }

    /**
     * What a cycle costs before any backend work, from section 1's one-client rounds: the durable
     * writes of its four operations plus four no-op SCOSB requests (median over rounds, ms).
     */
    private double durableFloorPerCycle(String key) {
        List<OperationsRound> rounds = operations.get(key);
        if (rounds == null) {
            return Double.NaN;
        }
        return spread(rounds, r -> LIFECYCLE.stream().mapToDouble(op -> median(r.store(), op) + median(r.noOp(), op))
                .sum()).median();
    }

    /** Median over rounds of the broker CPU per cycle that fits at the target's rate, in ms. */
    private static double leftForBroker(int cpus, List<Cores[]> rounds, List<Concurrency.Round[]> cycles) {
        List<Double> left = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            Cores brokerRun = rounds.get(i)[0];
            double brokerRate = cycles.get(i)[0].cyclesPerSecond();
            double floorRate = cycles.get(i)[1].cyclesPerSecond();
            double targetRate = CONCURRENCY_LIMIT * floorRate;
            // The load driver's CPU per cycle as in the broker's run; the backend server's as in whichever
            // run it was lower: the bound leans the broker's way.
            double backendPerCycle = Math.min(brokerRun.backend() / brokerRate, rounds.get(i)[1].backend() / floorRate);
            double othersPerCycle = backendPerCycle + (brokerRun.benchmark() + brokerRun.other()) / brokerRate;
            left.add(Math.max(0, cpus - othersPerCycle * targetRate) * 1000 / targetRate);
        }
        return Spread.of(left).median();
    }

    private void scaleSection(StringBuilder md) {
        md.append("## 3. Scale: a state store with ").append(String.format(Locale.ROOT, "%,d", profile.scaleInstances()))
                .append(" instances and ")
                .append(String.format(Locale.ROOT, "%,d", (long) profile.scaleInstances() * profile.scaleBindingsPerInstance()))
                .append(" bindings\n\n");
        md.append(scaleSideBySide
                ? "Two MySQL brokers side by side, one on an empty store and one on a store filled by INSERT ... SELECT "
                        + "(before it started), running at once and taking turns round by round, the order alternating: a "
                        + "drift of the machine during the section falls on both alike. "
                : "Smoke run: one broker per store, the MariaDB store filled under it, and the H2 empty store measured "
                        + "on the broker of the earlier sections. ")
                .append("On each, ").append(profile.rounds()).append(" rounds of ").append(profile.scaleCycles())
                .append(" sequential cycles and ").append(profile.lastOperationProbes()).append(" last_operation polls "
                        + "(the first round after ").append(profile.scaleWarmupCycles()).append(" warm-up cycles). "
                        + "Ratio = filled median / empty median, round by round. The storage-quota check is off in "
                        + "these runs (`servicepack.mysql.quota-check-interval=0`): it is a background pass over every "
                        + "instance, not a request-path cost. Target: at most ").append(SCALE_LIMIT).append("x.\n\n");
        md.append(String.join("\n", fills)).append("\n\n");
        md.append("| State store | Operation | Empty median ms | Filled median ms | Ratio | Empty p95 ms | Filled p95 ms |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        scale.forEach((store, states) -> {
            List<Map<String, Stats>> empty = states.get("empty");
            List<Map<String, Stats>> filled = states.get("filled");
            if (empty == null || filled == null) {
                return;
            }
            for (String op : empty.get(0).keySet()) {
                md.append("| ").append(store).append(" | ").append(op).append(" | ")
                        .append(f2(spread(empty, s -> s.get(op).p50Ms()).median())).append(" | ")
                        .append(f2(spread(filled, s -> s.get(op).p50Ms()).median())).append(" | ")
                        .append(scaleRatio(store, op).ratio()).append(" | ")
                        .append(f2(spread(empty, s -> s.get(op).p95Ms()).median())).append(" | ")
                        .append(f2(spread(filled, s -> s.get(op).p95Ms()).median())).append(" |\n");
            }
        });
        md.append('\n');
    }

    private void throughputSection(StringBuilder md) {
        md.append("## 4. Polling: catalog and last_operation throughput\n\n");
        md.append("Closed loop, ").append(profile.concurrency()).append(" connections. Each server is warmed up once "
                + "per endpoint (").append(profile.warmup().toMillis()).append(" ms, discarded), then every round "
                + "measures each server for ").append(profile.measure().toMillis()).append(" ms per endpoint, one "
                + "server after the other. Ratio: the broker's requests/s over the faster bare SCOSB's of the same "
                + "round. Targets: last_operation at least ").append(LAST_OPERATION_LIMIT).append("x, catalog at least ")
                .append(CATALOG_LIMIT).append("x. `").append(BenchmarkRun.TOMCAT_CEILING).append("` is the ceiling of "
                + "them all, measured in the same rounds: the embedded Tomcat every server here runs on, with the same "
                + "JVM flags and one servlet that writes bytes it holds ready (the broker's catalog answer, a succeeded "
                + "last_operation) and does nothing else, no Spring, no authentication, no lookup. No servlet "
                + "application answers faster on this machine under this load driver, so its ratio bounds what any "
                + "broker on Tomcat can reach.\n\n");
        md.append("| Server | Endpoint | Requests/s | p50 ms | p99 ms | Errors | Ratio to faster bare SCOSB |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        if (throughput.isEmpty()) {
            md.append("(not run)\n\n");
            return;
        }
        String[] endpoints = {"GET /v2/catalog", "GET .../last_operation"};
        for (int e = 0; e < 2; e++) {
            int endpoint = e;
            for (String server : throughput.get(0).keySet()) {
                md.append("| ").append(server).append(" | ").append(endpoints[e]).append(" | ")
                        .append(spread(throughput, r -> r.get(server)[endpoint].perSecond()).format("%.0f", ""))
                        .append(" | ").append(f2(spread(throughput, r -> r.get(server)[endpoint].p50Ms()).median()))
                        .append(" | ").append(f2(spread(throughput, r -> r.get(server)[endpoint].p99Ms()).median()))
                        .append(" | ").append(throughput.stream().mapToLong(r -> r.get(server)[endpoint].errors()).sum())
                        .append(" | ").append(isBare(server) ? "" : throughputRatio(server, e).ratio())
                        .append(" |\n");
            }
        }
        md.append("\nCatalog response sizes (bytes): ").append(catalogSizes).append(". The broker's catalog carries the "
                + "same services and plans; sizes differ by field order and the fields SCOSB leaves out.\n\n");
    }

    private void footprintSection(StringBuilder md) {
        md.append("## 5. Footprint and start\n\n");
        md.append("Start = process start to the first `GET /v2/catalog` answered 200; CPU = user + system time the "
                + "process had used by then (it moves little with the machine's load, unlike the start time). Idle "
                + "RSS = VmRSS from /proc/PID/status ").append(profile.settle().toMillis()).append(" ms after that "
                        + "first request. The bare SCOSB and the MySQL broker are started in turn, ")
                .append(profile.starts()).append(" times each; the other brokers once. Targets: the MySQL broker's "
                        + "idle RSS at most ").append((int) RSS_LIMIT_MB).append(" MB, its start at most ")
                .append(START_LIMIT).append("x the bare SCOSB's of the same round.\n\n");
        md.append("| Server | Starts | Start ms | CPU s to first request | Idle RSS MB | Threads when idle | RSS peak under "
                + "throughput load MB |\n|---|---:|---:|---:|---:|---:|---:|\n");
        starts.forEach((name, list) -> md.append("| ").append(name).append(" | ").append(list.size()).append(" | ")
                .append(spread(list, s -> (double) s.millis()).format("%.0f", "")).append(" | ")
                .append(spread(list, Start::cpuSeconds).format("%.1f", "")).append(" | ")
                .append(spread(list, Start::rssMb).format("%.1f", "")).append(" | ")
                .append(f0(spread(list, s -> (double) s.threads()).median())).append(" | ")
                .append(f1(peakRss.getOrDefault(name, Double.NaN))).append(" |\n"));
        if (starts.containsKey(BenchmarkRun.MYSQL_BROKER)) {
            md.append("\nmysql-broker over bare-scosb-mvc, round by round: start time ").append(startRatio().ratio())
                    .append(", CPU to first request ").append(startCpuRatio().ratio()).append(".\n");
        }
        md.append('\n');
    }

    private void methodSection(StringBuilder md) {
        md.append("## Method\n\n")
                .append("- Servers are separate JVM processes. The brokers run from their build output with basic auth "
                        + "on and their durable default H2 state store (`WRITE_DELAY=0`); the bare SCOSB 4.1.0 "
                        + "baseline from `benchmarks/.../BareScosbApplication` (the MySQL catalog file, no-op services, "
                        + "no auth, no state) on its class path, on Spring MVC/Tomcat")
                .append(profile.webfluxBaseline() ? " and, for throughput, on WebFlux/Netty" : "")
                .append(". Every server gets the same JVM flags and the same log level (`logging.level.root=WARN`: "
                        + "SCOSB's controllers would otherwise log each request at INFO); the bare SCOSB has no class "
                        + "data sharing archive (nothing builds one for it), the brokers use the one their build trains "
                        + "where it exists.\n")
                .append("- Redis: both plans on one broker: shared-vm (redis-server processes it starts) and dedicated-vm "
                        + "(two pool nodes the benchmark starts). MongoDB: the broker's test double, not mongod.\n")
                .append("- Percentiles are nearest-rank over a round's samples; a figure over rounds is the median of "
                        + "the rounds, with the lowest and highest in parentheses.\n");
        if (!warmups.isEmpty()) {
            md.append("- Warm-up before the operation rounds: sequential cycles, the profile's minimum first, then blocks "
                    + "of ").append(profile.warmupBlockCycles()).append(" until the server's C2 compiler thread used "
                    + "under 10% of a core over a block (at most ").append(profile.warmupLimit().toSeconds())
                    .append(" s of blocks), so that the rounds measure compiled code and not the JIT competing for the "
                            + "cores; before the polling rounds, likewise, windows of both polling requests after the "
                            + "throughput warm-up (\"(polling)\"): ").append(String.join("; ", warmups.values()))
                    .append(".\n");
        }
    }

    // ---- charts ----------------------------------------------------------------------------------

    /** Panels of median bars, one per broker: the broker's request next to its floor (backend + store + no-op). */
    String svg() {
        Map<String, Map<String, Stats>[]> all = new LinkedHashMap<>();
        operations.forEach((key, rounds) -> {
            // The round whose mean ratio is the median one stands for the broker.
            List<OperationsRound> sorted = new ArrayList<>(rounds);
            sorted.sort(java.util.Comparator.comparingDouble(r -> LIFECYCLE.stream().mapToDouble(r::ratio).sum()));
            OperationsRound r = sorted.get(sorted.size() / 2);
            @SuppressWarnings("unchecked")
            Map<String, Stats>[] figures = new Map[] {r.broker(), r.backend(), r.noOp(), r.store()};
            all.put(key, figures);
        });
        return Chart.operations(all, LIFECYCLE, machine == null ? "" : machine.cpus() + " CPUs, " + machine.cpuModel()
                + ", load at start " + machine.loadAtStart(), started.toString(), OPERATION_LIMIT);
    }

    String targetsSvg() {
        return Chart.targets(targets(), started.toString() + (machine == null ? "" : ", load at start "
                + machine.loadAtStart()));
    }

    private static String f0(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String f1(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String f2(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
