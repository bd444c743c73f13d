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

    public static OsbEndpoint of(String method, String path) {
        if (CATALOG_PATH.matcher(path).matches()) {
            return method.equals("GET") ? CATALOG : UNKNOWN;
        }
        Matcher binding = BINDING_PATH.matcher(path);
        if (binding.matches()) {
            if (binding.group(3) != null) {
                return method.equals("GET") ? BINDING_LAST_OPERATION : UNKNOWN;
            }
            return switch (method) {
                case "PUT" -> BIND;
                case "GET" -> FETCH_BINDING;
                case "DELETE" -> UNBIND;
                default -> UNKNOWN;
            };
        }
        Matcher instance = INSTANCE_PATH.matcher(path);
        if (instance.matches()) {
            if (instance.group(2) != null) {
                return method.equals("GET") ? INSTANCE_LAST_OPERATION : UNKNOWN;
            }
            return switch (method) {
                case "PUT" -> PROVISION;
                case "PATCH" -> UPDATE;
                case "GET" -> FETCH_INSTANCE;
                case "DELETE" -> DEPROVISION;
                default -> UNKNOWN;
            };
        }
        return UNKNOWN;
    }

    /** The raw (still percent-encoded) instance and binding ids in a path; absent ones are null. */
    public static String[] rawIds(String path) {
        Matcher binding = BINDING_PATH.matcher(path);
        if (binding.matches()) {
            return new String[] {binding.group(1), binding.group(2)};
        }
        Matcher instance = INSTANCE_PATH.matcher(path);
        if (instance.matches()) {
            return new String[] {instance.group(1), null};
        }
        return new String[] {null, null};
    }
}
