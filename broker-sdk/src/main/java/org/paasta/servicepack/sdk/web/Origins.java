package org.paasta.servicepack.sdk.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.paasta.servicepack.sdk.Origin;
import org.springframework.cloud.servicebroker.model.CloudFoundryContext;
import org.springframework.cloud.servicebroker.model.Context;
import org.springframework.cloud.servicebroker.model.KubernetesContext;
import org.springframework.cloud.servicebroker.model.ServiceBrokerRequest;

/** Reads the platform context and identities of a SCOSB request into the SDK's {@link Origin}. */
final class Origins {
    private static final java.util.regex.Pattern CAMEL_HUMP = java.util.regex.Pattern.compile("([a-z0-9])([A-Z])");
    private Origins() {
    }

    static Origin of(ServiceBrokerRequest request, Context context) {
        Context identity = request.getOriginatingIdentity();
        String platform = context != null ? context.getPlatform()
                : identity != null ? identity.getPlatform() : null;
        return new Origin(platform, properties(context), properties(identity), request.getRequestIdentity());
    }

    /**
     * The context as the platform sent it: SCOSB keeps the Cloud Foundry and Kubernetes profiles'
     * fields under camelCase names ({@code organizationGuid}), the wire and the spec use snake_case.
     */
    private static Map<String, Object> properties(Context context) {
        if (context == null) {
            return Map.of();
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (context.getPlatform() != null) {
            properties.put(Context.PLATFORM_KEY, context.getPlatform());
        }
        boolean profile = context instanceof CloudFoundryContext || context instanceof KubernetesContext;
        context.getProperties().forEach((key, value) -> properties.put(profile ? snakeCase(key) : key, value));
        return properties;
    }

    private static String snakeCase(String camelCase) {
        return CAMEL_HUMP.matcher(camelCase).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
