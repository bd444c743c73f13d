package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error page, as an OSB error body. Tomcat answers some requests itself before any
 * filter or controller runs: a request line or header over {@code server.max-http-request-header-size},
 * an encoded '/', '\' or NUL in the path, an illegal character in the query, a malformed header.
 * Its default page is HTML that names the server; a platform logs the body of a failed request,
 * so it gets {@code {"error": ..., "description": ...}} with the same status instead. Installed on
 * the Host in place of Tomcat's own valve, so it also answers for requests that never reach the
 * application (the connector hands those to the Host's error report valve).
 */
public class OsbErrorReportValve extends ErrorReportValve {
    private final ObjectMapper json;

    public OsbErrorReportValve(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // The same guards as Tomcat's valve: only an error nobody has written a body for, reported once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            String body = json.writeValueAsString(ErrorTable.bodyForStatus(status));
            response.setStatus(ErrorTable.forStatus(status).status());
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or the response is unusable: nothing more can be said to it.
        }
    }
}
