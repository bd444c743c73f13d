package org.paasta.servicepack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cloud Foundry manifest as it is, and broken copies of it that the check must catch. */
class CloudFoundryManifestTest {
    private final Path repository = Documents.repositoryRoot();
    private final Path dir = repository.resolve("deploy/cloudfoundry");

    @TempDir
    Path copy;

    @Test
    void manifestIsFitToPush() {
        assertThat(CloudFoundryManifestCheck.problems(repository, dir.resolve("manifest.yml"),
                dir.resolve("vars-example.yml"))).isEmpty();
    }

    @Test
    void unknownAttributeIsRefused() throws IOException {
        assertThat(broken("    health-check-type: http\n", "    health-check-type: http\n    healthcheck-timeout: 60\n"))
                .anySatisfy(p -> assertThat(p).contains("healthcheck-timeout"));
    }

    @Test
    void memoryWithoutUnitIsRefused() throws IOException {
        assertThat(broken("    memory: 512M\n", "    memory: 512\n")).isNotEmpty()
                .allSatisfy(p -> assertThat(p).contains("memory"));
    }

    @Test
    void secretWrittenIntoTheManifest() throws IOException {
        assertThat(broken("MYSQL_ADMIN_PASSWORD: ((mysql_admin_password))", "MYSQL_ADMIN_PASSWORD: hunter2"))
                .contains("vars-example.yml: mysql_admin_password is defined but manifest.yml does not use it")
                .anySatisfy(p -> assertThat(p).contains("MYSQL_ADMIN_PASSWORD is a secret"));
    }

    @Test
    void requiredSettingLeftOut() throws IOException {
        assertThat(broken("      MONGODB_ADMIN_URI: ((mongodb_admin_uri))\n", ""))
                .contains("manifest.yml mongodb-broker: MONGODB_ADMIN_URI is required but not set",
                        "vars-example.yml: mongodb_admin_uri is defined but manifest.yml does not use it");
    }

    @Test
    void variableNotInTheExample() throws IOException {
        assertThat(broken("((rabbitmq_hostnames))", "((rabbitmq_hosts))"))
                .contains("vars-example.yml: ((rabbitmq_hosts)) is used by manifest.yml but not defined",
                        "vars-example.yml: rabbitmq_hostnames is defined but manifest.yml does not use it");
    }

    @Test
    void pathToAJarTheBuildDoesNotWrite() throws IOException {
        assertThat(broken("path: ../../brokers/redis/target/redis-broker.jar", "path: ../../brokers/redis/target/redis.jar"))
                .singleElement().asString().contains("redis-broker: path resolves to");
    }

    @Test
    void jvmFlagLeftOut() throws IOException {
        String text = Documents.read(dir.resolve("manifest.yml"));
        int first = text.indexOf(" -Xmx160m");
        Files.writeString(copy.resolve("manifest.yml"), text.substring(0, first) + text.substring(first + 9));
        assertThat(problems()).singleElement().asString().contains("mysql-broker: JAVA_OPTS lacks -Xmx160m");
    }

    @Test
    void singleInstanceNeedsNoSharedStore() throws IOException {
        String text = Documents.read(dir.resolve("manifest.yml"));
        int mysql = text.indexOf("  - name: mysql-broker");
        int next = text.indexOf("  - name: redis-broker");
        String app = text.substring(mysql, next).replace("instances: 2", "instances: 1")
                .replaceAll("      SERVICEPACK_STORE_[A-Z]+: \\(\\([a-z_]+\\)\\)\n", "");
        Files.writeString(copy.resolve("manifest.yml"), text.substring(0, mysql) + app + text.substring(next));
        assertThat(problems()).allSatisfy(p -> assertThat(p).contains("mysql_broker_store_")).hasSize(3);
    }

    private List<String> broken(String from, String to) throws IOException {
        String text = Documents.read(dir.resolve("manifest.yml"));
        assertThat(text).as("the text this test breaks").contains(from);
        Files.writeString(copy.resolve("manifest.yml"), text.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        return problems();
    }

    private List<String> problems() {
        return CloudFoundryManifestCheck.problems(repository, copy.resolve("manifest.yml"), dir.resolve("vars-example.yml"));
    }
}
