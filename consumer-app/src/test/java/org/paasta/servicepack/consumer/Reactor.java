package org.paasta.servicepack.consumer;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the reactor left the jars this harness runs: each module's target directory. */
final class Reactor {
    /** Failsafe runs with the module directory as the working directory. */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();
    static final Path WORK = MODULE.resolve("target").resolve("consumer-it");

    private Reactor() {
    }

    static Path brokerJar(String name) {
        return existing(ROOT.resolve("brokers").resolve(name).resolve("target").resolve(name + "-broker.jar"),
                "mvn -pl brokers/" + name + " -am package -DskipTests");
    }

    static Path cliJar() {
        return existing(ROOT.resolve("cli").resolve("target").resolve("servicepack-cli.jar"),
                "mvn -pl cli -am package -DskipTests");
    }

    static Path appJar(ConsumerVariant variant) {
        return existing(MODULE.resolve("target").resolve("consumer-app-" + variant.classifier + ".jar"),
                "mvn -pl consumer-app package -DskipTests");
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Path existing(Path jar, String build) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with: " + build);
        }
        return jar;
    }
}
