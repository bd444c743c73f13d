package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an {@link ErrorTable} answer where no controller advice can: in a servlet filter. Also
 * the one place that decides how loudly a failed OSB request is logged.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ObjectMapper json, Throwable failure,
                      OsbEndpoint endpoint) throws IOException {
        OsbError error = ErrorTable.lookup(failure, endpoint);
        log(request.getMethod(), endpoint, failure, error);
        response.setStatus(error.status());
        if (error.status() == 401) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"servicepack\"");
        }
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(),
                ErrorTable.body(failure, endpoint, request.getHeader(OsbRequestFilter.REQUEST_IDENTITY)));
    }

    /** Unexpected failures with their stack trace, server-side ones as warnings, client mistakes at debug. */
    static void log(String method, OsbEndpoint endpoint, Throwable failure, OsbError error) {
        if (!ErrorTable.isMapped(failure)) {
            LOG.error("{} {} failed", method, endpoint, failure);
        } else if (error.status() >= 500) {
            LOG.warn("{} {} answered {}: {}", method, endpoint, error.status(), failure.getMessage());
        } else {
            LOG.debug("{} {} answered {}: {}", method, endpoint, error.status(), failure.getMessage());
        }
    }
}
