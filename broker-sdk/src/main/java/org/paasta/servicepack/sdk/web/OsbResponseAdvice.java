package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Completes SCOSB's responses with the {@link ResponseExtras} fields, what v2.15-v2.17 added that
 * SCOSB's response models cannot carry.
 */
@ControllerAdvice
public class OsbResponseAdvice implements ResponseBodyAdvice<Object> {
    private final ObjectMapper json;

    public OsbResponseAdvice(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (!(request instanceof ServletServerHttpRequest servlet) || body == null) {
            return body;
        }
        Object extras = servlet.getServletRequest().getAttribute(ResponseExtras.ATTRIBUTE);
        if (!(extras instanceof Map<?, ?> fields) || fields.isEmpty()) {
            return body;
        }
        JsonNode tree = json.valueToTree(body);
        if (!(tree instanceof ObjectNode root)) {
            return body;
        }
        ((Map<String, Object>) fields).forEach((path, value) -> {
            ObjectNode node = root;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) && node.get(parts[i]).isObject()
                        ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
            node.set(parts[parts.length - 1], json.valueToTree(value));
        });
        return root;
    }
}
