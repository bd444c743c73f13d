package org.paasta.servicepack.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The consumer app as Cloud Foundry runs it: its own JVM, {@code java -jar}, and nothing in its
 * environment but VCAP_SERVICES (the harness's own SPRING_*, VCAP_* and backend variables are
 * removed first, so no setting reaches it from the outside).
 */
final class ConsumerApp {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private ConsumerApp() {
    }

    static ConsumerRunOutcome run(ConsumerVariant variant, String vcapServices) {
        List<String> command = List.of(Reactor.java().toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xss512k", "-Xmx192m", "-jar", Reactor.appJar(variant).toString());
        return ConsumerRunOutcome.parse(ChildProcess.run(command, Map.of("VCAP_SERVICES", vcapServices),
                Reactor.WORK.resolve("app-runs"), TIMEOUT));
    }
}
