package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answer of a broker.
 *
 * @param body       the parsed JSON body, or null when the body is not JSON (then {@code text} says what it was)
 * @param retryAfter the {@code Retry-After} header, or null
 */
record OsbResponse(String broker, String action, int status, JsonNode body, String text, String retryAfter,
                   String requestIdentity) {

    boolean is(int expected) {
        return status == expected;
    }

    boolean successful() {
        return status >= 200 && status < 300;
    }

    /** The body as a JSON object, failing (exit 3) when the broker did not answer one. */
    JsonNode object() {
        if (body == null || !body.isObject()) {
            throw CliFailure.failed("broker '" + broker + "' answered " + action + " with HTTP " + status
                    + " but not with a JSON object: " + excerpt());
        }
        return body;
    }

    /** The text of a string field of the body, or null. */
    String field(String name) {
        JsonNode value = body == null ? null : body.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** This answer as a failure: the broker's OSB error (description and code) in one line. */
    CliFailure failure() {
        String description = field("description");
        String error = field("error");
        StringBuilder message = new StringBuilder("broker '").append(broker).append("' ");
        message.append(status >= 500 ? "failed " : "refused ").append(action);
        message.append(" (HTTP ").append(status);
        if (error != null) {
            message.append(' ').append(oneLine(error));
        }
        message.append(')');
        if (description != null) {
            message.append(": ").append(oneLine(description));
        } else if (body == null && text != null && !text.isBlank()) {
            message.append(": the answer is not OSB JSON: ").append(excerpt());
        }
        if (status == 401) {
            message.append(". Check the username and password given to register-broker");
        }
        if (status >= 500 && requestIdentity != null && (description == null || !description.contains(requestIdentity))) {
            message.append(" [request identity ").append(requestIdentity).append(']');
        }
        if (status >= 400 && status < 500) {
            return CliFailure.refused(message.toString());
        }
        return status >= 500 ? CliFailure.failedForNow(message.toString()) : CliFailure.failed(message.toString());
    }

    private String excerpt() {
        if (text == null || text.isBlank()) {
            return "(empty body)";
        }
        String line = oneLine(text);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Broker text printed on one line and without control characters that could rewrite the terminal. */
    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?").trim();
    }
}
