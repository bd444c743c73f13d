package org.paasta.servicepack.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the CLI takes from the process it runs in, so tests can run it in-process with their
 * own streams, environment and home directory.
 *
 * @param interactive stdin and stdout are a terminal: progress is redrawn in place with {@code \r}
 *                    and a missing password may be prompted for
 */
record Terminal(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path home,
                String user, boolean interactive) {

    static Terminal system() {
        // Java 17: a Console exists only when both stdin and stdout are a terminal.
        return new Terminal(System.out, System.err, System.in, System.getenv(),
                Path.of(System.getProperty("user.home")), System.getProperty("user.name"), System.console() != null);
    }

    String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The first line of stdin, without its line break. */
    String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw CliFailure.usage("cannot read standard input: " + e.getMessage());
        }
    }

    /** Asks for a secret without echoing it, or null when there is nobody to ask. */
    char[] promptSecret(String prompt) {
        Console console = System.console();
        return interactive && console != null ? console.readPassword("%s", prompt) : null;
    }
}
