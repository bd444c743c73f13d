package org.paasta.servicepack.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The systemd units and environment files as they are, and broken copies the checks must catch. */
class SystemdUnitsTest {
    private final Path repository = Documents.repositoryRoot();
    private final Path dir = repository.resolve("deploy/systemd");

    @TempDir
    Path copy;

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "redis", "rabbitmq", "mongodb"})
    void unitAndEnvironmentFileAreFitToInstall(String broker) {
        Path unit = dir.resolve(broker + "-broker.service");
        assertThat(SystemdUnitCheck.problems(repository, broker, unit, dir.resolve(broker + "-broker.env"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "redis", "rabbitmq", "mongodb"})
    void systemdHasNothingToSayAboutTheUnit(String broker) {
        String verdict = SystemdUnitCheck.verify(dir.resolve(broker + "-broker.service"));
        assumeTrue(verdict != null, "systemd-analyze is not installed here");
        assertThat(verdict).isEmpty();
    }

    @Test
    void systemdReportsAMisspeltDirective() throws IOException {
        Path unit = brokenUnit("mysql", "Restart=on-failure", "Restartt=on-failure");
        String verdict = SystemdUnitCheck.verify(unit);
        assumeTrue(verdict != null, "systemd-analyze is not installed here");
        assertThat(verdict).contains("Unknown key").contains("Restartt");
        assertThat(SystemdUnitCheck.problems(repository, "mysql", unit, dir.resolve("mysql-broker.env")))
                .singleElement().asString().contains("Restart=on-failure expected");
    }

    @Test
    void jvmFlagLeftOut() throws IOException {
        Path unit = brokenUnit("rabbitmq", " -XX:CICompilerCount=2", "");
        assertThat(SystemdUnitCheck.problems(repository, "rabbitmq", unit, dir.resolve("rabbitmq-broker.env")))
                .singleElement().asString().contains("ExecStart lacks -XX:CICompilerCount=2");
    }

    @Test
    void workingDirectoryThatProtectSystemMakesReadOnly() throws IOException {
        Path unit = brokenUnit("mongodb", "WorkingDirectory=/var/lib/servicepack/mongodb-broker",
                "WorkingDirectory=/opt/servicepack");
        assertThat(SystemdUnitCheck.problems(repository, "mongodb", unit, dir.resolve("mongodb-broker.env")))
                .singleElement().asString().contains("WorkingDirectory /opt/servicepack");
    }

    @Test
    void redisInstancesMustOutliveTheBroker() throws IOException {
        Path unit = brokenUnit("redis", "KillMode=process\n", "");
        assertThat(SystemdUnitCheck.problems(repository, "redis", unit, dir.resolve("redis-broker.env")))
                .singleElement().asString().contains("KillMode=process expected");
    }

    @Test
    void environmentFileWithAMisspeltOrMissingSetting() throws IOException {
        Path env = copy.resolve("mysql-broker.env");
        Files.writeString(env, Documents.read(dir.resolve("mysql-broker.env"))
                .replace("MYSQL_HOST=", "MYSQL_HOSTNAME=")
                .replace("#SERVICEPACK_STORE_URL=", "#SERVICEPACK_STORE=")
                .replace("SERVICEPACK_SECRETS_KEY=\n", ""));
        List<String> problems = SystemdUnitCheck.problems(repository, "mysql", dir.resolve("mysql-broker.service"), env);
        assertThat(problems).containsExactlyInAnyOrder(
                "mysql-broker.env: SERVICEPACK_SECRETS_KEY is required but not set",
                "mysql-broker.env: MYSQL_HOST is required but not set",
                "mysql-broker.env: MYSQL_HOSTNAME is not a setting the mysql broker reads (deploy/settings.yml)",
                "mysql-broker.env: the commented-out SERVICEPACK_STORE is not a setting the mysql broker reads");
    }

    private Path brokenUnit(String broker, String from, String to) throws IOException {
        String text = Documents.read(dir.resolve(broker + "-broker.service"));
        assertThat(text).as("the text this test breaks").contains(from);
        Path unit = copy.resolve(broker + "-broker.service");
        Files.writeString(unit, text.replace(from, to));
        return unit;
    }
}
