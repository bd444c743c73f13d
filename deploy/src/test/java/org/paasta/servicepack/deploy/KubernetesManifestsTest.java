package org.paasta.servicepack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each broker's Kubernetes bundle as it is in the repository: schema-valid and consistent. */
class KubernetesManifestsTest {
    private final Path repository = Documents.repositoryRoot();

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "redis", "rabbitmq", "mongodb"})
    void bundleIsFitToApply(String broker) {
        KubernetesBundle bundle = KubernetesBundle.load(repository.resolve("deploy/kubernetes").resolve(broker));
        assertThat(bundle.objects()).extracting(KubernetesBundle.KubernetesObject::kind)
                .contains("Deployment", "Service", "Secret", "ConfigMap", "PodDisruptionBudget");
        List<String> problems = KubernetesBundleCheck.problems(bundle, BrokerSettings.load(repository, broker));
        assertThat(problems).isEmpty();
    }

    /**
     * Kubernetes offers dedicated-vm only: the bundle serves catalog/redis.yml without its
     * shared-vm plans, and nothing else differs (ids, names, limits), so the copy cannot drift.
     */
    @Test
    void redisBundleServesTheCatalogWithoutSharedVm() throws Exception {
        KubernetesBundle bundle = KubernetesBundle.load(repository.resolve("deploy/kubernetes/redis"));
        JsonNode served = Documents.YAML.readTree(bundle.find("ConfigMap", "redis-broker-catalog").orElseThrow()
                .json().path("data").path("redis.yml").asText());
        ObjectNode expected = (ObjectNode) Documents.yaml(repository.resolve("catalog/redis.yml"));
        int removed = 0;
        for (JsonNode service : expected.path("services")) {
            ArrayNode plans = (ArrayNode) service.path("plans");
            for (int i = plans.size() - 1; i >= 0; i--) {
                if (plans.get(i).path("limits").path("placement").asText().equals("shared-vm")) {
                    plans.remove(i);
                    removed++;
                }
            }
        }
        assertThat(removed).as("shared-vm plans in catalog/redis.yml").isPositive();
        assertThat(served).isEqualTo(expected);
        assertThat(KubernetesBundleCheck.environment(bundle.ofKind("Deployment").get(0).json()
                .path("spec").path("template").path("spec").path("containers").get(0)))
                .containsKey("SERVICEPACK_CATALOG_FILES");
    }
}
