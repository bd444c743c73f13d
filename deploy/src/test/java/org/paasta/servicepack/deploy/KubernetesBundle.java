package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One broker's Kubernetes manifests as {@code kubectl apply -k} renders them: the files its
 * kustomization.yaml lists, in order. The kustomization may only list resources, so that this
 * rendering is exactly kustomize's; operators overlay patches, images and namespaces in
 * kustomizations of their own that point here.
 */
record KubernetesBundle(Path dir, List<KubernetesObject> objects) {
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources");

    /** A rendered object and the file it came from. */
    record KubernetesObject(String file, JsonNode json) {
        String kind() {
            return json.path("kind").asText();
        }

        String name() {
            return json.path("metadata").path("name").asText();
        }

        String where() {
            return file + " " + kind() + "/" + name();
        }
    }

    static KubernetesBundle load(Path dir) {
        JsonNode kustomization = Documents.yaml(dir.resolve("kustomization.yaml"));
        List<String> problems = new ArrayList<>();
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!KUSTOMIZATION_FIELDS.contains(field)) {
                problems.add("kustomization.yaml: only " + KUSTOMIZATION_FIELDS + " belong in the base, not " + field);
            }
        });
        if (!kustomization.path("kind").asText().equals("Kustomization")) {
            problems.add("kustomization.yaml: kind must be Kustomization");
        }
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(resource -> listed.add(resource.asText()));
        Set<String> present = yamlFilesIn(dir);
        present.remove("kustomization.yaml");
        for (String file : listed) {
            if (!present.contains(file)) {
                problems.add("kustomization.yaml lists " + file + ", which is not in " + dir.getFileName());
            }
        }
        for (String file : present) {
            if (!listed.contains(file)) {
                problems.add(file + " is not listed in kustomization.yaml, so kubectl apply -k would skip it");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(dir + ": " + String.join("; ", problems));
        }
        List<KubernetesObject> objects = new ArrayList<>();
        for (String file : listed) {
            for (JsonNode json : Documents.yamlDocuments(dir.resolve(file))) {
                objects.add(new KubernetesObject(file, json));
            }
        }
        return new KubernetesBundle(dir, List.copyOf(objects));
    }

    List<KubernetesObject> ofKind(String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    Optional<KubernetesObject> find(String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
    }

    private static Set<String> yamlFilesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
