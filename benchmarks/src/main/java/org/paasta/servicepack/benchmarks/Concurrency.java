package org.paasta.servicepack.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many clients at once, each running provision, bind, unbind, deprovision cycles on ids of its
 * own: through a broker, or the same backend work with nothing around it. Every client thread
 * starts at one barrier; throughput is the cycles of all clients over the time from the barrier
 * to the last client's end.
 */
final class Concurrency {
    private static final Pattern USERNAME = Pattern.compile("\"username\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<String> OPS = List.of(BenchmarkRun.OPS_PROVISION, BenchmarkRun.OPS_BIND,
            BenchmarkRun.OPS_UNBIND, BenchmarkRun.OPS_DEPROVISION);

    /**
     * One round's outcome.
     *
     * @param usernames distinct binding usernames the broker answered with (-1 for a floor round)
     */
    record Round(int clients, int cycles, int errors, double seconds, Stats cycle, Map<String, Stats> operations,
            List<String> failures, int usernames) {
        double cyclesPerSecond() {
            return cycles / seconds;
        }
    }

    /** One client of a floor round: its own connection or a borrowed one per operation. */
    interface Client extends AutoCloseable {
        /** provision, bind, unbind, deprovision on fresh names; their durations in nanoseconds. */
        long[] cycle() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface ClientFactory {
        Client open() throws Exception;
    }

    private Concurrency() {
    }

    /** {@code clients} threads through the broker's HTTP API, each with its own keep-alive connection. */
    static Round viaBroker(ServerProcess broker, Osb.Plan plan, int clients, int cyclesPerClient) throws Exception {
        List<String> usernames = Collections.synchronizedList(new ArrayList<>());
        Round round = run(clients, cyclesPerClient, () -> {
            HttpConnection http = broker.connect();
            return new Client() {
                @Override
                public long[] cycle() {
                    String instanceId = Osb.newId();
                    String bindingId = Osb.newId();
                    long t0 = System.nanoTime();
                    expect("provision", Osb.provision(http, plan, instanceId), 201);
                    long t1 = System.nanoTime();
                    HttpConnection.Response bind = expect("bind", Osb.bind(http, plan, instanceId, bindingId), 201);
                    long t2 = System.nanoTime();
                    expect("unbind", Osb.unbind(http, plan, instanceId, bindingId), 200);
                    long t3 = System.nanoTime();
                    expect("deprovision", Osb.deprovision(http, plan, instanceId), 200);
                    long t4 = System.nanoTime();
                    Matcher username = USERNAME.matcher(bind.body());
                    if (username.find()) {
                        usernames.add(username.group(1));
                    }
                    return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
                }

                @Override
                public void close() {
                    http.close();
                }
            };
        });
        return new Round(round.clients(), round.cycles(), round.errors(), round.seconds(), round.cycle(),
                round.operations(), round.failures(), new HashSet<>(usernames).size());
    }

    private static HttpConnection.Response expect(String what, HttpConnection.Response response, int status) {
        if (response.status() != status) {
            String body = response.body();
            throw new IllegalStateException(what + " answered " + response.status() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
        }
        return response;
    }

    /** The backend work alone: {@code clients} threads, each with a client from {@code factory}. */
    static Round floor(int clients, int cyclesPerClient, ClientFactory factory) throws Exception {
        return run(clients, cyclesPerClient, factory);
    }

    private static Round run(int clients, int cyclesPerClient, ClientFactory factory) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        AtomicInteger errors = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Stats.Samples> samples = new LinkedHashMap<>();
        OPS.forEach(op -> samples.put(op, new Stats.Samples()));
        Stats.Samples cycles = new Stats.Samples();
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long[] ends = new long[clients];
        for (int c = 0; c < clients; c++) {
            int index = c;
            Thread thread = new Thread(() -> {
                try (Client client = factory.open()) {
                    start.await(5, TimeUnit.MINUTES);
                    for (int i = 0; i < cyclesPerClient; i++) {
                        try {
                            long[] nanos = client.cycle();
                            synchronized (samples) {
                                long total = 0;
                                for (int op = 0; op < OPS.size(); op++) {
                                    samples.get(OPS.get(op)).add(nanos[op]);
                                    total += nanos[op];
                                }
                                cycles.add(total);
                            }
                            done.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            if (failures.size() < 5) {
                                failures.add(String.valueOf(e.getMessage()));
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    failures.add("client: " + e);
                } finally {
                    ends[index] = System.nanoTime();
                }
            }, "concurrent-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        start.await(5, TimeUnit.MINUTES);
        long began = System.nanoTime();
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(10));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " still running after 10 minutes");
            }
        }
        long end = began;
        for (long e : ends) {
            end = Math.max(end, e);
        }
        Map<String, Stats> operations = new LinkedHashMap<>();
        samples.forEach((op, s) -> operations.put(op, s.stats(0, 0)));
        return new Round(clients, done.get(), errors.get(), (end - began) / 1e9, cycles.stats(0, 0), operations,
                List.copyOf(failures), -1);
    }
}
