package org.paasta.servicepack.sdk.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot's {@code /error} page (the whitelabel page, or its JSON with status, path and
 * possibly the exception), replaced by an OSB error body. Tomcat forwards here whatever fails
 * outside the controllers: an exception escaping a filter, a {@code sendError} from a servlet
 * (e.g. TRACE), and a direct request for {@code /error}. Exceptions go through {@link ErrorTable}
 * like everywhere else; a bare status gets {@link ErrorTable#forStatus}.
 */
@RestController
public class OsbErrorController implements ErrorController {
    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable thrown) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            String path = uri instanceof String s ? s.substring(Math.min(s.length(), request.getContextPath().length()))
                    : "";
            OsbEndpoint endpoint = OsbEndpoint.of(request.getMethod(), path);
            OsbError error = ErrorTable.lookup(thrown, endpoint);
            ErrorResponses.log(request.getMethod(), endpoint, thrown, error);
            return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON)
                    .body(ErrorTable.body(thrown, endpoint, null));
        }
        // Asked for directly, /error is no endpoint of the broker.
        int code = status instanceof Integer given && given >= 400 ? given : 404;
        return ResponseEntity.status(code).contentType(MediaType.APPLICATION_JSON).body(ErrorTable.bodyForStatus(code));
    }
}
