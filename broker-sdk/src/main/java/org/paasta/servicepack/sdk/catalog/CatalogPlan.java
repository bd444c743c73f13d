package org.paasta.servicepack.sdk.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;

/**
 * One plan of the catalog with the offering-level settings it inherits already resolved.
 *
 * @param source                 the file it came from, for error messages
 * @param limits                 the raw {@code limits} node, bound to the broker's type at startup
 * @param instanceCreateSchema   compiled {@code schemas.service_instance.create.parameters}, or null
 * @param instanceUpdateSchema   compiled {@code schemas.service_instance.update.parameters}, or null
 * @param bindingCreateSchema    compiled {@code schemas.service_binding.create.parameters}, or null
 */
public record CatalogPlan(String source, String serviceId, String serviceName, String id, String name,
                          boolean bindable, boolean planUpdateable, boolean bindingRotatable,
                          boolean instancesRetrievable, boolean bindingsRetrievable, boolean allowContextUpdates,
                          String maintenanceVersion, String maintenanceDescription, JsonNode limits,
                          JsonSchema instanceCreateSchema, JsonSchema instanceUpdateSchema,
                          JsonSchema bindingCreateSchema) {
}
