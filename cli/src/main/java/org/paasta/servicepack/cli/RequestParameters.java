package org.paasta.servicepack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code -c '{"key": "value"}'} or {@code -c @file.json}: the {@code parameters} object of a request. */
final class RequestParameters {
    private RequestParameters() {
    }

    /** The parsed object, or null when the option was not given. */
    static ObjectNode parse(String option, ObjectMapper json) {
        if (option == null) {
            return null;
        }
        String text = option;
        String source = "-c";
        if (option.startsWith("@")) {
            Path file = Path.of(option.substring(1));
            source = file.toString();
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw CliFailure.usage("cannot read parameters from " + file + ": " + e.getMessage());
            }
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw CliFailure.usage("the parameters in " + source + " are not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw CliFailure.usage("the parameters in " + source + " must be a JSON object, like '{\"key\": \"value\"}'");
        }
        return (ObjectNode) parsed;
    }
}
