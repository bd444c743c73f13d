package org.paasta.servicepack.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the figures of one run and renders them as the markdown page docs/benchmarks.md. */
final class Report {
    private static final String BROKER = "mysql-broker";
    private static final List<String> LIFECYCLE = List.of(BenchmarkRun.OPS_PROVISION, BenchmarkRun.OPS_BIND,
            BenchmarkRun.OPS_UNBIND, BenchmarkRun.OPS_DEPROVISION);

    static final String SVG_FILE = "benchmarks-operations.svg";
    static final String MYSQL = "MySQL";
    static final String REDIS = "Redis (shared-vm)";
    static final String RABBITMQ = "RabbitMQ";
    static final String MONGODB = "MongoDB (test double)";

    /** What each broker section says: heading, the floor's column name, and how its floor is made. */
    private record Section(String heading, String backendColumn, String floorText, String note) {
    }

    private static final Map<String, Section> SECTIONS = Map.of(
            REDIS, new Section("## 2b. Redis broker (shared-vm plan) operations against their floor",
                    "Redis floor",
                    "Floor = what the broker's ServerProcesses and BindingUsers do, with nothing around it: for "
                            + "provision the raw time to write the instance's redis.conf and users.acl (same "
                            + "settings), start `setsid redis-server redis.conf` and see it answer PING to the admin "
                            + "user (polled every 1 ms); for bind ACL SETUSER + CONFIG GET aclfile + ACL SAVE; for "
                            + "unbind ACL GETUSER, ACL SETUSER off, CLIENT KILL USER, ACL DELUSER, CONFIG GET aclfile, "
                            + "ACL SAVE; for deprovision INFO server, SHUTDOWN NOSAVE, wait for the process to exit, "
                            + "remove the directory. Bind, unbind and deprovision run over the one warm admin "
                            + "connection that saw the PING (plain RESP over a socket).",
                    "The broker opens a new Jedis connection (connect, AUTH, CLIENT SETNAME) for each of these "
                            + "steps and waits for a starting redis-server by polling from every 1 ms backing off to "
                            + "every 20 ms (ServerProcesses); the floor polls every 1 ms over one connection. The dedicated-vm plan (a pool of "
                            + "pre-provisioned nodes) is not measured."),
            RABBITMQ, new Section("## 2c. RabbitMQ broker operations against their floor", "Management API floor",
                    "Floor = the management HTTP API calls the broker's RabbitmqBackend makes, over one warm "
                            + "keep-alive connection: provision PUT vhost, PUT operator policy, PUT two vhost limits; "
                            + "bind GET vhost, PUT user, PUT permissions (the listeners from GET overview are cached "
                            + "by the broker for a minute); unbind DELETE user and one GET of the user's connections; deprovision GET "
                            + "the vhost's permissions, DELETE vhost.",
                    "Unbind in the broker does not stop at one look at the user's connections: it polls every "
                            + "250 ms until the list has stayed empty for `servicepack.rabbitmq.connection-settle` "
                            + "(1 s by default), because the management plugin's view of connections can trail the "
                            + "node's. That deliberate wait is not backend work, so it is not in the floor, and it "
                            + "alone puts unbind far above 1.3x."),
            MONGODB, new Section("## 2d. MongoDB broker operations against their floor (against the in-JVM test "
                    + "double, not mongod)", "Test-double floor",
                    "**These figures are measured against the MongoDB broker's test double, not mongod**: no mongod "
                            + "can be installed on this machine, so the broker talks to mongo-java-server's in-memory "
                            + "storage behind the broker tests' AuthorizingBackend (SCRAM-SHA-256, createUser, "
                            + "dropUser, usersInfo, per-database roles), run as a separate JVM process on 127.0.0.1. "
                            + "A real mongod's costs (journal, WiredTiger, user cache invalidation) are different. "
                            + "Floor = the commands the broker's MongodbBackend sends, over one warm driver connection "
                            + "(pool size 1) to the same server: provision an upsert of the instance record; bind "
                            + "createUser (readWrite); unbind dropUser and killAllSessionsByPattern (the double answers "
                            + "CommandNotFound, which the broker tolerates too); deprovision usersInfo and "
                            + "dropDatabase.",
                    "The broker holds one MongoClient for all operations (its pool is warm after the warm-up cycles)."));

    private final Profile profile;
    private final String command;
    private final Map<String, String> backends = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Map<String, Stats>[]> brokerLifecycles = new LinkedHashMap<>();
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Machine machine;
    private final Map<String, Footprint> footprints = new LinkedHashMap<>();
    private final Map<String, Integer> catalogSizes = new LinkedHashMap<>();
    private final Map<String, Stats[]> throughput = new LinkedHashMap<>();
    private Map<String, Stats> lifecycleBroker;
    private Map<String, Stats> lifecycleFloor;
    private Map<String, Stats> lifecycleBare;
    private Map<String, Stats> lifecycleInMemory;
    private Map<String, Stats> lifecycleStore;
    private final List<String> bursts = new ArrayList<>();
    private final List<String> fills = new ArrayList<>();
    private final Map<String, Map<String, Map<String, Stats>>> scale = new LinkedHashMap<>();

    private static final class Footprint {
        long startupMillis;
        double idleRss = Double.NaN;
        double throughputPeak = Double.NaN;
        double burstPeak = Double.NaN;
        double afterLoadRss = Double.NaN;
    }

    Report(Profile profile, String command) {
        this.profile = profile;
        this.command = command;
    }

    void machine(Machine machine) {
        this.machine = machine;
    }

    void footprintStartup(ServerProcess server, double idleRss) {
        Footprint footprint = footprints.computeIfAbsent(server.name, n -> new Footprint());
        footprint.startupMillis = server.startupMillis;
        footprint.idleRss = idleRss;
    }

    void footprintPeak(ServerProcess server, String phase, double rss) {
        Footprint footprint = footprints.computeIfAbsent(server.name, n -> new Footprint());
        if (phase.equals("burst")) {
            footprint.burstPeak = rss;
        } else {
            footprint.throughputPeak = rss;
        }
    }

    void footprintAfterLoad(ServerProcess server, double rss) {
        footprints.computeIfAbsent(server.name, n -> new Footprint()).afterLoadRss = rss;
    }

    void catalogSize(String server, int bytes) {
        catalogSizes.put(server, bytes);
    }

    void throughput(String server, Stats catalog, Stats lastOperation) {
        throughput.put(server, new Stats[] {catalog, lastOperation});
    }

    void lifecycle(Map<String, Stats> broker, Map<String, Stats> floor, Map<String, Stats> bare,
            Map<String, Stats> store, Map<String, Stats> inMemoryStore) {
        this.lifecycleBroker = broker;
        this.lifecycleFloor = floor;
        this.lifecycleBare = bare;
        this.lifecycleStore = store;
        this.lifecycleInMemory = inMemoryStore;
    }


    void note(String text) {
        notes.add(text);
    }

    void backend(String name, String version) {
        backends.put(name, version);
    }

    /** Item 2 for a broker other than MySQL: its operations, its backend floor, the no-op handler. */
    @SuppressWarnings("unchecked")
    void brokerLifecycle(String key, Map<String, Stats> broker, Map<String, Stats> floor, Map<String, Stats> noOp) {
        brokerLifecycles.put(key, new Map[] {broker, floor, noOp});
    }

    void burst(String server, int count, int concurrency, long createNanos, long removeNanos, List<String> failures,
            BenchmarkRun.Verification verified) {
        double createSeconds = createNanos / 1e9;
        double removeSeconds = removeNanos / 1e9;
        boolean complete = failures.isEmpty() && verified.databases() == count && verified.distinctUsernames() == count
                && verified.accountsOnServer() == count;
        bursts.add("| " + server + " | " + count + " | " + concurrency + " | " + failures.size() + " | "
                + verified.databases() + " | " + verified.distinctUsernames() + " / " + verified.accountsOnServer()
                + " | " + f2(createSeconds) + " | " + f1(2 * count / createSeconds) + " | " + f2(removeSeconds) + " | "
                + (complete ? "all succeeded, none duplicated" : "**FAILED**") + " |");
    }

    void fill(String store, long nanos, long instances, long bindings, long operations) {
        fills.add(String.format(Locale.ROOT, "- %s: %,d instances, %,d bindings, %,d operations in the store after the "
                + "fill (%.1f s to insert)", store, instances, bindings, operations, nanos / 1e9));
    }

    void scale(String store, String state, Map<String, Stats> stats) {
        scale.computeIfAbsent(store, s -> new LinkedHashMap<>()).put(state, stats);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `").append(command).append("` (profile `").append(profile.name()).append("`), ")
                .append(started).append(". Everything below ran in that one run on 127.0.0.1; compare the **ratios**, "
                        + "which set each figure against a baseline measured minutes apart on the same machine. The "
                        + "absolute times only describe this machine.\n\n");
        md.append("Reproduce: `scripts/benchmark.sh` (about 15 minutes plus the build; needs MariaDB as "
                + "`scripts/ensure-mariadb.sh` sets it up, redis-server and RabbitMQ with its management plugin as "
                + "`brokers/redis/ci-setup.sh` and `brokers/rabbitmq/ci-setup.sh` do; the script runs all three). "
                + "CI runs `BenchmarkSmokeTest`, the same scenarios with tiny counts, and asserts nothing about "
                + "speed.\n\n");
        notes.forEach(note -> md.append("**").append(note).append("**\n\n"));
        md.append("## Machine\n\n| | |\n|---|---|\n")
                .append("| CPUs (nproc) | ").append(machine.cpus()).append(" |\n")
                .append("| CPU model | ").append(machine.cpuModel()).append(" |\n")
                .append("| Memory | ").append(machine.memoryMb()).append(" MB |\n")
                .append("| JDK | ").append(machine.jdk()).append(" |\n")
                .append("| OS | ").append(machine.os()).append(" |\n")
                .append("| MySQL server (backend and MariaDB state store) | ").append(machine.database()).append(" |\n")
                .append(backendRows())
                .append("| Load average 1/5/15 min at start / at end | ").append(machine.loadAtStart()).append(" / ")
                .append(Machine.loadAverage()).append(" |\n")
                .append("| Server JVM flags (every server alike, as the README recommends) | `")
                .append(String.join(" ", ServerProcess.RECOMMENDED_JVM)).append("` |\n\n");
        md.append("The machine is shared: other builds may run at the same time (see the load average), which "
                + "inflates absolute times and, less so, the ratios. The load driver runs in its own JVM on the same "
                + "cores, over plain keep-alive HTTP/1.1 sockets.\n\n");
        targetsSection(md);
        throughputSection(md);
        lifecycleSection(md);
        brokerLifecycleSections(md);
        md.append("## 3. Burst: provisions and binds at once against one broker\n\n");
        md.append("Each of ").append(profile.burstConcurrency()).append(" client threads provisions an instance and "
                + "binds it, until ").append(profile.burstOperations()).append(" pairs are done. Then the MySQL server is "
                + "asked how many of the databases and accounts exist: exactly one each means nothing was lost or "
                + "duplicated.\n\n");
        md.append("| Broker | Provision + bind pairs | Concurrency | Failed requests | Databases on the server | "
                + "Distinct binding accounts (credentials / on the server) | Provision + bind: total s | "
                + "Operations/s (2 per pair) | Unbind + deprovision: total s | Verdict |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        md.append(bursts.isEmpty() ? "(not run)\n" : String.join("\n", bursts) + "\n").append('\n');
        scaleSection(md);
        footprintSection(md);
        md.append("## Method\n\n")
                .append("- Servers are separate JVM processes started from their jars; the MySQL broker from "
                        + "`brokers/mysql/target/mysql-broker.jar` with basic auth on and its durable H2 state store "
                        + "(the default, `WRITE_DELAY=0`), the bare SCOSB 4.1.0 baseline from "
                        + "`benchmarks/.../BareScosbApplication` (same catalog file, no-op services, no auth, no state), "
                        + "once on Spring MVC/Tomcat and once on WebFlux/Netty.\n")
                .append("- Throughput: closed loop, ").append(profile.concurrency()).append(" connections, ")
                .append(profile.warmup().toMillis()).append(" ms warm-up discarded, ").append(profile.measure().toMillis())
                .append(" ms measured, per server and endpoint.\n")
                .append("- Operations: one client, sequential cycles (").append(profile.warmupCycles())
                .append(" warm-up, ").append(profile.cycles()).append(" measured); provision and deprovision without "
                        + "`accepts_incomplete`, so each is one synchronous request. The SQL floor sends the statements "
                        + "MysqlBackend sends (GET_LOCK, account and session listing, DDL) over one warm admin "
                        + "connection.\n")
                .append("- Redis, RabbitMQ and MongoDB brokers: each from `brokers/NAME/target/NAME-broker.jar`, the "
                        + "same JVM flags, basic auth on, its durable default H2 store, started one after another "
                        + "after the MySQL runs (the MySQL broker and the WebFlux baseline stopped by then). Their "
                        + "plans: Redis `shared-vm`, RabbitMQ `standard`, MongoDB `default-plan`. Each floor is "
                        + "described in its section.\n")
                .append("- Percentiles are nearest-rank over all measured samples.\n");
        return md.toString();
    }

    /** The targets against this run's figures, each as the ratio it is judged by. */
    private void targetsSection(StringBuilder md) {
        md.append("## Targets at a glance\n\n| # | Target | This run | Verdict |\n|---|---|---|---|\n");
        for (int e = 0; e < 2 && throughput.containsKey(BROKER); e++) {
            double fasterBare = 0;
            for (Map.Entry<String, Stats[]> entry : throughput.entrySet()) {
                if (!entry.getKey().equals(BROKER)) {
                    fasterBare = Math.max(fasterBare, entry.getValue()[e].perSecond());
                }
            }
            double ratio = throughput.get(BROKER)[e].perSecond() / fasterBare;
            md.append("| 1 | ").append(e == 0 ? "catalog" : "last_operation")
                    .append(" requests/s at least the faster bare SCOSB's | ").append(f2(ratio)).append("x | ")
                    .append(verdict(ratio >= 1.0)).append(" |\n");
        }
        if (lifecycleBroker != null) {
            for (String op : LIFECYCLE) {
                double floor = lifecycleFloor.get(op).p50Ms() + lifecycleBare.get(op).p50Ms();
                double ratio = lifecycleBroker.get(op).p50Ms() / floor;
                md.append("| 2 | ").append(op).append(" median within 1.3x of SQL floor + no-op SCOSB | ")
                        .append(f2(ratio)).append("x | ").append(verdict(ratio <= 1.3)).append(" |\n");
            }
        }
        brokerLifecycles.forEach((key, figures) -> {
            for (String op : LIFECYCLE) {
                double ratio = figures[0].get(op).p50Ms() / (figures[1].get(op).p50Ms() + figures[2].get(op).p50Ms());
                md.append("| 2 | ").append(key).append(": ").append(op)
                        .append(" median within 1.3x of backend floor + no-op SCOSB | ").append(f2(ratio))
                        .append("x | ").append(verdict(ratio <= 1.3)).append(" |\n");
            }
        });
        md.append("| 3 | burst: all succeed, none duplicated | ").append(bursts.size()).append(" burst(s) | ")
                .append(verdict(!bursts.isEmpty() && bursts.stream().allMatch(b -> b.contains("none duplicated"))))
                .append(" |\n");
        scale.forEach((store, states) -> {
            if (states.containsKey("empty") && states.containsKey("filled")) {
                double worst = 0;
                String worstOp = "";
                for (String op : states.get("empty").keySet()) {
                    double ratio = states.get("filled").get(op).p50Ms() / states.get("empty").get(op).p50Ms();
                    if (ratio > worst) {
                        worst = ratio;
                        worstOp = op;
                    }
                }
                md.append("| 4 | ").append(store).append(": filled-store median at most 1.2x the empty store's | worst: ")
                        .append(worstOp).append(" ").append(f2(worst)).append("x | ").append(verdict(worst <= 1.2))
                        .append(" |\n");
            }
        });
        footprints.forEach((name, f) -> {
            if (name.startsWith(BROKER)) {
                md.append("| 5 | ").append(name).append(": idle RSS under 200 MB | ").append(f1(f.idleRss))
                        .append(" MB | ").append(verdict(f.idleRss < 200)).append(" |\n");
            }
        });
        md.append('\n');
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private void throughputSection(StringBuilder md) {
        md.append("## 1. Catalog and last_operation throughput\n\n");
        md.append("Concurrency ").append(profile.concurrency()).append(". Ratio: the broker's requests/s divided by "
                + "the faster bare SCOSB variant's on the same endpoint (target: at least 1.0).\n\n");
        md.append("| Server | Endpoint | Requests/s | p50 ms | p99 ms | Errors | Ratio to faster bare SCOSB |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        String[] endpoints = {"GET /v2/catalog", "GET .../last_operation"};
        for (int e = 0; e < 2; e++) {
            double fasterBare = 0;
            for (Map.Entry<String, Stats[]> entry : throughput.entrySet()) {
                if (!entry.getKey().equals(BROKER)) {
                    fasterBare = Math.max(fasterBare, entry.getValue()[e].perSecond());
                }
            }
            for (Map.Entry<String, Stats[]> entry : throughput.entrySet()) {
                Stats s = entry.getValue()[e];
                md.append("| ").append(entry.getKey()).append(" | ").append(endpoints[e]).append(" | ")
                        .append(f0(s.perSecond())).append(" | ").append(f2(s.p50Ms())).append(" | ")
                        .append(f2(s.p99Ms())).append(" | ").append(s.errors()).append(" | ")
                        .append(f2(s.perSecond() / fasterBare)).append(" |\n");
            }
        }
        md.append("\nCatalog response sizes (bytes): ").append(catalogSizes).append(". The broker's catalog carries the "
                + "same services and plans; sizes differ by field order and the fields SCOSB leaves out.\n\n");
    }

    private void lifecycleSection(StringBuilder md) {
        md.append("## 2. MySQL broker operations against their floor\n\n");
        md.append("Floor = the same SQL statements over one warm admin connection + the same request through a no-op "
                + "bare SCOSB (Spring MVC) handler. Ratio = broker median / floor median (target: at most 1.3).\n\n");
        md.append("| Operation | Broker median ms | Broker p95 ms | SQL median ms | SQL p95 ms | Bare SCOSB no-op "
                + "median ms | Floor (SQL + no-op) median ms | Ratio | State-store floor median ms | Ratio to floor "
                + "+ state-store floor | Broker, in-memory store: median ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        if (lifecycleBroker == null) {
            md.append("(not run)\n\n");
            return;
        }
        for (String op : lifecycleBroker.keySet()) {
            Stats broker = lifecycleBroker.get(op);
            Stats sql = lifecycleFloor.get(op);
            Stats bare = lifecycleBare.get(op);
            Stats store = lifecycleStore == null ? null : lifecycleStore.get(op);
            Stats inMemory = lifecycleInMemory == null ? null : lifecycleInMemory.get(op);
            double floor = (sql == null ? 0 : sql.p50Ms()) + bare.p50Ms();
            md.append("| ").append(op).append(" | ").append(f2(broker.p50Ms())).append(" | ").append(f2(broker.p95Ms()))
                    .append(" | ").append(sql == null ? "none" : f2(sql.p50Ms())).append(" | ")
                    .append(sql == null ? "none" : f2(sql.p95Ms())).append(" | ").append(f2(bare.p50Ms())).append(" | ")
                    .append(f2(floor)).append(" | ").append(f2(broker.p50Ms() / floor)).append(" | ")
                    .append(store == null ? "none" : f2(store.p50Ms())).append(" | ")
                    .append(store == null ? "-" : f2(broker.p50Ms() / (floor + store.p50Ms()))).append(" | ")
                    .append(inMemory == null ? "-" : f2(inMemory.p50Ms())).append(" |\n");
        }
        md.append("\nlast_operation has no backend work: its floor is the no-op handler alone (5 polls per cycle). "
                + "State-store floor = the rows the SDK must write per operation, in its two transactions (the "
                + "intent, committed before the backend is touched so that a crash leaves a record to resume or "
                + "clean up, and the outcome after it), issued directly over one warm JDBC connection to an H2 "
                + "file with the SDK's default settings (`WRITE_DELAY=0`: every commit is written before the "
                + "answer). It is the durability a crash-safe broker cannot skip; the 1.3x target leaves no room "
                + "for it where the backend's own work is a fraction of a millisecond. The last column is a "
                + "diagnostic, not a setting to run: the same broker with its state store in memory "
                + "(`jdbc:h2:mem:`), warmed like the measured broker (catalog and last_operation load for the "
                + "throughput warm-up time, then the warm-up cycles). It is a second JVM measured minutes later, "
                + "and on two shared cores that alone moves a median by more than the commits cost: across runs "
                + "this column has come out above the durable broker as often as below it. Read it as a rough second "
                + "opinion, not as the commits' cost; the state-store floor is that.\n\n");
    }

    private String backendRows() {
        StringBuilder rows = new StringBuilder();
        backends.forEach((name, version) -> rows.append("| ").append(name).append(" backend | ").append(version)
                .append(" |\n"));
        return rows.toString();
    }

    private void brokerLifecycleSections(StringBuilder md) {
        for (String key : List.of(REDIS, RABBITMQ, MONGODB)) {
            Section section = SECTIONS.get(key);
            md.append(section.heading()).append("\n\n").append(section.floorText())
                    .append(" No-op = the same requests through the bare SCOSB (Spring MVC) no-op handler, with "
                            + "catalog/mysql.yml's ids (its cost does not depend on the catalog), measured right "
                            + "after this broker. Ratio = broker median / (floor median + no-op median), target at "
                            + "most 1.3. Before its cycles the broker serves catalog and last_operation requests "
                            + "under load for the throughput warm-up time (as warm a JIT as the MySQL broker's after "
                            + "section 1). Cycles: ")
                    .append(profile.otherWarmupCycles()).append(" warm-up, ").append(profile.otherCycles())
                    .append(" measured, sequential, one client; provision and deprovision without "
                            + "`accepts_incomplete`.\n\n");
            md.append("| Operation | Broker median ms | Broker p95 ms | ").append(section.backendColumn())
                    .append(" median ms | ").append(section.backendColumn()).append(" p95 ms | Bare SCOSB no-op "
                            + "median ms | Floor (backend + no-op) median ms | Ratio |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
            Map<String, Stats>[] figures = brokerLifecycles.get(key);
            if (figures == null) {
                md.append("(not run)\n\n");
                continue;
            }
            for (String op : figures[0].keySet()) {
                Stats broker = figures[0].get(op);
                Stats floor = figures[1].get(op);
                Stats bare = figures[2].get(op);
                double sum = (floor == null ? 0 : floor.p50Ms()) + bare.p50Ms();
                md.append("| ").append(op).append(" | ").append(f2(broker.p50Ms())).append(" | ")
                        .append(f2(broker.p95Ms())).append(" | ").append(floor == null ? "none" : f2(floor.p50Ms()))
                        .append(" | ").append(floor == null ? "none" : f2(floor.p95Ms())).append(" | ")
                        .append(f2(bare.p50Ms())).append(" | ").append(f2(sum)).append(" | ")
                        .append(f2(broker.p50Ms() / sum)).append(" |\n");
            }
            md.append("\n").append(section.note()).append(" last_operation has no backend work (5 polls per "
                    + "cycle).\n\n");
        }
        md.append("![Median per operation: broker against its floor](").append(SVG_FILE).append(")\n\n")
                .append("The chart (`").append(SVG_FILE).append("`, written by the same run) sets each broker's "
                        + "median against its floor, split into backend work and the no-op SCOSB request; each "
                        + "broker has its own scale, so compare bar heights within a panel and the ratios "
                        + "across panels.\n\n");
    }

    /** Panels of median bars, one per broker: the broker's request next to its floor (backend + no-op). */
    String svg() {
        Map<String, Map<String, Stats>[]> all = new LinkedHashMap<>();
        if (lifecycleBroker != null) {
            @SuppressWarnings("unchecked")
            Map<String, Stats>[] mysql = new Map[] {lifecycleBroker, lifecycleFloor, lifecycleBare};
            all.put(MYSQL, mysql);
        }
        all.putAll(brokerLifecycles);
        return Chart.operations(all, LIFECYCLE, machine == null ? "" : machine.cpus() + " CPUs, " + machine.cpuModel()
                + ", load at start " + machine.loadAtStart(), started.toString());
    }

    private void scaleSection(StringBuilder md) {
        md.append("## 4. Scale: a state store with ").append(String.format(Locale.ROOT, "%,d", profile.scaleInstances()))
                .append(" instances and ")
                .append(String.format(Locale.ROOT, "%,d", (long) profile.scaleInstances() * profile.scaleBindingsPerInstance()))
                .append(" bindings\n\n");
        md.append("The same broker jar, freshly started on an empty store and then on the same store filled by "
                + "INSERT ... SELECT (the broker stopped meanwhile). Sequential cycles (")
                .append(profile.scaleWarmupCycles()).append(" warm-up, ").append(profile.scaleCycles())
                .append(" measured) and ").append(profile.lastOperationProbes()).append(" last_operation polls. Ratio = "
                        + "filled median / empty median (target: at most 1.2). The MySQL broker's storage-quota check "
                        + "is switched off in these runs (`servicepack.mysql.quota-check-interval=0`), see the note "
                        + "below.\n\n");
        md.append(String.join("\n", fills)).append("\n\n");
        md.append("| State store | Operation | Empty median ms | Filled median ms | Ratio | Empty p95 ms | Filled p95 ms |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        scale.forEach((store, states) -> {
            Map<String, Stats> empty = states.get("empty");
            Map<String, Stats> filled = states.get("filled");
            if (empty == null || filled == null) {
                return;
            }
            for (String op : empty.keySet()) {
                Stats e = empty.get(op);
                Stats f = filled.get(op);
                md.append("| ").append(store).append(" | ").append(op).append(" | ").append(f2(e.p50Ms())).append(" | ")
                        .append(f2(f.p50Ms())).append(" | ").append(f2(f.p50Ms() / e.p50Ms())).append(" | ")
                        .append(f2(e.p95Ms())).append(" | ").append(f2(f.p95Ms())).append(" |\n");
            }
        });
        md.append("\nNote: the quota check (`StorageQuota`, every 60 s by default) visits every READY instance in the "
                + "store with three queries against information_schema; with a store this size one pass is "
                + String.format(Locale.ROOT, "%,d", 3L * profile.scaleInstances()) + " queries. It is a per-instance background cost that grows with the store, not a request-path cost, "
                + "and is measured nowhere here.\n\n");
    }

    private void footprintSection(StringBuilder md) {
        md.append("## 5. Footprint\n\n");
        md.append("Startup = process start to the first `GET /v2/catalog` answered 200. RSS = VmRSS from "
                + "/proc/PID/status: idle a moment after startup, peak while loaded, and idle again after all "
                + "load. Target: broker idle RSS under 200 MB.\n\n");
        md.append("| Server | Startup ms | RSS idle MB | RSS peak, throughput load MB | RSS peak, burst MB | RSS idle after load MB |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        footprints.forEach((name, f) -> md.append("| ").append(name).append(" | ").append(f.startupMillis).append(" | ")
                .append(f1(f.idleRss)).append(" | ").append(f1(f.throughputPeak)).append(" | ").append(f1(f.burstPeak))
                .append(" | ").append(f1(f.afterLoadRss)).append(" |\n"));
        md.append('\n');
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
