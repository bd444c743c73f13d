package org.paasta.servicepack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The config file ({@code ~/.servicepack/config.json} unless {@code --config} or
 * {@code SERVICEPACK_CLI_CONFIG} name another) and, next to it, the state file of the service
 * instances this CLI created.
 */
final class ConfigStore {
    static final String ENV_CONFIG = "SERVICEPACK_CLI_CONFIG";

    private final Path file;
    private final ObjectMapper json;

    ConfigStore(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    static Path locate(Path option, Terminal terminal) {
        if (option != null) {
            return option;
        }
        String env = terminal.env(ENV_CONFIG);
        return env != null ? Path.of(env) : terminal.home().resolve(".servicepack").resolve("config.json");
    }

    Path file() {
        return file;
    }

    /** The state file: {@code state.json} in the config file's directory. */
    Path stateFile() {
        return file.toAbsolutePath().resolveSibling("state.json");
    }

    /** The config, or an empty one (not yet written) when the file does not exist. */
    CliConfig load() {
        return PrivateFiles.read(file, "config file").map(this::parse).orElseGet(CliConfig::empty);
    }

    /**
     * Reads, changes and writes the config under a lock. Also used to write the generated
     * platform ids the first time, so every later run sends the same ones.
     */
    CliConfig update(UnaryOperator<CliConfig> change) {
        return PrivateFiles.locked(file, () -> {
            CliConfig changed = change.apply(load());
            try {
                PrivateFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(changed) + "\n",
                        "config file");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return changed;
        });
    }

    private CliConfig parse(String text) {
        try {
            CliConfig config = json.readValue(text, CliConfig.class);
            return config == null ? CliConfig.empty() : config;
        } catch (JsonProcessingException e) {
            throw CliFailure.usage("the config file " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
        }
    }
}
