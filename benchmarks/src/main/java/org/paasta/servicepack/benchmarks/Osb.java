package org.paasta.servicepack.benchmarks;

import java.util.UUID;

/** The OSB requests the benchmark sends, for the first plan of catalog/mysql.yml. */
final class Osb {
    static final String SERVICE_ID = "96b9e707-0e2b-47e3-a21a-fd01a8eb0452";
    static final String PLAN_ID = "411d0c3e-b086-4a24-b041-0aeef1a819d1";
    private static final String QUERY = "?service_id=" + SERVICE_ID + "&plan_id=" + PLAN_ID;

    private Osb() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Without accepts_incomplete: the broker answers when the database exists, so one request is the whole operation. */
    static HttpConnection.Response provision(HttpConnection http, String instanceId) {
        return http.put("/v2/service_instances/" + instanceId, "{\"service_id\":\"" + SERVICE_ID
                + "\",\"plan_id\":\"" + PLAN_ID + "\",\"organization_guid\":\"bench-org\",\"space_guid\":\"bench-space\","
                + "\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"bench-org\","
                + "\"space_guid\":\"bench-space\"}}");
    }

    static HttpConnection.Response bind(HttpConnection http, String instanceId, String bindingId) {
        return http.put("/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId,
                "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + PLAN_ID + "\",\"app_guid\":\"bench-app\","
                        + "\"bind_resource\":{\"app_guid\":\"bench-app\"}}");
    }

    static HttpConnection.Response unbind(HttpConnection http, String instanceId, String bindingId) {
        return http.delete("/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId + QUERY);
    }

    static HttpConnection.Response deprovision(HttpConnection http, String instanceId) {
        return http.delete("/v2/service_instances/" + instanceId + QUERY);
    }

    static HttpConnection.Response lastOperation(HttpConnection http, String instanceId) {
        return http.get("/v2/service_instances/" + instanceId + "/last_operation");
    }

    static HttpConnection.Response catalog(HttpConnection http) {
        return http.get("/v2/catalog");
    }
}
