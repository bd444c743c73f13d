package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment a broker reads (deploy/settings.yml), and the check every deployment style's
 * artifact must pass against it: every required variable set, every secret one kept where secrets
 * belong, and nothing set that the broker does not read (a misspelt name would otherwise be
 * silently ignored and the broker would fall back to a default).
 */
record BrokerSettings(String broker, String service, List<String> backendPorts, Map<String, Setting> settings) {
    static final List<String> BROKERS = List.of("mysql", "redis", "rabbitmq", "mongodb");

    record Setting(String name, boolean required, boolean replicated, boolean secret) {
    }

    /** Where a deployment artifact takes a variable's value from. */
    enum Source {
        /** Written into the artifact itself (a manifest literal, a ConfigMap). */
        PLAIN,
        /** A Kubernetes Secret, a Cloud Foundry ((variable)), a 0600 EnvironmentFile. */
        SECRET
    }

    static BrokerSettings load(Path repository, String broker) {
        JsonNode root = Documents.yaml(repository.resolve("deploy/settings.yml"));
        JsonNode entry = root.path("brokers").path(broker);
        if (entry.isMissingNode()) {
            throw new IllegalArgumentException("deploy/settings.yml has no broker " + broker);
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        read(root.path("common"), settings);
        read(entry.path("settings"), settings);
        List<String> ports = new ArrayList<>();
        entry.path("backend-ports").forEach(port -> ports.add(port.asText()));
        return new BrokerSettings(broker, entry.path("service").asText(), List.copyOf(ports), settings);
    }

    private static void read(JsonNode node, Map<String, Setting> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            into.put(e.getKey(), new Setting(e.getKey(), s.path("required").asBoolean(false),
                    s.path("replicated").asBoolean(false), s.path("secret").asBoolean(false)));
        }
    }

    /**
     * @param environment  every variable the artifact sets, and where its value comes from
     * @param replicated   whether the artifact runs several replicas (then they need a shared store)
     * @param where        names the artifact in the problems
     */
    List<String> problems(Map<String, Source> environment, boolean replicated, String where) {
        List<String> problems = new ArrayList<>();
        for (Setting setting : settings.values()) {
            boolean needed = setting.required() || (replicated && setting.replicated());
            if (needed && !environment.containsKey(setting.name())) {
                problems.add(where + ": " + setting.name() + " is required"
                        + (setting.replicated() ? " where replicas share a state store" : "") + " but not set");
            }
        }
        Set<String> unknown = new TreeSet<>();
        environment.forEach((name, source) -> {
            Setting setting = settings.get(name);
            if (setting == null) {
                unknown.add(name);
            } else if (setting.secret() && source != Source.SECRET) {
                problems.add(where + ": " + name + " is a secret but its value is written into the artifact");
            }
        });
        for (String name : unknown) {
            problems.add(where + ": " + name + " is not a setting the " + broker + " broker reads (deploy/settings.yml)");
        }
        return problems;
    }
}
