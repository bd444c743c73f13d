package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes an {@link ErrorTable} answer where no controller advice can: in a servlet filter. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static void write(HttpServletResponse response, ObjectMapper json, Throwable failure, OsbEndpoint endpoint,
                      String requestIdentity) throws IOException {
        OsbError error = ErrorTable.lookup(failure, endpoint);
        response.setStatus(error.status());
        if (error.status() == 401) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"servicepack\"");
        }
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), ErrorTable.body(failure, endpoint, requestIdentity));
    }
}
