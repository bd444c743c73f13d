package org.paasta.servicepack.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a command is waiting for, on stderr so that stdout stays clean for output a script reads
 * ({@code bind} prints JSON). On a terminal it is one line redrawn in place with {@code \r} and a
 * spinner; otherwise (a CI log, a pipe) a plain line is printed each time the broker's state or
 * description changes.
 */
final class ProgressLine {
    private static final String SPINNER = "|/-\\";

    private final PrintStream stream;
    private final boolean interactive;
    private final String label;
    private final Clock clock;
    private final Instant start;
    private final int width;
    private String status = "starting";
    private String printed;
    private int drawn;
    private int frame;

    ProgressLine(PrintStream stream, boolean interactive, String label, Clock clock, int width) {
        this.stream = stream;
        this.interactive = interactive;
        this.label = label;
        this.clock = clock;
        this.start = clock.instant();
        this.width = Math.max(40, width);
    }

    /** A new state from the broker. */
    void update(String newStatus) {
        status = OsbResponse.oneLine(newStatus);
        if (interactive) {
            draw();
        } else if (!status.equals(printed)) {
            printed = status;
            stream.println(label + ": " + status + " (" + elapsed() + ")");
            stream.flush();
        }
    }

    /** Time passes: on a terminal the spinner turns and the elapsed time counts. */
    void tick() {
        if (interactive) {
            draw();
        }
    }

    /** Ends the line (a terminal's cursor moves past it). */
    void end(String finalStatus) {
        status = OsbResponse.oneLine(finalStatus);
        if (interactive) {
            draw();
            stream.println();
        } else {
            stream.println(label + ": " + status + " (" + elapsed() + ")");
        }
        stream.flush();
    }

    private void draw() {
        String line = SPINNER.charAt(frame++ % SPINNER.length()) + " " + label + ": " + status + " (" + elapsed() + ")";
        if (line.length() > width - 1) {
            line = line.substring(0, width - 4) + "...";
        }
        // Pad over what the previous, possibly longer, line left on screen.
        String padding = " ".repeat(Math.max(0, drawn - line.length()));
        stream.print("\r" + line + padding);
        stream.flush();
        drawn = line.length();
    }

    private String elapsed() {
        return Durations.format(Duration.ofSeconds(Duration.between(start, clock.instant()).toSeconds()));
    }
}
