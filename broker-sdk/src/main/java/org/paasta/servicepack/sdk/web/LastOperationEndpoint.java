package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.paasta.servicepack.sdk.broker.OsbQueries;
import org.paasta.servicepack.sdk.broker.Views;
import org.paasta.servicepack.sdk.state.OperationStatus;

/**
 * Answers both last_operation endpoints straight from the request filter. Platforms poll them
 * more than everything else together, and SCOSB's controllers return a {@code Mono}, which Spring
 * MVC completes with a second, asynchronous dispatch through the whole servlet pipeline: skipping
 * that more than doubles the polls one broker serves. Errors go through the same
 * {@link ErrorTable} as every other endpoint.
 */
final class LastOperationEndpoint {
    private final OsbQueries queries;
    private final ObjectMapper json;
    private final String retryAfterSeconds;

    LastOperationEndpoint(OsbQueries queries, ObjectMapper json, Duration retryAfter) {
        this.queries = queries;
        this.json = json;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    void serve(OsbEndpoint endpoint, String instanceId, String bindingId, HttpServletRequest request,
               HttpServletResponse response) throws IOException {
        String operation = request.getParameter("operation");
        Views.LastOperation last;
        try {
            last = endpoint == OsbEndpoint.BINDING_LAST_OPERATION
                    ? queries.lastBindingOperation(instanceId, bindingId, operation)
                    : queries.lastInstanceOperation(instanceId, operation);
        } catch (RuntimeException e) {
            ErrorResponses.write(request, response, json, e, endpoint);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", last.status().wire());
        if (last.description() != null) {
            body.put("description", last.description());
        }
        if (last.instanceUsable() != null) {
            body.put("instance_usable", last.instanceUsable());
        }
        if (last.updateRepeatable() != null) {
            body.put("update_repeatable", last.updateRepeatable());
        }
        if (last.status() == OperationStatus.IN_PROGRESS) {
            response.setHeader("Retry-After", retryAfterSeconds);
        }
        // A finished delete is 410 Gone, with the state in the body as SCOSB renders it.
        response.setStatus(last.gone() ? 410 : 200);
        response.setContentType("application/json");
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
