package org.paasta.servicepack.sdk.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.paasta.servicepack.sdk.Origin;
import org.springframework.cloud.servicebroker.model.Context;
import org.springframework.cloud.servicebroker.model.ServiceBrokerRequest;

/** Reads the platform context and identities of a SCOSB request into the SDK's {@link Origin}. */
final class Origins {
    private Origins() {
    }

    static Origin of(ServiceBrokerRequest request, Context context) {
        Context identity = request.getOriginatingIdentity();
        String platform = context != null ? context.getPlatform()
                : identity != null ? identity.getPlatform() : null;
        return new Origin(platform, properties(context), properties(identity), request.getRequestIdentity());
    }

    private static Map<String, Object> properties(Context context) {
        if (context == null) {
            return Map.of();
        }
        return new LinkedHashMap<>(context.getProperties());
    }
}
