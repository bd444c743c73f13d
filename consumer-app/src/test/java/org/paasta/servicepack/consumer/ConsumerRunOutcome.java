package org.paasta.servicepack.consumer;

import java.util.LinkedHashMap;
import java.util.Map;

/** One run of the consumer app: its exit code and its {@code RESULT} lines by service kind. */
record ConsumerRunOutcome(int exitCode, Map<String, Line> results, String stdout, String stderr) {

    record Line(String kind, String names, boolean ok, String detail) {
    }

    static ConsumerRunOutcome parse(ChildProcess.Outcome outcome) {
        Map<String, Line> results = new LinkedHashMap<>();
        for (String line : outcome.stdout().split("\n")) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            String[] parts = line.substring("RESULT ".length()).split(" ", 4);
            results.put(parts[0], new Line(parts[0], parts[1], parts[2].equals("OK"), parts.length > 3 ? parts[3] : ""));
        }
        return new ConsumerRunOutcome(outcome.exitCode(), results, outcome.stdout(), outcome.stderr());
    }

    /** For assertion messages: everything the app printed (its output is masked by the app itself). */
    String transcript() {
        return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + tail(stderr);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }
}
