package org.paasta.servicepack.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on: they mean nothing without it. */
record Machine(int cpus, String cpuModel, long memoryMb, String jdk, String os, String database, String loadAtStart) {
    static Machine describe(String databaseVersion) {
        String model = "unknown";
        long memory = -1;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException | RuntimeException notLinux) {
            // keep "unknown"
        }
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new Machine(Runtime.getRuntime().availableProcessors(), model, memory, jdk, os, databaseVersion,
                loadAverage());
    }

    /** 1-, 5- and 15-minute load averages: other work on the machine shows here. */
    static String loadAverage() {
        try {
            List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
            return String.join(" / ", fields.subList(0, 3));
        } catch (IOException | RuntimeException notLinux) {
            return "unknown";
        }
    }
}
