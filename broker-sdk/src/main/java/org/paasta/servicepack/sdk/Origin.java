package org.paasta.servicepack.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who asked and from where: the platform's context object (org/space or namespace, instance name)
 * and the decoded {@code X-Broker-API-Originating-Identity} header. Recorded with every operation.
 *
 * @param platform            {@code cloudfoundry}, {@code kubernetes}, ... or null when not sent
 * @param context             the context object's properties, without {@code platform}
 * @param originatingIdentity the decoded identity properties (e.g. {@code user_id}), or empty
 * @param requestIdentity     the {@code X-Broker-API-Request-Identity} value, or null
 */
public record Origin(String platform, Map<String, Object> context, Map<String, Object> originatingIdentity,
                     String requestIdentity) {
    public static final Origin NONE = new Origin(null, Map.of(), Map.of(), null);

    public Origin {
        context = context == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(context));
        originatingIdentity = originatingIdentity == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(originatingIdentity));
    }
}
