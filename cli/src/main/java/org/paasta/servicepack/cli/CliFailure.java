package org.paasta.servicepack.cli;

/**
 * A command that could not do what was asked. Its message is all the user sees (never a stack
 * trace), so it must say what happened and, where there is one, what to do next. The exit code is
 * chosen where the failure is understood, from {@link ExitCode}.
 */
final class CliFailure extends RuntimeException {
    private final ExitCode exitCode;
    private final boolean transientFailure;

    private CliFailure(ExitCode exitCode, String message, Throwable cause, boolean transientFailure) {
        // No stack trace: it is never shown, and building it is the slow part of an exception.
        super(message, cause, false, false);
        this.exitCode = exitCode;
        this.transientFailure = transientFailure;
    }

    private CliFailure(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, cause, exitCode == ExitCode.UNREACHABLE || exitCode == ExitCode.TIMEOUT);
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCode.USAGE, message, null);
    }

    static CliFailure refused(String message) {
        return new CliFailure(ExitCode.REFUSED, message, null);
    }

    static CliFailure failed(String message) {
        return new CliFailure(ExitCode.FAILED, message, null);
    }

    /** The broker failed in a way that may pass (HTTP 5xx): worth another poll. */
    static CliFailure failedForNow(String message) {
        return new CliFailure(ExitCode.FAILED, message, null, true);
    }

    static CliFailure unreachable(String message, Throwable cause) {
        return new CliFailure(ExitCode.UNREACHABLE, message, cause);
    }

    static CliFailure timedOut(String message) {
        return new CliFailure(ExitCode.TIMEOUT, message, null);
    }

    ExitCode exitCode() {
        return exitCode;
    }

    /** Could the same request succeed a moment later (the broker unreachable, slow or answering 5xx)? */
    boolean transientFailure() {
        return transientFailure;
    }

    /** The same failure with more said after its message. */
    CliFailure withDetail(String detail) {
        return new CliFailure(exitCode, getMessage() + detail, getCause(), transientFailure);
    }
}
