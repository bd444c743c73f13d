package org.paasta.servicepack.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.paasta.servicepack.cli.CliConfig.PlatformSettings;

/**
 * Who the CLI says it is: the platform profile of the OSB spec it plays (Cloud Foundry or
 * Kubernetes), the {@code context} object of every request and the
 * {@code X-Broker-API-Originating-Identity} header.
 */
final class PlatformIdentity {
    enum Kind {
        CLOUDFOUNDRY("cloudfoundry"),
        KUBERNETES("kubernetes");

        final String wire;

        Kind(String wire) {
            this.wire = wire;
        }
    }

    private final Kind kind;
    private final PlatformSettings settings;
    private final String user;
    private final ObjectMapper json;

    PlatformIdentity(Kind kind, PlatformSettings settings, String localUser, ObjectMapper json) {
        this.kind = kind;
        this.settings = settings;
        this.user = settings.user() != null ? settings.user() : localUser;
        this.json = json;
    }

    String organizationGuid() {
        return settings.organizationGuid();
    }

    String spaceGuid() {
        return settings.spaceGuid();
    }

    /** {@code <platform> <base64 of the identity JSON>}, as the spec's platform profiles define it. */
    String originatingIdentity() {
        ObjectNode identity = json.createObjectNode();
        if (kind == Kind.KUBERNETES) {
            identity.put("username", user);
            identity.put("uid", "");
            identity.putArray("groups");
        } else {
            identity.put("user_id", user);
        }
        String encoded = Base64.getEncoder().encodeToString(identity.toString().getBytes(StandardCharsets.UTF_8));
        return kind.wire + " " + encoded;
    }

    /** The {@code context} object; {@code instanceName} may be null (bindings). */
    ObjectNode context(String instanceName) {
        ObjectNode context = json.createObjectNode();
        context.put("platform", kind.wire);
        if (kind == Kind.KUBERNETES) {
            context.put("namespace", settings.namespace());
            context.put("clusterid", settings.clusterId());
        } else {
            context.put("organization_guid", settings.organizationGuid());
            context.put("organization_name", settings.organizationName());
            context.put("space_guid", settings.spaceGuid());
            context.put("space_name", settings.spaceName());
        }
        if (instanceName != null) {
            context.put("instance_name", instanceName);
        }
        return context;
    }
}
