package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import org.paasta.servicepack.sdk.BrokerException;
import org.paasta.servicepack.sdk.broker.ApiVersionMissingException;
import org.paasta.servicepack.sdk.broker.ApiVersionUnsupportedException;
import org.paasta.servicepack.sdk.broker.BadRequestException;
import org.paasta.servicepack.sdk.broker.OsbQueries;
import org.paasta.servicepack.sdk.broker.UnauthorizedException;
import org.paasta.servicepack.sdk.catalog.ServiceCatalog;
import org.slf4j.MDC;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every OSB request passes before any controller: the request identity echoed (SCOSB's MVC
 * side never does it), HTTP basic auth, the {@code X-Broker-API-Version} check (also under a base
 * path or platform prefix, which SCOSB's own check skips), and the instance and binding ids of the
 * path. It also serves {@code GET /v2/catalog} from bytes rendered once at startup, with an ETag,
 * since SCOSB's catalog model cannot carry v2.17 fields such as {@code binding_rotatable}, and
 * both last_operation endpoints ({@link LastOperationEndpoint}), the ones platforms poll.
 */
public final class OsbRequestFilter extends OncePerRequestFilter {
    public static final String REQUEST_IDENTITY = "X-Broker-API-Request-Identity";
    private static final String API_VERSION = "X-Broker-API-Version";
    private static final Pattern SUPPORTED_VERSION = Pattern.compile("2\\.\\d{1,3}");
    private static final Pattern DOTS_ONLY = Pattern.compile("\\.+");

    /** What a monitoring system may read without credentials: status only, no details. */
    private static final Set<String> PUBLIC_ACTUATOR = Set.of("/actuator/health",
            "/actuator/health/liveness", "/actuator/health/readiness");

    private final byte[] expectedAuthorization;
    private final byte[] monitoringAuthorization;
    private final boolean requireApiVersion;
    private final Pattern idPattern;
    private final byte[] catalogJson;
    private final String catalogEtag;
    private final ObjectMapper json;
    private final LastOperationEndpoint lastOperation;

    /**
     * @param monitoringUsername credentials that may read the actuator endpoints but not call the OSB
     *                           API (null: only the broker's own)
     */
    public OsbRequestFilter(String username, String password, String monitoringUsername, String monitoringPassword,
                            boolean requireApiVersion, Pattern idPattern, ServiceCatalog catalog, ObjectMapper json,
                            OsbQueries queries, Duration retryAfter) {
        this.expectedAuthorization = basic(username, password);
        this.monitoringAuthorization = monitoringUsername == null || monitoringPassword == null
                || monitoringPassword.isBlank() ? null : basic(monitoringUsername, monitoringPassword);
        this.requireApiVersion = requireApiVersion;
        this.idPattern = idPattern;
        this.catalogJson = catalog.json();
        this.catalogEtag = etag(catalogJson);
        this.json = json;
        this.lastOperation = new LastOperationEndpoint(queries, json, retryAfter);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestIdentity = request.getHeader(REQUEST_IDENTITY);
        if (requestIdentity != null) {
            response.setHeader(REQUEST_IDENTITY, requestIdentity);
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (request.getMethod().equals("TRACE")) {
            // Tomcat would refuse TRACE itself with an empty 405; the SDK lets it through the connector
            // to answer it here, on any path, with an OSB body and without echoing the request.
            ErrorResponses.write(request, response, json, new HttpRequestMethodNotSupportedException("TRACE"),
                    OsbEndpoint.of("TRACE", path));
            return;
        }
        if (path.startsWith("/actuator")) {
            serveActuator(path, request, response, chain);
            return;
        }
        if (!OsbEndpoint.isOsbPath(path)) {
            chain.doFilter(request, response);
            return;
        }
        OsbEndpoint.Route route = OsbEndpoint.route(request.getMethod(), path);
        String instanceId;
        String bindingId;
        try {
            authenticate(request);
            checkApiVersion(request);
            instanceId = decodedId("instance_id", route.rawInstanceId());
            bindingId = decodedId("binding_id", route.rawBindingId());
            checkContentType(request, route.endpoint());
        } catch (BrokerException e) {
            ErrorResponses.write(request, response, json, e, route.endpoint());
            return;
        }
        // Every log line of the request names it (structured logs carry the MDC as fields).
        putLogContext(requestIdentity, instanceId, bindingId);
        try {
            switch (route.endpoint()) {
                case CATALOG -> serveCatalog(request, response);
                case INSTANCE_LAST_OPERATION, BINDING_LAST_OPERATION ->
                        lastOperation.serve(route.endpoint(), instanceId, bindingId, request, response);
                default -> chain.doFilter(request, response);
            }
        } finally {
            clearLogContext();
        }
    }

    /** MDC keys of a request or an operation: request identity, instance id, binding id. */
    public static void putLogContext(String requestIdentity, String instanceId, String bindingId) {
        putIfPresent("request_identity", requestIdentity);
        putIfPresent("instance_id", instanceId);
        putIfPresent("binding_id", bindingId);
    }

    public static void clearLogContext() {
        MDC.remove("request_identity");
        MDC.remove("instance_id");
        MDC.remove("binding_id");
    }

    private static void putIfPresent(String key, String value) {
        if (value != null) {
            MDC.put(key, value.length() > 255 ? value.substring(0, 255) : value);
        }
    }

    /**
     * Health status is public (probes carry no credentials); its details, the other endpoints
     * (Prometheus) and health components need the broker's or the monitoring credentials. An
     * authenticated request carries a principal, which is what Spring Boot's
     * {@code show-details: when-authorized} asks for.
     */
    private void serveActuator(String path, HttpServletRequest request, HttpServletResponse response,
                               FilterChain chain) throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        boolean authenticated = header != null && (matches(header, expectedAuthorization)
                || (monitoringAuthorization != null && matches(header, monitoringAuthorization)));
        if (!authenticated && !PUBLIC_ACTUATOR.contains(path)) {
            ErrorResponses.write(request, response, json,
                    new UnauthorizedException("missing or wrong credentials for the management endpoints"),
                    OsbEndpoint.UNKNOWN);
            return;
        }
        chain.doFilter(authenticated ? new AuthenticatedRequest(request) : request, response);
    }

    private static boolean matches(String header, byte[] expected) {
        return MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static byte[] basic(String username, String password) {
        return ("Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    /** A request that passed basic auth, as a container-authenticated one looks to Spring Boot. */
    private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private static final Principal MONITOR = () -> "servicepack-monitor";

        AuthenticatedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return MONITOR;
        }

        @Override
        public String getRemoteUser() {
            return MONITOR.getName();
        }
    }

    private void authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        // Constant-time comparison: response timing must not tell how much of a guess was right.
        if (header == null || !matches(header, expectedAuthorization)) {
            throw new UnauthorizedException("missing or wrong broker credentials (HTTP basic auth)");
        }
    }

    private void checkApiVersion(HttpServletRequest request) {
        String version = request.getHeader(API_VERSION);
        if (version == null) {
            if (requireApiVersion) {
                throw new ApiVersionMissingException("the X-Broker-API-Version header is required (e.g. 2.17)");
            }
            return;
        }
        if (!SUPPORTED_VERSION.matcher(version.trim()).matches()) {
            throw new ApiVersionUnsupportedException("this broker speaks OSB API 2.x (2.17); got X-Broker-API-Version "
                    + version.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    /** The id as the application sees it, or null when the path has none. */
    private String decodedId(String name, String raw) {
        if (raw == null) {
            return null;
        }
        String id;
        try {
            id = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name + " is not validly percent-encoded");
        }
        if (!idPattern.matcher(id).matches()) {
            throw new BadRequestException(name + " must be 1 to 255 characters from " + idPattern.pattern()
                    + " (RFC 3986 unreserved characters, as the OSB spec recommends)");
        }
        // '.' and '..' are path segments a proxy or client removes before the broker sees them (and
        // '...' is one step from it): the platform and the broker would disagree about the resource.
        if (DOTS_ONLY.matcher(id).matches()) {
            throw new BadRequestException(name + " must not consist of dots only");
        }
        return id;
    }

    /**
     * The endpoints with a body read JSON only. Any other declared type is the client's mistake,
     * and so is a Content-Type that does not parse (an unknown charset) or is a wildcard such as
     * {@code *}{@code /*}, which Spring's header parsing would otherwise turn into an
     * IllegalArgumentException and a 500.
     */
    private static void checkContentType(HttpServletRequest request, OsbEndpoint endpoint) {
        if (endpoint != OsbEndpoint.PROVISION && endpoint != OsbEndpoint.UPDATE && endpoint != OsbEndpoint.BIND) {
            return;
        }
        String header = request.getContentType();
        if (header == null) {
            throw new BadRequestException("the request body must be application/json (no Content-Type was sent)");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(header);
        } catch (InvalidMediaTypeException e) {
            throw new BadRequestException("Content-Type is not a valid media type; the request body must be "
                    + "application/json");
        }
        boolean json = type.isConcrete() && type.getType().equals("application")
                && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new BadRequestException("the request body must be application/json");
        }
    }

    private void serveCatalog(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("ETag", catalogEtag);
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.contains(catalogEtag)) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(catalogJson.length);
        response.getOutputStream().write(catalogJson);
    }

    private static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
