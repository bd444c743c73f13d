package org.paasta.servicepack.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** One broker answer: status, parsed JSON body (MissingNode when empty or not JSON), headers. */
public record OsbResponse(int status, JsonNode body, HttpHeaders headers, String rawBody) {
    public String text(String field) {
        JsonNode value = body.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    public JsonNode credentials() {
        return body.path("credentials");
    }

    @Override
    public String toString() {
        // Never the body: it may hold credentials.
        return "OsbResponse[status=" + status + ", error=" + body.path("error").asText("") + ", description="
                + body.path("description").asText("") + "]";
    }
}
