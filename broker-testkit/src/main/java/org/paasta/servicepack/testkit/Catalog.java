package org.paasta.servicepack.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * The running broker's catalog, read as a platform reads it, so tests name services and plans as
 * operators do ({@code Mysql-DB}, {@code Mysql-Plan1-10con}) instead of pasting their GUIDs.
 */
public final class Catalog {
    private final JsonNode body;

    private Catalog(JsonNode body) {
        this.body = body;
    }

    public static Catalog of(OsbClient client) {
        OsbResponse catalog = client.catalog();
        if (catalog.status() != 200) {
            throw new IllegalStateException("the broker's catalog answered " + catalog);
        }
        return new Catalog(catalog.body());
    }

    public String serviceId(String serviceName) {
        return service(serviceName).path("id").asText();
    }

    public String planId(String serviceName, String planName) {
        for (JsonNode plan : service(serviceName).path("plans")) {
            if (plan.path("name").asText().equals(planName)) {
                return plan.path("id").asText();
            }
        }
        throw new IllegalArgumentException("service " + serviceName + " has no plan " + planName);
    }

    /** The whole catalog as the broker answered it. */
    public JsonNode body() {
        return body;
    }

    private JsonNode service(String serviceName) {
        for (JsonNode service : body.path("services")) {
            if (service.path("name").asText().equals(serviceName)) {
                return service;
            }
        }
        throw new IllegalArgumentException("the catalog has no service " + serviceName);
    }

    /** A fresh instance or binding id, as platforms make them. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
