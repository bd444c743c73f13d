package org.paasta.servicepack.sdk.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Fields of OSB v2.16/2.17 that SCOSB's response classes cannot carry (binding
 * {@code metadata.renew_before}, instance {@code maintenance_info} and {@code metadata} on fetch),
 * parked on the request and merged into the JSON body by {@link OsbResponseAdvice}.
 */
final class ResponseExtras {
    static final String ATTRIBUTE = ResponseExtras.class.getName();

    private ResponseExtras() {
    }

    /** Adds {@code value} at a dotted path such as {@code metadata.renew_before}. */
    @SuppressWarnings("unchecked")
    static void put(String path, Object value) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null || value == null) {
            return;
        }
        Map<String, Object> extras = (Map<String, Object>) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (extras == null) {
            extras = new LinkedHashMap<>();
            attributes.setAttribute(ATTRIBUTE, extras, RequestAttributes.SCOPE_REQUEST);
        }
        extras.put(path, value);
    }
}
