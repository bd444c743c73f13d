package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.paasta.servicepack.deploy.KubernetesBundle.KubernetesObject;

/**
 * What the schema cannot see and a cluster would only show at rollout: that the objects of one
 * bundle fit together. Every Secret and ConfigMap key a pod reads exists, every port a probe or a
 * Service names is a container port, every volume mounted is declared, every selector (the
 * workload's own, the Service's, the PodDisruptionBudget's) selects the pods, and a
 * PodDisruptionBudget leaves a node drain room to evict.
 */
final class KubernetesReferences {
    private static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet");
    private static final List<String> PROBES = List.of("startupProbe", "livenessProbe", "readinessProbe");

    private KubernetesReferences() {
    }

    static List<String> problems(KubernetesBundle bundle) {
        List<String> problems = new ArrayList<>();
        uniqueNames(bundle, problems);
        for (String kind : WORKLOADS) {
            for (KubernetesObject workload : bundle.ofKind(kind)) {
                checkWorkload(bundle, workload, problems);
            }
        }
        for (KubernetesObject service : bundle.ofKind("Service")) {
            checkService(bundle, service, problems);
        }
        for (KubernetesObject budget : bundle.ofKind("PodDisruptionBudget")) {
            checkBudget(bundle, budget, problems);
        }
        return problems;
    }

    private static void uniqueNames(KubernetesBundle bundle, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (KubernetesObject object : bundle.objects()) {
            if (!seen.add(object.kind() + "/" + object.name())) {
                problems.add(object.where() + ": a second object of this kind and name");
            }
        }
    }

    private static void checkWorkload(KubernetesBundle bundle, KubernetesObject workload, List<String> problems) {
        JsonNode spec = workload.json().path("spec");
        JsonNode pod = spec.path("template");
        Map<String, String> podLabels = labels(pod.path("metadata").path("labels"));
        String where = workload.where();
        Map<String, String> selector = matchLabels(spec.path("selector"), where + " spec.selector", problems);
        if (!selects(selector, podLabels)) {
            problems.add(where + ": spec.selector " + selector + " does not select its own pods " + podLabels);
        }
        if (workload.kind().equals("StatefulSet")) {
            String serviceName = spec.path("serviceName").asText();
            if (bundle.find("Service", serviceName).isEmpty()) {
                problems.add(where + ": serviceName " + serviceName + " names no Service of this bundle");
            }
        }
        JsonNode podSpec = pod.path("spec");
        Set<String> volumes = new HashSet<>();
        for (JsonNode volume : podSpec.path("volumes")) {
            volumes.add(volume.path("name").asText());
            checkVolumeSource(bundle, volume, where + " volume " + volume.path("name").asText(), problems);
        }
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
            volumes.add(claim.path("metadata").path("name").asText());
        }
        Set<String> mounted = new HashSet<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : podSpec.path(list)) {
                String at = where + " container " + container.path("name").asText();
                checkContainer(bundle, container, at, volumes, mounted, problems);
            }
        }
        for (String volume : volumes) {
            if (!mounted.contains(volume)) {
                problems.add(where + ": volume " + volume + " is declared but no container mounts it");
            }
        }
    }

    private static void checkContainer(KubernetesBundle bundle, JsonNode container, String at, Set<String> volumes,
                                       Set<String> mounted, List<String> problems) {
        Set<String> portNames = new HashSet<>();
        Set<Integer> portNumbers = new HashSet<>();
        for (JsonNode port : container.path("ports")) {
            if (port.has("name")) {
                portNames.add(port.path("name").asText());
            }
            portNumbers.add(port.path("containerPort").asInt());
        }
        for (String probe : PROBES) {
            JsonNode handler = container.path(probe);
            for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                if (handler.has(action)) {
                    JsonNode port = handler.path(action).path("port");
                    if (!portExists(port, portNames, portNumbers)) {
                        problems.add(at + ": " + probe + " port " + port + " is not a port of the container "
                                + portNames + portNumbers);
                    }
                }
            }
        }
        Set<String> envNames = new HashSet<>();
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (!envNames.add(name)) {
                problems.add(at + ": env " + name + " is set twice (the last one silently wins)");
            }
            JsonNode from = env.path("valueFrom");
            if (from.has("secretKeyRef")) {
                keyExists(bundle, "Secret", from.path("secretKeyRef"), at + " env " + name, problems);
            }
            if (from.has("configMapKeyRef")) {
                keyExists(bundle, "ConfigMap", from.path("configMapKeyRef"), at + " env " + name, problems);
            }
        }
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("secretRef")) {
                objectExists(bundle, "Secret", source.path("secretRef"), at + " envFrom", problems);
            }
            if (source.has("configMapRef")) {
                objectExists(bundle, "ConfigMap", source.path("configMapRef"), at + " envFrom", problems);
            }
        }
        for (JsonNode mount : container.path("volumeMounts")) {
            String volume = mount.path("name").asText();
            mounted.add(volume);
            if (!volumes.contains(volume)) {
                problems.add(at + ": volumeMount " + volume + " names no volume of the pod " + volumes);
            }
        }
    }

    private static void checkVolumeSource(KubernetesBundle bundle, JsonNode volume, String at, List<String> problems) {
        for (String[] source : new String[][] {{"secret", "Secret", "secretName"}, {"configMap", "ConfigMap", "name"}}) {
            JsonNode ref = volume.path(source[0]);
            if (ref.isMissingNode()) {
                continue;
            }
            String name = ref.path(source[2]).asText();
            Optional<KubernetesObject> target = bundle.find(source[1], name);
            if (target.isEmpty()) {
                if (!ref.path("optional").asBoolean(false)) {
                    problems.add(at + ": " + source[1] + " " + name + " is not in this bundle");
                }
                continue;
            }
            Set<String> keys = keys(target.get());
            for (JsonNode item : ref.path("items")) {
                if (!keys.contains(item.path("key").asText())) {
                    problems.add(at + ": " + source[1] + " " + name + " has no key " + item.path("key").asText()
                            + " " + keys);
                }
            }
        }
    }

    private static void checkService(KubernetesBundle bundle, KubernetesObject service, List<String> problems) {
        Map<String, String> selector = labels(service.json().path("spec").path("selector"));
        List<JsonNode> pods = new ArrayList<>();
        for (String kind : WORKLOADS) {
            for (KubernetesObject workload : bundle.ofKind(kind)) {
                JsonNode pod = workload.json().path("spec").path("template");
                if (!selector.isEmpty() && selects(selector, labels(pod.path("metadata").path("labels")))) {
                    pods.add(pod);
                }
            }
        }
        if (pods.isEmpty()) {
            problems.add(service.where() + ": selector " + selector + " selects the pods of no workload in this bundle");
            return;
        }
        for (JsonNode port : service.json().path("spec").path("ports")) {
            JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
            for (JsonNode pod : pods) {
                Set<String> names = new HashSet<>();
                Set<Integer> numbers = new HashSet<>();
                for (JsonNode container : pod.path("spec").path("containers")) {
                    for (JsonNode p : container.path("ports")) {
                        if (p.has("name")) {
                            names.add(p.path("name").asText());
                        }
                        numbers.add(p.path("containerPort").asInt());
                    }
                }
                if (!portExists(target, names, numbers)) {
                    problems.add(service.where() + ": targetPort " + target + " is not a container port of the pods "
                            + names + numbers);
                }
            }
        }
    }

    private static void checkBudget(KubernetesBundle bundle, KubernetesObject budget, List<String> problems) {
        JsonNode spec = budget.json().path("spec");
        Map<String, String> selector = matchLabels(spec.path("selector"), budget.where() + " spec.selector", problems);
        boolean selectsAny = false;
        for (String kind : WORKLOADS) {
            for (KubernetesObject workload : bundle.ofKind(kind)) {
                JsonNode pod = workload.json().path("spec").path("template");
                if (!selector.isEmpty() && selects(selector, labels(pod.path("metadata").path("labels")))) {
                    selectsAny = true;
                    int replicas = workload.json().path("spec").path("replicas").asInt(1);
                    JsonNode min = spec.path("minAvailable");
                    if (min.isInt() && min.asInt() >= replicas) {
                        problems.add(budget.where() + ": minAvailable " + min.asInt() + " with " + replicas
                                + " replicas of " + workload.where() + " blocks every node drain");
                    }
                }
            }
        }
        if (!selectsAny) {
            problems.add(budget.where() + ": selector " + selector + " selects the pods of no workload in this bundle");
        }
    }

    private static void keyExists(KubernetesBundle bundle, String kind, JsonNode ref, String at, List<String> problems) {
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        Optional<KubernetesObject> target = bundle.find(kind, name);
        if (target.isEmpty()) {
            problems.add(at + ": " + kind + " " + name + " is not in this bundle");
        } else if (!keys(target.get()).contains(key)) {
            problems.add(at + ": " + kind + " " + name + " has no key " + key + " " + keys(target.get()));
        }
    }

    private static void objectExists(KubernetesBundle bundle, String kind, JsonNode ref, String at,
                                     List<String> problems) {
        if (bundle.find(kind, ref.path("name").asText()).isEmpty() && !ref.path("optional").asBoolean(false)) {
            problems.add(at + ": " + kind + " " + ref.path("name").asText() + " is not in this bundle");
        }
    }

    /** The keys a Secret or ConfigMap defines, in any of its data fields. */
    static Set<String> keys(KubernetesObject object) {
        Set<String> keys = new HashSet<>();
        for (String field : List.of("data", "stringData", "binaryData")) {
            object.json().path(field).fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    private static boolean portExists(JsonNode port, Set<String> names, Set<Integer> numbers) {
        return port.isTextual() ? names.contains(port.asText()) : numbers.contains(port.asInt());
    }

    private static Map<String, String> matchLabels(JsonNode selector, String at, List<String> problems) {
        if (selector.has("matchExpressions")) {
            problems.add(at + ": matchExpressions are not checked here; use matchLabels");
        }
        return labels(selector.path("matchLabels"));
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        return labels;
    }
}
