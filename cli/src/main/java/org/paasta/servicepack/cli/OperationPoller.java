package org.paasta.servicepack.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Polls a {@code last_operation} endpoint until the operation ends, honouring the broker's
 * {@code Retry-After}, within a deadline. A few transient failures in a row (a 5xx, a dropped
 * connection) are ridden out: a broker being restarted should not fail a ten-minute provision.
 */
final class OperationPoller {
    /** Used when the broker sends no (readable) Retry-After, unless $SERVICEPACK_CLI_POLL_INTERVAL says otherwise. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** A Retry-After of 0 must not become a busy loop. */
    static final Duration MINIMUM_INTERVAL = Duration.ofMillis(200);
    static final int TRANSIENT_FAILURES_TOLERATED = 3;
    private static final Duration TICK = Duration.ofMillis(250);

    /** How an operation ended. */
    sealed interface Outcome permits Succeeded, Failed, Gone, InProgress {
    }

    /** Only from {@link #check}: the broker is still at it, and asks to be polled again after {@code retryAfter}. */
    record InProgress(String description, Duration retryAfter) implements Outcome {
    }

    record Succeeded(String description) implements Outcome {
    }

    record Failed(String description) implements Outcome {
    }

    /** 410 Gone: for a delete or unbind, the spec's "done, forget it". */
    record Gone() implements Outcome {
    }

    /**
     * One operation to wait for.
     *
     * @param path          the last_operation path
     * @param operation     the broker's operation id from the 202, or null
     * @param deleting      a delete or unbind, where 404 as well as 410 means the resource is gone
     * @param resumeHint    what the user can run to look again after a timeout
     */
    record Watch(String action, String path, String serviceId, String planId, String operation, boolean deleting,
                 String resumeHint) {
    }

    private final Clock clock;
    private final Duration defaultInterval;

    OperationPoller(Clock clock, Duration defaultInterval) {
        this.clock = clock;
        this.defaultInterval = defaultInterval;
    }

    /**
     * Polls until the operation ends or {@code deadline} passes (then a timeout failure, exit 5).
     * Never returns {@link InProgress}. The progress line is ended either way, so an error message
     * never lands on the end of it.
     */
    Outcome await(OsbClient client, Watch watch, Instant deadline, ProgressLine progress) {
        Outcome outcome;
        try {
            outcome = poll(client, watch, deadline, progress);
        } catch (CliFailure failure) {
            progress.end(failure.exitCode() == ExitCode.TIMEOUT ? "still in progress; stopped waiting" : "stopped");
            throw failure;
        }
        progress.end(outcome instanceof Failed ? "failed" : "done");
        return outcome;
    }

    private Outcome poll(OsbClient client, Watch watch, Instant deadline, ProgressLine progress) {
        int failuresInARow = 0;
        while (true) {
            Duration wait = defaultInterval;
            try {
                Outcome outcome = check(client, watch);
                failuresInARow = 0;
                if (!(outcome instanceof InProgress inProgress)) {
                    return outcome;
                }
                progress.update("in progress" + (inProgress.description() == null ? "" : ": " + inProgress.description()));
                wait = inProgress.retryAfter();
            } catch (CliFailure failure) {
                failuresInARow++;
                if (!failure.transientFailure() || failuresInARow > TRANSIENT_FAILURES_TOLERATED) {
                    throw failure;
                }
                progress.update("retrying after: " + failure.getMessage());
            }
            sleepUntil(clock.instant().plus(wait.compareTo(MINIMUM_INTERVAL) < 0 ? MINIMUM_INTERVAL : wait),
                    deadline, watch, progress);
        }
    }

    /** One poll. A 4xx other than "gone" is a failure (exit 2); so is a 5xx (exit 3). */
    Outcome check(OsbClient client, Watch watch) {
        Map<String, String> query = new LinkedHashMap<>(OsbClient.query(
                "service_id", watch.serviceId(), "plan_id", watch.planId(), "operation", watch.operation()));
        OsbResponse response = client.get(watch.action() + " (last_operation)", watch.path(), query);
        if (response.is(410) || (watch.deleting() && response.is(404))) {
            return new Gone();
        }
        if (!response.successful()) {
            throw response.failure();
        }
        String state = response.object().path("state").asText("");
        String description = response.field("description");
        return switch (state) {
            case "succeeded" -> new Succeeded(description);
            case "failed" -> new Failed(description);
            case "in progress" -> new InProgress(description,
                    RetryAfter.parse(response.retryAfter(), clock.instant()).orElse(defaultInterval));
            default -> throw CliFailure.failed("broker '" + client.name() + "' answered last_operation with state '"
                    + OsbResponse.oneLine(state) + "', which is not one of in progress, succeeded, failed");
        };
    }

    private void sleepUntil(Instant wakeUp, Instant deadline, Watch watch, ProgressLine progress) {
        while (true) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw CliFailure.timedOut("gave up waiting for " + watch.action() + " at the deadline; the operation may"
                        + " still finish. Look again with: " + watch.resumeHint());
            }
            if (!now.isBefore(wakeUp)) {
                return;
            }
            Duration left = Duration.between(now, wakeUp.isBefore(deadline) ? wakeUp : deadline);
            try {
                Thread.sleep(Math.max(1, Math.min(TICK.toMillis(), left.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliFailure.timedOut("interrupted while waiting for " + watch.action());
            }
            progress.tick();
        }
    }
}
