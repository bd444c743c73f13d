package org.paasta.servicepack.sdk.web;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BrokerException;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.broker.ApiVersionMissingException;
import org.paasta.servicepack.sdk.broker.ApiVersionUnsupportedException;
import org.paasta.servicepack.sdk.broker.AsyncRequiredException;
import org.paasta.servicepack.sdk.broker.BadRequestException;
import org.paasta.servicepack.sdk.broker.BindingConflictException;
import org.paasta.servicepack.sdk.broker.BindingNotFoundException;
import org.paasta.servicepack.sdk.broker.ConcurrencyException;
import org.paasta.servicepack.sdk.broker.InstanceConflictException;
import org.paasta.servicepack.sdk.broker.InstanceNotFoundException;
import org.paasta.servicepack.sdk.broker.InternalErrorException;
import org.paasta.servicepack.sdk.broker.MaintenanceInfoConflictException;
import org.paasta.servicepack.sdk.broker.NotReadyException;
import org.paasta.servicepack.sdk.broker.UnauthorizedException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidOriginatingIdentityException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionPlanDoesNotExistException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place that decides which HTTP status and OSB error code a failure gets, per endpoint.
 * Rows are tried in order; the first whose exception type matches and whose endpoints include the
 * request's endpoint wins. Anything not listed is a 500 whose description never carries the
 * exception's text.
 */
public final class ErrorTable {
    private static final Set<OsbEndpoint> ALL = Set.of(OsbEndpoint.values());

    private record Row(Class<? extends Throwable> type, Set<OsbEndpoint> endpoints, OsbError error) {
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private static void row(Class<? extends Throwable> type, Set<OsbEndpoint> endpoints, OsbError error) {
        ROWS.add(new Row(type, endpoints, error));
    }

    private static void row(Class<? extends Throwable> type, OsbError error) {
        row(type, ALL, error);
    }

    static {
        row(UnauthorizedException.class, OsbError.of(401, "Unauthorized"));
        row(ApiVersionMissingException.class, OsbError.of(400, "MissingApiVersion"));
        row(ApiVersionUnsupportedException.class, OsbError.of(412, "UnsupportedApiVersion"));

        // Deleting what does not exist is 410 Gone with an empty body; elsewhere it is 404.
        row(InstanceNotFoundException.class, Set.of(OsbEndpoint.DEPROVISION, OsbEndpoint.UNBIND), OsbError.gone());
        row(BindingNotFoundException.class, Set.of(OsbEndpoint.UNBIND), OsbError.gone());
        row(InstanceNotFoundException.class, OsbError.of(404, "NotFound"));
        row(BindingNotFoundException.class, OsbError.of(404, "NotFound"));
        row(NotReadyException.class, OsbError.of(404, "NotFound"));

        row(InstanceConflictException.class, OsbError.of(409, "Conflict"));
        row(BindingConflictException.class, OsbError.of(409, "Conflict"));

        row(ConcurrencyException.class, OsbError.of(422, "ConcurrencyError"));
        // The state store gave up on a deadlock after retries: a concurrency conflict, not a broker fault.
        row(PessimisticLockingFailureException.class, OsbError.of(422, "ConcurrencyError"));
        row(AsyncRequiredException.class, OsbError.of(422, "AsyncRequired"));
        row(MaintenanceInfoConflictException.class, OsbError.of(422, "MaintenanceInfoConflict"));
        row(PlanChangeRefusedException.class, OsbError.of(422, "PlanChangeNotSupported"));
        // Capacity: 507 Insufficient Storage for a new instance, as OSB brokers do; 422 for the rest.
        row(CapacityExhaustedException.class, Set.of(OsbEndpoint.PROVISION), OsbError.of(507, "CapacityExhausted"));
        row(CapacityExhaustedException.class, OsbError.of(422, "CapacityExhausted"));

        row(InvalidParametersException.class, OsbError.of(400, "InvalidParameters"));
        row(BadRequestException.class, OsbError.of(400, "BadRequest"));
        row(ServiceDefinitionDoesNotExistException.class, OsbError.of(400, "BadRequest"));
        row(ServiceDefinitionPlanDoesNotExistException.class, OsbError.of(400, "BadRequest"));
        row(ServiceBrokerInvalidOriginatingIdentityException.class, OsbError.of(400, "BadRequest"));
        row(HttpMessageNotReadableException.class, OsbError.of(400, "BadRequest"));
        // The body ended before its Content-Length or last chunk, or its chunked encoding is broken
        // (Tomcat's BadRequestException, ClientAbortException among them): the client's fault.
        row(EOFException.class, OsbError.of(400, "BadRequest"));
        row(org.apache.coyote.BadRequestException.class, OsbError.of(400, "BadRequest"));
        // Only where a broker turns multipart parsing back on (the SDK turns it off).
        row(MultipartException.class, OsbError.of(400, "BadRequest"));
        row(MethodArgumentNotValidException.class, OsbError.of(400, "BadRequest"));
        row(MissingServletRequestParameterException.class, OsbError.of(400, "BadRequest"));
        row(ServletRequestBindingException.class, OsbError.of(400, "BadRequest"));
        row(MethodArgumentTypeMismatchException.class, OsbError.of(400, "BadRequest"));
        // The spec asks 400 for a body that is not application/json.
        row(HttpMediaTypeNotSupportedException.class, OsbError.of(400, "BadRequest"));
        row(HttpMediaTypeNotAcceptableException.class, OsbError.of(406, "NotAcceptable"));
        row(HttpRequestMethodNotSupportedException.class, OsbError.of(405, "MethodNotAllowed"));
        row(NoResourceFoundException.class, OsbError.of(404, "NotFound"));

        row(BackendUnavailableException.class, OsbError.of(503, "BackendUnavailable"));
        // A database the broker needs (its state store, e.g. a Galera node that just died) cannot
        // be reached or dropped the statement: the platform may retry later, as for its backend.
        row(DataAccessResourceFailureException.class, OsbError.of(503, "ServiceUnavailable"));
        row(TransientDataAccessResourceException.class, OsbError.of(503, "ServiceUnavailable"));
        row(RecoverableDataAccessException.class, OsbError.of(503, "ServiceUnavailable"));
        row(InternalErrorException.class, OsbError.of(500, "InternalError"));
    }

    private static final OsbError UNMAPPED = OsbError.of(500, "InternalError");

    /**
     * The answer to a request the servlet container refused before any broker code ran (a request
     * line or header over the size limit, an encoded '/', '\' or NUL in the path, an illegal
     * character in the query, ...), or a bare status the container set: the status stays, the
     * body becomes an OSB error. Only the status is known here, so the description is a fixed text.
     */
    public static OsbError forStatus(int status) {
        return switch (status) {
            case 400 -> OsbError.of(400, "BadRequest");
            case 401 -> OsbError.of(401, "Unauthorized");
            case 404 -> OsbError.of(404, "NotFound");
            case 405 -> OsbError.of(405, "MethodNotAllowed");
            case 406 -> OsbError.of(406, "NotAcceptable");
            case 408 -> OsbError.of(408, "RequestTimeout");
            case 411 -> OsbError.of(411, "LengthRequired");
            case 413 -> OsbError.of(413, "PayloadTooLarge");
            case 414 -> OsbError.of(414, "URITooLong");
            case 415 -> OsbError.of(415, "UnsupportedMediaType");
            case 417 -> OsbError.of(417, "ExpectationFailed");
            case 431 -> OsbError.of(431, "RequestHeaderFieldsTooLarge");
            // Tomcat's 501 (a Transfer-Encoding other than chunked) and 505 (an HTTP version other
            // than 1.x) are about requests no platform sends; a 5xx would tell the platform the broker
            // failed, and for a provision start orphan mitigation for a request that never arrived.
            case 501, 505 -> OsbError.of(400, "BadRequest");
            case 503 -> OsbError.of(503, "ServiceUnavailable");
            default -> status >= 400 && status < 500 ? OsbError.of(status, "BadRequest") : OsbError.of(status, "InternalError");
        };
    }

    /**
     * The body for {@link #forStatus} of the container's status: fixed texts, never the container's
     * message or exception.
     */
    public static Map<String, Object> bodyForStatus(int status) {
        OsbError error = forStatus(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("description", switch (status) {
            case 400 -> "the HTTP request was refused before it reached the broker: a malformed request line, header"
                    + " or query, a request line or header over the size limit, or an encoded '/', '\\' or NUL"
                    + " in the path";
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 406 -> "the broker answers application/json only";
            case 413 -> "the request body is too large";
            case 414, 431 -> "the request line or a header is over the size limit";
            case 415 -> "the request body must be application/json";
            case 501 -> "the request's Transfer-Encoding is not one the broker reads (chunked)";
            case 505 -> "the broker speaks HTTP/1.1";
            default -> status >= 500 ? "internal broker error; details are in the broker log"
                    : "the HTTP request was refused before it reached the broker";
        });
        return body;
    }

    private ErrorTable() {
    }

    public static OsbError lookup(Throwable failure, OsbEndpoint endpoint) {
        for (Row row : ROWS) {
            if (row.type().isInstance(failure) && row.endpoints().contains(endpoint)) {
                return row.error();
            }
        }
        return UNMAPPED;
    }

    /**
     * Whether a backend failure answered this way means the backend is as it was, so a creation
     * that failed leaves no record either: every 4xx (the spec requires it), and 507 (no room: the
     * backend made nothing). The one place that tells the client's failures from the broker's.
     */
    public static boolean leavesNothing(Throwable failure, OsbEndpoint endpoint) {
        int status = lookup(failure, endpoint).status();
        return status < 500 || status == 507;
    }

    /** Whether the failure is one the table knows (its text may then be shown to the platform). */
    public static boolean isMapped(Throwable failure) {
        return ROWS.stream().anyMatch(row -> row.type().isInstance(failure));
    }

    /**
     * The error body. Descriptions come from the SDK's typed exceptions (written for operators and
     * free of secrets) or are fixed texts for framework exceptions; never raw exception text.
     */
    public static Map<String, Object> body(Throwable failure, OsbEndpoint endpoint, String requestIdentity) {
        OsbError error = lookup(failure, endpoint);
        Map<String, Object> body = new LinkedHashMap<>();
        if (error.emptyBody()) {
            return body;
        }
        body.put("error", error.code());
        body.put("description", describe(failure, error, requestIdentity));
        if (endpoint == OsbEndpoint.UPDATE && error.status() >= 400) {
            body.put("instance_usable", true);
            body.put("update_repeatable", !(failure instanceof PlanChangeRefusedException));
        }
        return body;
    }

    private static String describe(Throwable failure, OsbError error, String requestIdentity) {
        if (failure instanceof BrokerException broker) {
            return broker.description();
        }
        if (failure instanceof ServiceDefinitionDoesNotExistException) {
            return "service_id is not in the catalog";
        }
        if (failure instanceof ServiceDefinitionPlanDoesNotExistException) {
            return "plan_id is not a plan of this service";
        }
        if (failure instanceof MethodArgumentNotValidException invalid) {
            List<String> fields = invalid.getBindingResult().getFieldErrors().stream()
                    .map(f -> f.getField().replaceAll("([A-Z])", "_$1").toLowerCase()
                            .replace("service_definition_id", "service_id"))
                    .distinct().toList();
            return "missing required fields: " + String.join(", ", fields);
        }
        if (failure instanceof MissingServletRequestParameterException missing) {
            return "query parameter " + missing.getParameterName() + " is required";
        }
        if (failure instanceof HttpMessageNotReadableException) {
            return "the request body is not valid JSON or a field has the wrong type";
        }
        if (failure instanceof EOFException || failure instanceof org.apache.coyote.BadRequestException) {
            return "the request body could not be read: it ended early or its chunked encoding is malformed";
        }
        if (failure instanceof HttpMediaTypeNotSupportedException) {
            return "the request body must be application/json";
        }
        if (failure instanceof ServiceBrokerInvalidOriginatingIdentityException) {
            return "X-Broker-API-Originating-Identity is not '<platform> <base64 JSON>'";
        }
        if (failure instanceof MethodArgumentTypeMismatchException mismatch) {
            return "parameter " + mismatch.getName() + " has the wrong type";
        }
        if (failure instanceof DataAccessResourceFailureException
                || failure instanceof TransientDataAccessResourceException
                || failure instanceof RecoverableDataAccessException) {
            return "the broker cannot reach a database it needs right now (its state store); try again later"
                    + (requestIdentity == null ? "" : "; request identity " + requestIdentity)
                    + "; details are in the broker log";
        }
        if (failure instanceof PessimisticLockingFailureException) {
            return "another request changed this resource at the same time; try again";
        }
        if (error.status() == 500) {
            return "internal broker error"
                    + (requestIdentity == null ? "" : "; request identity " + requestIdentity)
                    + "; details are in the broker log";
        }
        return switch (error.status()) {
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 406 -> "the broker answers application/json only";
            default -> "bad request";
        };
    }
}
