package org.paasta.servicepack.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.UUID;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** What an app does with VCAP_SERVICES credentials, for the HTTP tests. */
final class RedisCredentialChecks {
    private RedisCredentialChecks() {
    }

    static Jedis byFields(JsonNode credentials) {
        return new Jedis(new HostAndPort(credentials.path("host").asText(), credentials.path("port").asInt()),
                DefaultJedisClientConfig.builder()
                        .user(credentials.path("username").asText())
                        .password(credentials.path("password").asText())
                        .connectionTimeoutMillis(2000).socketTimeoutMillis(2000).build());
    }

    static Jedis byUri(JsonNode credentials) {
        return new Jedis(URI.create(credentials.path("uri").asText()), 2000);
    }

    /**
     * {@code host}, {@code port} and {@code password} with no user name, as java-cfenv configures a
     * Spring Boot app: the client logs in as {@code default}.
     */
    static Jedis passwordOnly(JsonNode credentials) {
        return new Jedis(new HostAndPort(credentials.path("host").asText(), credentials.path("port").asInt()),
                DefaultJedisClientConfig.builder()
                        .password(credentials.path("password").asText())
                        .connectionTimeoutMillis(2000).socketTimeoutMillis(2000).build());
    }

    /**
     * Writes with the separate fields, reads back with a client built from the uri alone and with
     * one that gives the password only.
     */
    static void assertWork(JsonNode credentials) {
        assertThat(credentials.path("hostname").asText()).isEqualTo(credentials.path("host").asText());
        String key = "key-" + UUID.randomUUID();
        try (Jedis fields = byFields(credentials); Jedis uri = byUri(credentials);
             Jedis passwordOnly = passwordOnly(credentials)) {
            fields.set(key, "value");
            assertThat(uri.get(key)).isEqualTo("value");
            assertThat(uri.aclWhoAmI()).isEqualTo(credentials.path("username").asText());
            assertThat(passwordOnly.get(key)).isEqualTo("value");
            assertThat(passwordOnly.aclWhoAmI()).isEqualTo("default");
            uri.del(key);
        }
    }

    static void assertRefused(JsonNode credentials) {
        assertThatThrownBy(() -> byFields(credentials).ping()).isInstanceOf(JedisAccessControlException.class)
                .hasMessageContaining("WRONGPASS");
        assertThatThrownBy(() -> byUri(credentials).ping()).isInstanceOf(JedisAccessControlException.class);
        assertThatThrownBy(() -> passwordOnly(credentials).ping()).as("password only")
                .isInstanceOf(JedisAccessControlException.class).hasMessageContaining("WRONGPASS");
    }
}
