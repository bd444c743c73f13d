package org.paasta.servicepack.sdk.observability;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The hosts apps are given in their credentials. A loopback address there means apps on any other
 * machine get credentials they can never use: outside the dev profile the broker says so loudly at
 * start, and in its health details (status stays UP: the broker itself works).
 */
public final class AdvertisedHosts implements HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(AdvertisedHosts.class);

    private final List<String> hosts;
    private final List<String> loopback;
    private final boolean devProfile;

    public AdvertisedHosts(List<String> hosts, boolean devProfile) {
        this.hosts = List.copyOf(hosts);
        this.loopback = hosts.stream().filter(AdvertisedHosts::isLoopback).toList();
        this.devProfile = devProfile;
    }

    /** Logged once at start when apps would be handed a loopback address. */
    public void warnIfLoopback() {
        if (loopback.isEmpty() || devProfile) {
            return;
        }
        LOG.warn("""

                ****************************************************************************
                *  LOOPBACK ADDRESS IN CREDENTIALS: apps will be told to connect to {}
                *  Only an app on this very machine can use that. Set the address apps
                *  reach the backend at (see the broker's README: MYSQL_HOST,
                *  REDIS_SHARED_HOST, RABBITMQ_HOSTNAMES, ...) before registering this
                *  broker with a platform.
                ****************************************************************************""",
                String.join(", ", loopback));
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("hosts", hosts);
        if (!loopback.isEmpty()) {
            health.withDetail("warning", "apps are given loopback addresses " + loopback
                    + ": only apps on the broker's own machine can reach them");
        }
        return health.build();
    }

    /** A loopback name or address, e.g. 127.0.0.1, ::1, localhost. */
    public static boolean isLoopback(String host) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (name.equalsIgnoreCase("localhost") || name.toLowerCase().endsWith(".localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: resolving it here says nothing about what apps resolve
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
