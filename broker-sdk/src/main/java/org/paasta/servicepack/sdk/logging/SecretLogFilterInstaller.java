package org.paasta.servicepack.sdk.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Installs {@link SecretLogFilter} right after Spring Boot has set up logging, with every secret
 * the configuration holds: values of settings whose name says password, secret, key or token, the
 * password part of any URI setting ({@code mongodb://broker:pw@...}), and the broker's basic-auth
 * header. A later start in the same JVM (tests) replaces the filter of the earlier one.
 */
public final class SecretLogFilterInstaller implements ApplicationListener<SpringApplicationEvent>, Ordered {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|key|token).*");
    private static final Pattern URI_PASSWORD = Pattern.compile("//[^/:@\\s]*:([^@/\\s]+)@");
    /** Shorter values (a port, "true", an empty password) would hide harmless lines, and are no secret. */
    private static final int SHORTEST_SECRET = 6;

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    /**
     * Once logging is set up, and again when the context is prepared: initializers (a test's
     * dynamic properties, a config server client) may add settings after the environment event.
     */
    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            install(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent context) {
            install(context.getApplicationContext().getEnvironment());
        }
    }

    private static void install(ConfigurableEnvironment environment) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext logback)) {
            return;
        }
        List<String> secrets = secretsOf(environment);
        logback.getTurboFilterList().removeIf(filter -> SecretLogFilter.NAME.equals(filter.getName()));
        if (!secrets.isEmpty()) {
            TurboFilter filter = new SecretLogFilter(secrets);
            filter.setContext(logback);
            filter.start();
            logback.addTurboFilter(filter);
        }
    }

    static List<String> secretsOf(ConfigurableEnvironment environment) {
        Set<String> secrets = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                String value = valueOf(environment, name);
                if (value == null) {
                    continue;
                }
                if (SECRET_NAME.matcher(name).matches()) {
                    addForms(secrets, value);
                }
                Matcher uri = URI_PASSWORD.matcher(value);
                while (uri.find()) {
                    addForms(secrets, URLDecoder.decode(uri.group(1), StandardCharsets.UTF_8));
                }
            }
        }
        String username = valueOf(environment, "servicepack.security.username");
        String password = valueOf(environment, "servicepack.security.password");
        if (username != null && password != null && password.length() >= SHORTEST_SECRET) {
            secrets.add(Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return List.copyOf(secrets);
    }

    /** The value, and how it looks URL-encoded in a query string or URI. */
    private static void addForms(Set<String> secrets, String value) {
        if (value.length() < SHORTEST_SECRET) {
            return;
        }
        secrets.add(value);
        secrets.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String valueOf(ConfigurableEnvironment environment, String name) {
        try {
            return environment.getProperty(name);
        } catch (RuntimeException unresolvable) {
            return null;
        }
    }
}
