package org.paasta.servicepack.redis;

import java.net.URI;
import org.paasta.servicepack.sdk.Credentials;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** How an application connects with a binding's credentials: by the separate fields, or by the uri alone. */
final class AppClients {
    private AppClients() {
    }

    static Jedis byFields(Credentials credentials) {
        return new Jedis(new HostAndPort(credentials.getString("host"), (Integer) credentials.get("port")),
                DefaultJedisClientConfig.builder()
                        .user(credentials.getString("username"))
                        .password(credentials.getString("password"))
                        .connectionTimeoutMillis(2000)
                        .socketTimeoutMillis(2000)
                        .build());
    }

    static Jedis byUri(Credentials credentials) {
        return new Jedis(URI.create(credentials.getString("uri")), 2000);
    }
}
