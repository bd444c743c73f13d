package org.paasta.servicepack.redis;

import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Where and as whom the broker logs in to one redis-server. {@link #toString()} leaves the password
 * out, so a login can be logged.
 */
record RedisLogin(String host, int port, String user, String password) {
    /** What CLIENT LIST shows for the broker's own connections. */
    static final String CLIENT_NAME = "servicepack-broker";

    /**
     * A new connection of its own, for what must prove the login works now; the caller closes it.
     * Steps that only need to act on the server borrow one from {@link AdminConnections}.
     */
    Jedis connect(Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        return new Jedis(new HostAndPort(host, port), DefaultJedisClientConfig.builder()
                .user(user)
                .password(password)
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName(CLIENT_NAME)
                .build());
    }

    RedisLogin withPassword(String user, String password) {
        return new RedisLogin(host, port, user, password);
    }

    String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return user + "@" + address() + " (password redacted)";
    }
}
