package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.paasta.servicepack.cli.LocalState.BindingRecord;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;

/**
 * {@code VCAP_SERVICES} as Cloud Foundry's Cloud Controller builds it for a broker service: one
 * array per service label, each entry made from the instance, the binding and the bind response,
 * with the fields in Cloud Controller's order. java-cfenv and Spring apps read exactly this.
 */
final class VcapServices {
    private final ObjectMapper json;
    private final ObjectNode services;

    VcapServices(ObjectMapper json) {
        this.json = json;
        this.services = json.createObjectNode();
    }

    /**
     * Adds one binding.
     *
     * @param bindResponse the body of the bind (or GET binding) response: {@code credentials},
     *                     {@code syslog_drain_url}, {@code volume_mounts}
     */
    VcapServices add(ServiceRecord service, BindingRecord binding, JsonNode bindResponse) {
        ObjectNode entry = json.createObjectNode();
        entry.put("label", service.serviceName());
        entry.putNull("provider");
        entry.put("plan", service.planName());
        entry.put("name", service.name());
        ArrayNode tags = entry.putArray("tags");
        service.tags().forEach(tags::add);
        entry.put("instance_guid", service.instanceId());
        entry.put("instance_name", service.name());
        entry.put("binding_guid", binding.bindingId());
        if (binding.bindingName() == null) {
            entry.putNull("binding_name");
        } else {
            entry.put("binding_name", binding.bindingName());
        }
        JsonNode credentials = bindResponse.get("credentials");
        entry.set("credentials", credentials != null && credentials.isObject() ? credentials : json.createObjectNode());
        JsonNode syslog = bindResponse.get("syslog_drain_url");
        if (syslog != null && syslog.isTextual()) {
            entry.put("syslog_drain_url", syslog.asText());
        } else {
            entry.putNull("syslog_drain_url");
        }
        JsonNode mounts = bindResponse.get("volume_mounts");
        entry.set("volume_mounts", mounts != null && mounts.isArray() ? mounts : json.createArrayNode());
        ArrayNode label = services.has(service.serviceName())
                ? (ArrayNode) services.get(service.serviceName())
                : services.putArray(service.serviceName());
        label.add(entry);
        return this;
    }

    ObjectNode json() {
        return services;
    }
}
