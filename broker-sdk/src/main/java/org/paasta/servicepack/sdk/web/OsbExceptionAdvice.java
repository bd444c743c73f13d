package org.paasta.servicepack.sdk.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every exception from the OSB controllers, SCOSB's and the SDK's alike, goes through
 * {@link ErrorTable}; this advice outranks SCOSB's own handler so there is only one table.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OsbExceptionAdvice {
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> handle(Exception failure, HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        OsbEndpoint endpoint = OsbEndpoint.of(request.getMethod(), path);
        OsbError error = ErrorTable.lookup(failure, endpoint);
        ErrorResponses.log(request.getMethod(), endpoint, failure, error);
        String requestIdentity = request.getHeader(OsbRequestFilter.REQUEST_IDENTITY);
        return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorTable.body(failure, endpoint, requestIdentity));
    }
}
