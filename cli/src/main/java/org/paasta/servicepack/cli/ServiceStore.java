package org.paasta.servicepack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;

/**
 * The state file. Every change re-reads the file under a lock, because a command may poll for
 * minutes while another CLI process changes other instances in the same file.
 */
final class ServiceStore {
    private final Path file;
    private final ObjectMapper json;

    ServiceStore(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    Path file() {
        return file;
    }

    LocalState load() {
        return PrivateFiles.read(file, "state file").map(this::parse).orElseGet(LocalState::empty);
    }

    Optional<ServiceRecord> find(String name) {
        return Optional.ofNullable(load().services().get(name));
    }

    ServiceRecord require(String name) {
        return find(name).orElseThrow(() -> CliFailure.usage("no service instance named '" + name
                + "' was created with this CLI (state file " + file + "); see: servicepack services"));
    }

    LocalState update(UnaryOperator<LocalState> change) {
        return PrivateFiles.locked(file, () -> {
            LocalState changed = change.apply(load());
            try {
                PrivateFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(changed) + "\n",
                        "state file");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return changed;
        });
    }

    void save(ServiceRecord service) {
        update(state -> state.with(service));
    }

    /** Applies {@code change} to the instance as it is in the file now; no-op when it is gone. */
    Optional<ServiceRecord> change(String name, UnaryOperator<ServiceRecord> change) {
        ServiceRecord[] changed = new ServiceRecord[1];
        update(state -> {
            ServiceRecord current = state.services().get(name);
            if (current == null) {
                return state;
            }
            changed[0] = change.apply(current);
            return state.with(changed[0]);
        });
        return Optional.ofNullable(changed[0]);
    }

    void remove(String name) {
        update(state -> state.without(name));
    }

    private LocalState parse(String text) {
        try {
            LocalState state = json.readValue(text, LocalState.class);
            return state == null ? LocalState.empty() : state;
        } catch (JsonProcessingException e) {
            throw CliFailure.usage("the state file " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "): " + e.getOriginalMessage());
        }
    }
}
