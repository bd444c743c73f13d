package org.paasta.servicepack.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a broker's own timers say (Micrometer, read from its {@code /actuator/prometheus}): per OSB
 * operation, the seconds summed and the calls counted of {@code servicepack_operations_seconds}
 * (the SDK running an admitted operation: the backend call and the outcome's transaction) and of
 * {@code servicepack_backend_calls_seconds} (the backend call alone). Two readings around a round
 * give the round's means, so a broker's request time can be split into the HTTP request and the
 * admission, the SDK's bookkeeping around the backend, and the backend calls as the broker itself
 * timed them, next to the backend floor that sends the same commands on its own.
 */
record BrokerTimers(Map<String, double[]> sumAndCount) {
    static final String OPERATIONS = "servicepack_operations_seconds";
    static final String BACKEND_CALLS = "servicepack_backend_calls_seconds";
    private static final Pattern SAMPLE = Pattern.compile(
            "^(servicepack_(?:operations|backend_calls)_seconds)_(sum|count)\\{([^}]*)} (\\S+)$");
    private static final Pattern OPERATION = Pattern.compile("(?:^|,)operation=\"([^\"]*)\"");
    private static final Pattern OUTCOME = Pattern.compile("(?:^|,)outcome=\"([^\"]*)\"");

    /** Reads the broker's timers now; every series of one metric and operation that succeeded, summed. */
    static BrokerTimers read(ServerProcess broker) {
        String body;
        // Without the OSB headers: Accept: application/json would get 406 from the Prometheus endpoint.
        try (HttpConnection http = new HttpConnection(broker.port, broker.username, broker.password, false)) {
            HttpConnection.Response answer = http.get("/actuator/prometheus");
            if (answer.status() != 200) {
                throw new IllegalStateException(broker.name + " /actuator/prometheus answered " + answer.status());
            }
            body = answer.body();
        }
        Map<String, double[]> values = new HashMap<>();
        for (String line : body.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!sample.matches()) {
                continue;
            }
            Matcher operation = OPERATION.matcher(sample.group(3));
            Matcher outcome = OUTCOME.matcher(sample.group(3));
            if (!operation.find() || !outcome.find() || !outcome.group(1).equals(success(sample.group(1)))) {
                continue;
            }
            double[] value = values.computeIfAbsent(sample.group(1) + '|' + operation.group(1), k -> new double[2]);
            value[sample.group(2).equals("sum") ? 0 : 1] += Double.parseDouble(sample.group(4));
        }
        return new BrokerTimers(values);
    }

    /** The operations timer says "succeeded", the backend calls timer "success". */
    private static String success(String metric) {
        return metric.equals(OPERATIONS) ? "succeeded" : "success";
    }

    /**
     * The mean in milliseconds of what was recorded between {@code before} and now, NaN when
     * nothing was (a metric the broker does not have, or an operation it did not run).
     */
    double meanMsSince(BrokerTimers before, String metric, String operation) {
        String key = metric + '|' + operation;
        double[] now = sumAndCount.getOrDefault(key, new double[2]);
        double[] then = before.sumAndCount.getOrDefault(key, new double[2]);
        double calls = now[1] - then[1];
        return calls <= 0 ? Double.NaN : (now[0] - then[0]) / calls * 1000;
    }
}
