package org.paasta.servicepack.sdk.dashboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.paasta.servicepack.sdk.broker.DashboardLinks;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code https://<public base>/dashboard/instances/<instance_id>?token=<signed token>}, signed anew
 * for each response. The public base is {@code servicepack.dashboard.base-url}, or else where the
 * platform reached the broker (what its OSB request says: scheme, host, port, context path).
 */
public final class SignedDashboardLinks implements DashboardLinks {
    static final String PATH = "/dashboard/instances/";

    private final String baseUrl;
    private final DashboardTokens tokens;
    private final Duration ttl;
    private final Clock clock;

    /** @param baseUrl the configured public base, or null to take it from each request */
    public SignedDashboardLinks(String baseUrl, DashboardTokens tokens, Duration ttl, Clock clock) {
        this.baseUrl = baseUrl == null ? null : checkedBase(baseUrl);
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("servicepack.dashboard.token-ttl must be positive, e.g. 90d");
        }
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public String linkFor(InstanceRecord instance) {
        String base = baseUrl != null ? baseUrl : requestBase();
        if (base == null) {
            return null;
        }
        Instant expiresAt = clock.instant().plus(ttl);
        return base + PATH + URLEncoder.encode(instance.instanceId(), StandardCharsets.UTF_8)
                + "?token=" + tokens.sign(instance.instanceId(), instance.createdAt(), expiresAt);
    }

    /** The configured base, or null when links follow each request. */
    public String configuredBase() {
        return baseUrl;
    }

    private static String requestBase() {
        if (RequestContextHolder.getRequestAttributes() == null) {
            return null;
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().replaceQuery(null).build().toUriString();
    }

    /** An absolute http(s) URL without query or fragment, without its trailing slash. */
    public static String checkedBase(String configured) {
        String trimmed = configured.trim();
        try {
            URI uri = new URI(trimmed);
            boolean web = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("servicepack.dashboard.base-url must be the broker's public http(s) URL "
                    + "as browsers reach it, e.g. https://mysql-broker.example.com (no query); got '" + trimmed + "'");
        }
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
