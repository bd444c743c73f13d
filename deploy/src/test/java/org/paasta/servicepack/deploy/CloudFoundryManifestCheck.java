package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.paasta.servicepack.deploy.BrokerSettings.Source;

/**
 * The Cloud Foundry manifest (deploy/cloudfoundry/manifest.yml) against the app manifest's
 * attribute reference (a JSON Schema of our own, strict), each broker's settings, the jar its
 * build writes, the JVM flags, and its variables file: every ((variable)) used is in the example
 * and every one there is used.
 */
final class CloudFoundryManifestCheck {
    private static final Pattern VARIABLE = Pattern.compile("\\(\\(([A-Za-z0-9_.-]+)\\)\\)");
    private static final Pattern ONLY_A_VARIABLE = Pattern.compile("^\\(\\([A-Za-z0-9_.-]+\\)\\)$");
    /** Read by the Java buildpack, not by the broker. */
    private static final Pattern BUILDPACK_SETTING = Pattern.compile("^(JBP_CONFIG_[A-Z0-9_]+|JBP_LOG_LEVEL|JAVA_OPTS)$");
    private static final JsonSchema SCHEMA = schema();

    private CloudFoundryManifestCheck() {
    }

    static List<String> problems(Path repository, Path manifestFile, Path varsFile) {
        String text = Documents.read(manifestFile);
        JsonNode manifest = Documents.yaml(manifestFile);
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : SCHEMA.validate(manifest)) {
            problems.add("manifest.yml: " + message.getMessage());
        }
        List<String> jvmFlags = jvmFlags(repository);
        Map<String, JsonNode> apps = new LinkedHashMap<>();
        manifest.path("applications").forEach(app -> apps.put(app.path("name").asText(), app));
        for (String broker : BrokerSettings.BROKERS) {
            JsonNode app = apps.remove(broker + "-broker");
            if (app == null) {
                problems.add("manifest.yml: no application " + broker + "-broker");
            } else {
                checkApp(repository, broker, app, jvmFlags, problems);
            }
        }
        for (String other : apps.keySet()) {
            problems.add("manifest.yml: application " + other + " is not one of the brokers");
        }
        checkVariables(text, Documents.yaml(varsFile), problems);
        return problems;
    }

    /** Paths are resolved from the manifest's place in the repository, where operators push it from. */
    private static void checkApp(Path repository, String broker, JsonNode app, List<String> jvmFlags,
                                 List<String> problems) {
        String where = "manifest.yml " + broker + "-broker";
        String jar = broker + "-broker.jar";
        Path path = repository.resolve("deploy/cloudfoundry").resolve(app.path("path").asText()).normalize();
        Path expected = repository.resolve("brokers").resolve(broker).resolve("target").resolve(jar);
        if (!path.equals(expected)) {
            problems.add(where + ": path resolves to " + path + ", the build writes " + expected);
        }
        String pom = Documents.read(repository.resolve("brokers").resolve(broker).resolve("pom.xml"));
        if (!pom.contains("<finalName>" + broker + "-broker</finalName>")) {
            problems.add(where + ": brokers/" + broker + "/pom.xml does not build " + jar);
        }
        if (!app.path("health-check-type").asText().equals("http")
                || !app.path("health-check-http-endpoint").asText().equals("/actuator/health/liveness")) {
            problems.add(where + ": health check must be http on /actuator/health/liveness");
        }
        JsonNode env = app.path("env");
        List<String> javaOpts = List.of(env.path("JAVA_OPTS").asText().split("\\s+"));
        for (String flag : jvmFlags) {
            if (!javaOpts.contains(flag)) {
                problems.add(where + ": JAVA_OPTS lacks " + flag);
            }
        }
        Map<String, Source> environment = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!BUILDPACK_SETTING.matcher(e.getKey()).matches()) {
                boolean variable = ONLY_A_VARIABLE.matcher(e.getValue().asText()).matches();
                environment.put(e.getKey(), variable ? Source.SECRET : Source.PLAIN);
            }
        }
        boolean replicated = app.path("instances").asInt(1) > 1;
        problems.addAll(BrokerSettings.load(repository, broker).problems(environment, replicated, where));
    }

    private static void checkVariables(String manifest, JsonNode vars, List<String> problems) {
        Set<String> used = new TreeSet<>();
        for (String line : manifest.split("\n")) {
            if (!line.stripLeading().startsWith("#")) {
                Matcher m = VARIABLE.matcher(line);
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        Set<String> defined = new TreeSet<>();
        vars.fieldNames().forEachRemaining(defined::add);
        for (String name : used) {
            if (!defined.contains(name)) {
                problems.add("vars-example.yml: ((" + name + ")) is used by manifest.yml but not defined");
            }
        }
        for (String name : defined) {
            if (!used.contains(name)) {
                problems.add("vars-example.yml: " + name + " is defined but manifest.yml does not use it");
            }
        }
    }

    static List<String> jvmFlags(Path repository) {
        List<String> flags = new ArrayList<>();
        Documents.yaml(repository.resolve("deploy/settings.yml")).path("jvm-flags").forEach(f -> flags.add(f.asText()));
        if (flags.isEmpty()) {
            throw new IllegalStateException("deploy/settings.yml lists no jvm-flags");
        }
        return flags;
    }

    private static JsonSchema schema() {
        try (InputStream in = CloudFoundryManifestCheck.class.getResourceAsStream("/cf-app-manifest.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
