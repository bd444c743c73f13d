package org.paasta.servicepack.cli;

/**
 * What the process exit status tells a script. Listed in {@code --help} and in cli/README.md from
 * this enum, so the two cannot drift apart.
 */
enum ExitCode {
    OK(0, "success"),
    USAGE(1, "bad command line, unknown service/plan/instance name, or a local config/state file problem"),
    REFUSED(2, "the broker refused the request (HTTP 4xx, 401 included): its error description is printed"),
    FAILED(3, "the broker failed (HTTP 5xx, an answer that is not OSB JSON) or the operation ended 'failed'"),
    UNREACHABLE(4, "the broker cannot be reached (connection refused, unknown host, TLS failure)"),
    TIMEOUT(5, "no answer, or no finished operation, within --timeout (or the plan's maximum_polling_duration)"),
    BUG(6, "an unexpected error inside the CLI itself (set SERVICEPACK_CLI_DEBUG=1 for the stack trace)");

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
