package org.paasta.servicepack.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.deploy.BrokerSettings.Source;
import org.paasta.servicepack.deploy.KubernetesBundle.KubernetesObject;

/**
 * Everything checked about one broker's Kubernetes bundle, as a list of problems (empty: fit to
 * apply): the API schema of each object, the references between them, the broker's settings, and
 * what this project promises of every broker deployment (two replicas sharing a store, probes on
 * the actuator's health groups, resources sized from the measured footprint, a disruption budget,
 * a non-root container on a read-only root file system).
 */
final class KubernetesBundleCheck {
    static final String CONTAINER = "broker";

    private KubernetesBundleCheck() {
    }

    static List<String> problems(KubernetesBundle bundle, BrokerSettings settings) {
        List<String> problems = new ArrayList<>();
        for (KubernetesObject object : bundle.objects()) {
            problems.addAll(KubernetesSchema.problems(object.json(), object.file()));
        }
        problems.addAll(KubernetesReferences.problems(bundle));
        List<KubernetesObject> deployments = bundle.ofKind("Deployment");
        if (deployments.size() != 1) {
            problems.add("expected one Deployment, found " + deployments.size());
            return problems;
        }
        KubernetesObject deployment = deployments.get(0);
        String name = settings.broker() + "-broker";
        if (!deployment.name().equals(name)) {
            problems.add(deployment.where() + ": the Deployment of the " + settings.broker() + " broker is named " + name);
        }
        JsonNode spec = deployment.json().path("spec");
        if (spec.path("replicas").asInt() != 2) {
            problems.add(deployment.where() + ": 2 replicas sharing the state store, not " + spec.path("replicas"));
        }
        JsonNode pod = spec.path("template").path("spec");
        if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
            problems.add(deployment.where() + ": securityContext.runAsNonRoot must be true");
        }
        JsonNode container = null;
        for (JsonNode c : pod.path("containers")) {
            if (c.path("name").asText().equals(CONTAINER)) {
                container = c;
            }
        }
        if (container == null) {
            problems.add(deployment.where() + ": no container named " + CONTAINER);
            return problems;
        }
        String at = deployment.where() + " container " + CONTAINER;
        // The name build-image.sh gives the image; kustomize's images: rewrites it per registry.
        String image = container.path("image").asText();
        if (!image.startsWith("servicepack/" + name + ":")) {
            problems.add(at + ": image " + image + " is not servicepack/" + name + ":<tag> (kustomize edit set image rewrites it)");
        }
        problems.addAll(settings.problems(environment(container), true, at));
        checkContainer(container, at, problems);
        if (bundle.ofKind("PodDisruptionBudget").isEmpty()) {
            problems.add(bundle.dir().getFileName() + ": no PodDisruptionBudget");
        }
        return problems;
    }

    private static void checkContainer(JsonNode container, String at, List<String> problems) {
        expectPath(container, "livenessProbe", "/actuator/health/liveness", at, problems);
        expectPath(container, "readinessProbe", "/actuator/health/readiness", at, problems);
        JsonNode resources = container.path("resources");
        expect(resources.path("requests").path("cpu").asText(), "100m", at + " resources.requests.cpu", problems);
        expect(resources.path("requests").path("memory").asText(), "256Mi", at + " resources.requests.memory", problems);
        expect(resources.path("limits").path("memory").asText(), "384Mi", at + " resources.limits.memory", problems);
        JsonNode security = container.path("securityContext");
        if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(at + ": securityContext.readOnlyRootFilesystem must be true");
        }
        if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
            problems.add(at + ": securityContext.allowPrivilegeEscalation must be false");
        }
        boolean tmp = false;
        for (JsonNode mount : container.path("volumeMounts")) {
            tmp |= mount.path("mountPath").asText().equals("/tmp");
        }
        if (!tmp) {
            problems.add(at + ": a writable /tmp (emptyDir) is needed with a read-only root file system");
        }
    }

    /** The container's variables, each with where its value comes from. */
    static Map<String, Source> environment(JsonNode container) {
        Map<String, Source> environment = new LinkedHashMap<>();
        for (JsonNode env : container.path("env")) {
            Source source = env.path("valueFrom").has("secretKeyRef") ? Source.SECRET : Source.PLAIN;
            environment.put(env.path("name").asText(), source);
        }
        return environment;
    }

    private static void expectPath(JsonNode container, String probe, String path, String at, List<String> problems) {
        String actual = container.path(probe).path("httpGet").path("path").asText();
        if (!actual.equals(path)) {
            problems.add(at + ": " + probe + " must GET " + path + ", not '" + actual + "'");
        }
    }

    private static void expect(String actual, String expected, String what, List<String> problems) {
        if (!actual.equals(expected)) {
            problems.add(what + " must be " + expected + " (sized from the measured idle RSS), not '" + actual + "'");
        }
    }
}
