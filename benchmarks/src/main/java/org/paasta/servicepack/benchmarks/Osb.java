package org.paasta.servicepack.benchmarks;

import java.util.UUID;

/**
 * The OSB requests the benchmark sends. Without a {@link Plan}, for the first plan of
 * catalog/mysql.yml (the MySQL broker and the bare SCOSB baselines, which serve that catalog).
 */
final class Osb {
    /** A service and plan of one broker's catalog (catalog/*.yml). */
    record Plan(String serviceId, String planId) {
        String query() {
            return "?service_id=" + serviceId + "&plan_id=" + planId;
        }
    }

    static final Plan MYSQL = new Plan("96b9e707-0e2b-47e3-a21a-fd01a8eb0452", "411d0c3e-b086-4a24-b041-0aeef1a819d1");
    /** catalog/redis.yml, plan shared-vm. */
    static final Plan REDIS_SHARED_VM = new Plan("7aba7e52-f61b-4263-9de1-14e9d11fb67d",
            "78bf886c-bc50-4f31-a03c-cb786a158286");
    /** catalog/redis.yml, plan dedicated-vm. */
    static final Plan REDIS_DEDICATED_VM = new Plan("7aba7e52-f61b-4263-9de1-14e9d11fb67d",
            "48b35349-d3de-4e19-bc4a-66996ae07766");
    /** catalog/rabbitmq.yml, plan standard. */
    static final Plan RABBITMQ = new Plan("568725FD-AD46-44CA-9853-621416E983A4", "22F0B28C-B886-4123-B01B-95E54D3DE6DA");
    /** catalog/mongodb.yml, plan default-plan (PaaS-TA's ids equal the names). */
    static final Plan MONGODB = new Plan("Mongo-DB", "default-plan");

    static final String SERVICE_ID = MYSQL.serviceId();
    static final String PLAN_ID = MYSQL.planId();

    private Osb() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Without accepts_incomplete: the broker answers when the database exists, so one request is the whole operation. */
    static HttpConnection.Response provision(HttpConnection http, String instanceId) {
        return provision(http, MYSQL, instanceId);
    }

    static HttpConnection.Response provision(HttpConnection http, Plan plan, String instanceId) {
        return http.put("/v2/service_instances/" + instanceId, "{\"service_id\":\"" + plan.serviceId()
                + "\",\"plan_id\":\"" + plan.planId() + "\",\"organization_guid\":\"bench-org\",\"space_guid\":\"bench-space\","
                + "\"context\":{\"platform\":\"cloudfoundry\",\"organization_guid\":\"bench-org\","
                + "\"space_guid\":\"bench-space\"}}");
    }

    static HttpConnection.Response bind(HttpConnection http, String instanceId, String bindingId) {
        return bind(http, MYSQL, instanceId, bindingId);
    }

    static HttpConnection.Response bind(HttpConnection http, Plan plan, String instanceId, String bindingId) {
        return http.put("/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId,
                "{\"service_id\":\"" + plan.serviceId() + "\",\"plan_id\":\"" + plan.planId() + "\",\"app_guid\":\"bench-app\","
                        + "\"bind_resource\":{\"app_guid\":\"bench-app\"}}");
    }

    static HttpConnection.Response unbind(HttpConnection http, String instanceId, String bindingId) {
        return unbind(http, MYSQL, instanceId, bindingId);
    }

    static HttpConnection.Response unbind(HttpConnection http, Plan plan, String instanceId, String bindingId) {
        return http.delete("/v2/service_instances/" + instanceId + "/service_bindings/" + bindingId + plan.query());
    }

    static HttpConnection.Response deprovision(HttpConnection http, String instanceId) {
        return deprovision(http, MYSQL, instanceId);
    }

    static HttpConnection.Response deprovision(HttpConnection http, Plan plan, String instanceId) {
        return http.delete("/v2/service_instances/" + instanceId + plan.query());
    }

    static HttpConnection.Response lastOperation(HttpConnection http, String instanceId) {
        return http.get("/v2/service_instances/" + instanceId + "/last_operation");
    }

    static HttpConnection.Response catalog(HttpConnection http) {
        return http.get("/v2/catalog");
    }
}
