package org.paasta.servicepack.consumer;

import io.pivotal.cfenv.core.CfService;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * Runs the check of every kind of service VCAP_SERVICES binds, once each, and prints one line per
 * kind: {@code RESULT <kind> <service names> OK|FAIL <detail>}. The exit code is 0 only when at
 * least one service is bound and every bound one passed.
 */
final class ConsumerRun implements ApplicationRunner, ExitCodeGenerator {
    static final int FAILED = 1;
    static final int NOTHING_BOUND = 2;

    private final BoundServices bound;
    private final List<ServiceCheck> checks;
    private final CredentialMask mask;
    private final PrintStream out;
    private int exitCode = FAILED;

    ConsumerRun(BoundServices bound, List<ServiceCheck> checks, CredentialMask mask, PrintStream out) {
        this.bound = bound;
        this.checks = checks;
        this.mask = mask;
        this.out = out;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (bound.byKind().isEmpty()) {
            out.println("RESULT none - FAIL VCAP_SERVICES binds no mysql, redis, rabbitmq or mongodb service");
            exitCode = NOTHING_BOUND;
            return;
        }
        int failures = 0;
        for (ServiceCheck check : checks) {
            List<CfService> services = bound.byKind().get(check.kind());
            if (services == null) {
                continue;
            }
            String names = services.stream().map(CfService::getName).collect(Collectors.joining(","));
            String line;
            try {
                line = "OK " + check.writeAndRead();
            } catch (Exception e) {
                line = "FAIL " + describe(e);
                failures++;
            }
            out.println(mask.apply("RESULT " + check.kind().key + " " + names + " " + line));
        }
        out.flush();
        exitCode = failures == 0 ? 0 : FAILED;
    }

    /** The exception and its root cause on one line: what a developer reads first in a log. */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (root != failure) {
            text += " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text.replaceAll("\\s+", " ");
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
