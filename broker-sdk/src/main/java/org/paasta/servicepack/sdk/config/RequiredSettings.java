package org.paasta.servicepack.sdk.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Checks every required setting before anything starts, so a broker missing three settings says
 * so once, naming all three and their environment variables, instead of failing on the first deep
 * inside a web server start. The SDK and each broker declare theirs in
 * {@code META-INF/servicepack/required-settings.properties}:
 * {@code property=VARIABLE|purpose[|minimum length]}.
 */
public final class RequiredSettings implements ApplicationListener<ApplicationPreparedEvent> {
    static final String LOCATION = "classpath*:META-INF/servicepack/required-settings.properties";

    /** After every initializer (a test's dynamic properties included) has added its settings. */
    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        check(event.getApplicationContext().getEnvironment());
    }

    static void check(Environment environment) {
        if (!isBroker(environment)) {
            return;
        }
        List<MissingSettingException.Setting> missing = new ArrayList<>();
        Properties declared = declared();
        for (String property : new TreeSet<>(declared.stringPropertyNames())) {
            String[] parts = declared.getProperty(property).split("\\|");
            int minimum = parts.length > 2 ? Integer.parseInt(parts[2].trim()) : 1;
            String value = environment.getProperty(property);
            if (value == null || value.isBlank() || value.length() < minimum) {
                missing.add(new MissingSettingException.Setting(property, parts[0].trim(), parts[1].trim()));
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingException(missing);
        }
    }

    /** An application with the SDK on its class path is a broker once it names a catalog. */
    private static boolean isBroker(Environment environment) {
        return environment.containsProperty("servicepack.catalog.files")
                || environment.containsProperty("servicepack.catalog.files[0]");
    }

    private static Properties declared() {
        Properties all = new Properties();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                try (InputStream in = resource.getInputStream()) {
                    all.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
