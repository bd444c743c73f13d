package org.paasta.servicepack.sdk.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OSB endpoints, recognised from method and path under any base path or platform prefix
 * ({@code /{platformInstanceId}/v2/...}), so status rules and checks hold wherever the broker is mounted.
 */
public enum OsbEndpoint {
    CATALOG,
    PROVISION,
    FETCH_INSTANCE,
    UPDATE,
    DEPROVISION,
    INSTANCE_LAST_OPERATION,
    BIND,
    FETCH_BINDING,
    UNBIND,
    BINDING_LAST_OPERATION,
    /** Under /v2/ but no OSB endpoint. */
    UNKNOWN;

    private static final Pattern CATALOG_PATH = Pattern.compile("(?:/.*)?/v2/catalog/?");
    private static final Pattern INSTANCE_PATH =
            Pattern.compile("(?:/.*)?/v2/service_instances/([^/]+)(/last_operation)?/?");
    private static final Pattern BINDING_PATH = Pattern.compile(
            "(?:/.*)?/v2/service_instances/([^/]+)/service_bindings/([^/]+)(/last_operation)?/?");

    /** True for every path the OSB filter guards (auth, API version, ids). */
    public static boolean isOsbPath(String path) {
        return path.contains("/v2/") || path.endsWith("/v2");
    }

    /** An OSB request's endpoint and the raw (still percent-encoded) ids of its path; absent ids are null. */
    public record Route(OsbEndpoint endpoint, String rawInstanceId, String rawBindingId) {
    }

    public static OsbEndpoint of(String method, String path) {
        return route(method, path).endpoint();
    }

    /**
     * Endpoint and ids from one match of the path: this runs on every request. HEAD is GET without
     * the body (Tomcat drops it), so it reaches the same endpoint; SCOSB's controllers would
     * otherwise answer it for endpoints the SDK serves itself.
     */
    public static Route route(String requestMethod, String path) {
        String method = requestMethod.equals("HEAD") ? "GET" : requestMethod;
        if (CATALOG_PATH.matcher(path).matches()) {
            return new Route(method.equals("GET") ? CATALOG : UNKNOWN, null, null);
        }
        Matcher binding = BINDING_PATH.matcher(path);
        if (binding.matches()) {
            OsbEndpoint endpoint;
            if (binding.group(3) != null) {
                endpoint = method.equals("GET") ? BINDING_LAST_OPERATION : UNKNOWN;
            } else {
                endpoint = switch (method) {
                    case "PUT" -> BIND;
                    case "GET" -> FETCH_BINDING;
                    case "DELETE" -> UNBIND;
                    default -> UNKNOWN;
                };
            }
            return new Route(endpoint, binding.group(1), binding.group(2));
        }
        Matcher instance = INSTANCE_PATH.matcher(path);
        if (instance.matches()) {
            OsbEndpoint endpoint;
            if (instance.group(2) != null) {
                endpoint = method.equals("GET") ? INSTANCE_LAST_OPERATION : UNKNOWN;
            } else {
                endpoint = switch (method) {
                    case "PUT" -> PROVISION;
                    case "PATCH" -> UPDATE;
                    case "GET" -> FETCH_INSTANCE;
                    case "DELETE" -> DEPROVISION;
                    default -> UNKNOWN;
                };
            }
            return new Route(endpoint, instance.group(1), null);
        }
        return new Route(UNKNOWN, null, null);
    }
}
