package org.paasta.servicepack.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks catch what they promise to: each test breaks one thing in a copy of the MySQL bundle
 * and expects exactly that to be reported, and the untouched copy to pass.
 */
class KubernetesBrokenCopiesTest {
    private final Path repository = Documents.repositoryRoot();
    private final BrokerSettings settings = BrokerSettings.load(repository, "mysql");

    @TempDir
    Path copy;

    @Test
    void untouchedCopyPasses() throws IOException {
        copyBundle();
        assertThat(problems()).isEmpty();
    }

    @Test
    void secretKeyRefToAKeyTheSecretDoesNotDefine() throws IOException {
        copyBundle();
        replace("secret.yaml", "  MYSQL_ADMIN_PASSWORD: \"\"\n", "");
        assertThat(problems()).singleElement().asString()
                .contains("env MYSQL_ADMIN_PASSWORD", "Secret mysql-broker has no key MYSQL_ADMIN_PASSWORD");
    }

    @Test
    void configMapKeyRefToAKeyTheConfigMapDoesNotDefine() throws IOException {
        copyBundle();
        replace("deployment.yaml", "configMapKeyRef: {name: mysql-broker, key: MYSQL_HOST}",
                "configMapKeyRef: {name: mysql-broker, key: MYSQL_HOSTNAME}");
        assertThat(problems()).singleElement().asString().contains("ConfigMap mysql-broker has no key MYSQL_HOSTNAME");
    }

    @Test
    void secretReferencedByAnotherName() throws IOException {
        copyBundle();
        replace("deployment.yaml", "secretKeyRef: {name: mysql-broker, key: SERVICEPACK_SECRETS_KEY}",
                "secretKeyRef: {name: mysql-broker-secrets, key: SERVICEPACK_SECRETS_KEY}");
        assertThat(problems()).singleElement().asString().contains("Secret mysql-broker-secrets is not in this bundle");
    }

    @Test
    void probeOnAPortTheContainerDoesNotHave() throws IOException {
        copyBundle();
        replace("deployment.yaml", "httpGet: {path: /actuator/health/readiness, port: http}",
                "httpGet: {path: /actuator/health/readiness, port: management}");
        assertThat(problems()).singleElement().asString().contains("readinessProbe port \"management\"");
    }

    @Test
    void serviceTargetPortThatNoContainerOpens() throws IOException {
        copyBundle();
        replace("service.yaml", "targetPort: http", "targetPort: 8081");
        assertThat(problems()).singleElement().asString().contains("targetPort 8081 is not a container port");
    }

    @Test
    void serviceSelectorThatSelectsNothing() throws IOException {
        copyBundle();
        replace("service.yaml", "  selector:\n    app.kubernetes.io/name: mysql-broker",
                "  selector:\n    app.kubernetes.io/name: mysql");
        assertThat(problems()).singleElement().asString().contains("Service/mysql-broker: selector",
                "selects the pods of no workload");
    }

    @Test
    void deploymentSelectorThatMissesItsOwnPods() throws IOException {
        copyBundle();
        replace("deployment.yaml", "    matchLabels:\n      app.kubernetes.io/name: mysql-broker\n  strategy",
                "    matchLabels:\n      app.kubernetes.io/name: mysql-brokers\n  strategy");
        assertThat(problems()).singleElement().asString().contains("does not select its own pods");
    }

    @Test
    void budgetSelectorThatSelectsNothing() throws IOException {
        copyBundle();
        replace("pdb.yaml", "      app.kubernetes.io/name: mysql-broker", "      app: mysql-broker");
        assertThat(problems()).singleElement().asString().contains("PodDisruptionBudget/mysql-broker: selector");
    }

    @Test
    void budgetThatBlocksEveryDrain() throws IOException {
        copyBundle();
        replace("pdb.yaml", "minAvailable: 1", "minAvailable: 2");
        assertThat(problems()).singleElement().asString().contains("blocks every node drain");
    }

    @Test
    void unknownFieldDeepInThePodIsRefusedByTheSchema() throws IOException {
        copyBundle();
        replace("deployment.yaml", "httpGet: {path: /actuator/health/liveness, port: http}\n            periodSeconds: 10",
                "httpGet: {paht: /actuator/health/liveness, port: http}\n            periodSeconds: 10");
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains(
                "spec.template.spec.containers[0].livenessProbe.httpGet.paht: unknown field"));
    }

    @Test
    void numberWhereTheApiWantsAStringIsRefused() throws IOException {
        copyBundle();
        replace("config.yaml", "MYSQL_PORT: \"3306\"", "MYSQL_PORT: 3306");
        assertThat(problems()).singleElement().asString().contains("data.MYSQL_PORT: must be a string");
    }

    @Test
    void badQuantityIsRefused() throws IOException {
        copyBundle();
        replace("deployment.yaml", "memory: 384Mi", "memory: 384MB");
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("'384MB' is not a Kubernetes quantity"));
    }

    @Test
    void missingRequiredFieldIsRefused() throws IOException {
        copyBundle();
        replace("deployment.yaml", "        - name: broker\n", "        - image2: x\n");
        assertThat(problems()).anySatisfy(p -> assertThat(p).contains("containers[0].name: required by V1Container"));
    }

    @Test
    void secretSettingWrittenIntoTheManifest() throws IOException {
        copyBundle();
        replace("deployment.yaml", """
                            - name: MYSQL_ADMIN_PASSWORD
                              valueFrom:
                                secretKeyRef: {name: mysql-broker, key: MYSQL_ADMIN_PASSWORD}
                """, """
                            - name: MYSQL_ADMIN_PASSWORD
                              value: hunter2
                """);
        assertThat(problems()).singleElement().asString().contains("MYSQL_ADMIN_PASSWORD is a secret");
    }

    @Test
    void misspeltSettingIsNotSilentlyIgnored() throws IOException {
        copyBundle();
        replace("deployment.yaml", "- name: MYSQL_USER_HOST", "- name: MYSQL_USERHOST");
        assertThat(problems()).singleElement().asString()
                .contains("MYSQL_USERHOST is not a setting the mysql broker reads");
    }

    @Test
    void requiredSettingLeftOut() throws IOException {
        copyBundle();
        replace("deployment.yaml", """
                            - name: SERVICEPACK_STORE_URL
                              valueFrom:
                                secretKeyRef: {name: mysql-broker, key: SERVICEPACK_STORE_URL}
                """, "");
        assertThat(problems()).singleElement().asString()
                .contains("SERVICEPACK_STORE_URL is required where replicas share a state store");
    }

    @Test
    void imageOfAnotherName() throws IOException {
        copyBundle();
        replace("deployment.yaml", "image: servicepack/mysql-broker:0.1.0", "image: mysql-broker:0.1.0");
        assertThat(problems()).singleElement().asString().contains("image mysql-broker:0.1.0 is not servicepack/mysql-broker");
    }

    @Test
    void fileTheKustomizationForgets() throws IOException {
        copyBundle();
        replace("kustomization.yaml", "  - pdb.yaml\n", "");
        assertThatThrownBy(() -> KubernetesBundle.load(copy)).hasMessageContaining("pdb.yaml is not listed");
    }

    @Test
    void duplicateKeyIsNotWellFormed() throws IOException {
        copyBundle();
        replace("pdb.yaml", "  minAvailable: 1\n", "  minAvailable: 1\n  minAvailable: 0\n");
        assertThatThrownBy(() -> KubernetesBundle.load(copy)).hasMessageContaining("not well-formed YAML");
    }

    private List<String> problems() {
        return KubernetesBundleCheck.problems(KubernetesBundle.load(copy), settings);
    }

    private void copyBundle() throws IOException {
        try (Stream<Path> files = Files.list(repository.resolve("deploy/kubernetes/mysql"))) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = copy.resolve(file);
        String text = Files.readString(path);
        assertThat(text).as("the text this test breaks is in " + file).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
