package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Keeps {@code predecessor_binding_id} (v2.17 binding rotation), which SCOSB's bind request
 * silently drops, on the request for the SDK's binding service.
 */
@ControllerAdvice
public class PredecessorCapture extends RequestBodyAdviceAdapter {
    static final String ATTRIBUTE = PredecessorCapture.class.getName();

    private final ObjectMapper json;

    public PredecessorCapture(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == CreateServiceInstanceBindingRequest.class;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body = input.getBody().readAllBytes();
        try {
            JsonNode tree = json.readTree(body);
            JsonNode predecessor = tree == null ? null : tree.path("predecessor_binding_id");
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            if (predecessor != null && predecessor.isTextual() && attributes != null) {
                attributes.setAttribute(ATTRIBUTE, predecessor.asText(), RequestAttributes.SCOPE_REQUEST);
            }
        } catch (IOException malformed) {
            // The converter reads the same bytes next and reports the malformed JSON as a 400.
        }
        HttpHeaders headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    static String current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null ? null : (String) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }
}
