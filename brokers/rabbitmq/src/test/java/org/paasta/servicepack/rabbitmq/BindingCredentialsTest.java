package org.paasta.servicepack.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.paasta.servicepack.sdk.Credentials;

/** The credentials' exact shape, against golden files in the multitenant broker's format. */
class BindingCredentialsTest {
    private static final String VHOST = "si-564da46b-e087-479f-ab63-5cf2aae0d098";
    private static final String USER = "sb-ce294862-03cc-4f4e-a6a8-69cb36e4f96e";
    private static final String PASSWORD = "2143rkcobrqhdej1ke5ds5p8u6";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void twoNodesWithEveryPlainProtocol() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("amqp", 5672);
        ports.put("management", 15672);
        ports.put("mqtt", 1883);
        ports.put("stomp", 61613);
        BindingCredentials.Endpoints endpoints = new BindingCredentials.Endpoints(List.of("10.0.4.100", "10.0.4.101"),
                false, URI.create("https://rabbitmq.sys.example.com"), "https://rabbitmq.sys.example.com");

        Credentials credentials = BindingCredentials.build(endpoints, ports, VHOST, USER, PASSWORD);

        assertThat((JsonNode) json.valueToTree(credentials.asMap())).isEqualTo(golden("binding_no_tls.json"));
    }

    @Test
    void tlsWithANonDefaultPortKeepsThePortInTheUri() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("amqp+ssl", 5999);
        ports.put("management+ssl", 15671);
        BindingCredentials.Endpoints endpoints = new BindingCredentials.Endpoints(List.of("rabbit.internal"), true,
                URI.create("https://rabbitmq.sys.example.com/"), "https://rabbitmq.sys.example.com/#/");

        Credentials credentials = BindingCredentials.build(endpoints, ports, VHOST, USER, PASSWORD);

        assertThat((JsonNode) json.valueToTree(credentials.asMap())).isEqualTo(golden("binding_tls.json"));
    }

    /** Nodes on ports of their own: each uri dials its node's port; java-cfenv joins uris into spring.rabbitmq.addresses. */
    @Test
    void nodesOnTheirOwnPortsGetAUriEach() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("amqp", 5701);
        ports.put("management", 15701);
        BindingCredentials.Endpoints endpoints = new BindingCredentials.Endpoints(
                List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5672"), false,
                URI.create("http://127.0.0.1:15701"), "http://127.0.0.1:15701");

        Credentials credentials = BindingCredentials.build(endpoints, ports, VHOST, USER, PASSWORD);

        String prefix = "amqp://" + USER + ":" + PASSWORD + "@127.0.0.1";
        assertThat(credentials.get("uris")).isEqualTo(List.of(prefix + ":5701/" + VHOST, prefix + ":5702/" + VHOST,
                prefix + "/" + VHOST));
        assertThat(credentials.getString("hostname")).isEqualTo("127.0.0.1");
        assertThat(credentials.get("hostnames")).isEqualTo(List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> protocols = (Map<String, Map<String, Object>>) credentials.get("protocols");
        assertThat(protocols.get("amqp")).containsEntry("port", 5701).containsEntry("uris",
                List.of(prefix + ":5701/" + VHOST, prefix + ":5702/" + VHOST, prefix + ":5672/" + VHOST));
        // A node's own port is its AMQP port only; the other protocols keep their listeners' ports.
        assertThat(protocols.get("management")).containsEntry("port", 15701);
        assertThat((List<?>) protocols.get("management").get("uris")).allSatisfy(uri -> assertThat((String) uri)
                .contains("@127.0.0.1:15701/api/"));
    }

    @Test
    void toStringNamesFieldsButNotTheirValues() {
        Credentials credentials = BindingCredentials.build(LocalRabbitmq.endpoints(), Map.of("amqp", 5672), VHOST, USER,
                PASSWORD);
        assertThat(credentials.toString()).doesNotContain(PASSWORD).contains("uri");
    }

    private JsonNode golden(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            return json.readTree(in);
        }
    }
}
