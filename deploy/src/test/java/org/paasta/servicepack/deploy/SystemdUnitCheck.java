package org.paasta.servicepack.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.paasta.servicepack.deploy.BrokerSettings.Source;

/**
 * A broker's systemd unit and its EnvironmentFile example: systemd's own verdict
 * ({@code systemd-analyze verify}, where it is installed: any message counts, since systemd only
 * warns about an unknown or misspelt directive and then ignores it), the directives this project
 * promises (user, JVM flags, restart, hardening, a writable working directory under
 * ProtectSystem=strict), and the environment file against the broker's settings.
 */
final class SystemdUnitCheck {
    static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    private static final Pattern ASSIGNMENT = Pattern.compile("^(#?)\\s*([A-Z][A-Z0-9_]*)=(.*)$");

    private SystemdUnitCheck() {
    }

    static List<String> problems(Path repository, String broker, Path unitFile, Path envFile) {
        List<String> problems = new ArrayList<>();
        String where = unitFile.getFileName().toString();
        Map<String, List<String>> service = section(Documents.read(unitFile), "Service");
        String jar = "/opt/servicepack/" + broker + "-broker.jar";
        expect(service, "User", "servicepack", where, problems);
        expect(service, "EnvironmentFile", "/etc/servicepack/" + broker + "-broker.env", where, problems);
        expect(service, "Restart", "on-failure", where, problems);
        expect(service, "NoNewPrivileges", "yes", where, problems);
        expect(service, "ProtectSystem", "strict", where, problems);
        expect(service, "PrivateTmp", "yes", where, problems);
        String exec = last(service, "ExecStart");
        List<String> words = List.of(exec.split("\\s+"));
        for (String flag : CloudFoundryManifestCheck.jvmFlags(repository)) {
            if (!words.contains(flag)) {
                problems.add(where + ": ExecStart lacks " + flag);
            }
        }
        if (!exec.endsWith("-jar " + jar)) {
            problems.add(where + ": ExecStart must run -jar " + jar);
        }
        List<String> writable = writablePaths(service);
        String workingDirectory = last(service, "WorkingDirectory");
        if (!under(workingDirectory, writable)) {
            problems.add(where + ": WorkingDirectory " + workingDirectory + " (where the H2 state file goes) is not writable"
                    + " under ProtectSystem=strict; writable: " + writable);
        }

        String envWhere = envFile.getFileName().toString();
        Map<String, Source> environment = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> documented = new ArrayList<>();
        for (String line : Documents.read(envFile).split("\n")) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (m.matches()) {
                if (m.group(1).isEmpty()) {
                    // The whole file is a 0600 secret store, so every value in it counts as kept secret.
                    environment.put(m.group(2), Source.SECRET);
                    values.put(m.group(2), m.group(3));
                } else {
                    documented.add(m.group(2));
                }
            }
        }
        BrokerSettings settings = BrokerSettings.load(repository, broker);
        problems.addAll(settings.problems(environment, false, envWhere));
        for (String name : documented) {
            if (!settings.settings().containsKey(name)) {
                problems.add(envWhere + ": the commented-out " + name + " is not a setting the " + broker + " broker reads");
            }
        }
        if (broker.equals("redis")) {
            expect(service, "KillMode", "process", where, problems);
            String dataDir = values.getOrDefault("REDIS_SHARED_DATA_DIR", "/var/lib/servicepack-redis");
            if (!under(dataDir, writable)) {
                problems.add(where + ": REDIS_SHARED_DATA_DIR " + dataDir + " is not writable under ProtectSystem=strict");
            }
        }
        return problems;
    }

    /** systemd's own verdict, or null where systemd-analyze is not installed. */
    static String verify(Path unitFile) {
        if (!Files.isExecutable(SYSTEMD_ANALYZE)) {
            return null;
        }
        Scripts.Result result = Scripts.run(List.of(SYSTEMD_ANALYZE.toString(), "verify", unitFile.toString()),
                unitFile.getParent(), Map.of("SYSTEMD_LOG_COLOR", "0"));
        return (result.stdout() + result.stderr()).strip() + (result.exitCode() == 0 ? "" : " (exit " + result.exitCode() + ")");
    }

    private static List<String> writablePaths(Map<String, List<String>> service) {
        List<String> writable = new ArrayList<>();
        for (String value : service.getOrDefault("StateDirectory", List.of())) {
            for (String dir : value.split("\\s+")) {
                writable.add("/var/lib/" + dir);
            }
        }
        for (String value : service.getOrDefault("ReadWritePaths", List.of())) {
            writable.addAll(List.of(value.split("\\s+")));
        }
        return writable;
    }

    private static boolean under(String path, List<String> roots) {
        return roots.stream().anyMatch(root -> path.equals(root) || path.startsWith(root + "/"));
    }

    private static void expect(Map<String, List<String>> section, String key, String value, String where,
                               List<String> problems) {
        if (!value.equals(last(section, key))) {
            problems.add(where + ": " + key + "=" + value + " expected, found '" + last(section, key) + "'");
        }
    }

    private static String last(Map<String, List<String>> section, String key) {
        List<String> values = section.getOrDefault(key, List.of());
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    /** The directives of one [section]: every value of each key, in order (systemd keeps the last one). */
    private static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        String current = null;
        for (String raw : unit.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if (name.equals(current) && line.contains("=")) {
                int eq = line.indexOf('=');
                directives.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return directives;
    }
}
