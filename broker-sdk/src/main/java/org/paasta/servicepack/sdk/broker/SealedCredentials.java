package org.paasta.servicepack.sdk.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.secrets.SecretBox;

/** A binding's credentials as the store keeps them: JSON sealed with the secrets key. */
final class SealedCredentials {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final SecretBox secrets;
    private final ObjectMapper json;

    SealedCredentials(SecretBox secrets, ObjectMapper json) {
        this.secrets = secrets;
        this.json = json;
    }

    String seal(Credentials credentials) {
        try {
            return secrets.seal(json.writeValueAsString(credentials.asMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("credentials are not JSON-serializable");
        }
    }

    Credentials open(String sealed) {
        try {
            return Credentials.of(json.readValue(secrets.open(sealed), MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored credentials of a binding are not readable");
        }
    }
}
