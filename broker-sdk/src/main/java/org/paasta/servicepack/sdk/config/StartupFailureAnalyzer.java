package org.paasta.servicepack.sdk.config;

import org.paasta.servicepack.sdk.catalog.CatalogException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;

/** Explains a broker that cannot start: a missing setting or a broken catalog, without a stack trace wall. */
public class StartupFailureAnalyzer extends AbstractFailureAnalyzer<RuntimeException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RuntimeException cause) {
        Throwable t = rootFailure;
        while (t != null) {
            if (t instanceof MissingSettingException missing) {
                StringBuilder description = new StringBuilder("The broker cannot start: these settings are missing or invalid:");
                for (MissingSettingException.Setting setting : missing.settings()) {
                    description.append("\n  - ").append(setting.line());
                }
                return new FailureAnalysis(description.toString(), "Export "
                        + String.join(", ", missing.settings().stream().map(MissingSettingException.Setting::variable)
                        .toList()) + " (or set the properties in application.yml), then start again. For a demo on"
                        + " your own machine only: --spring.profiles.active=dev.", missing);
            }
            if (t instanceof CatalogException catalog) {
                return new FailureAnalysis(catalog.getMessage(), "Fix the catalog file(s) named above.", catalog);
            }
            t = t.getCause();
        }
        return null;
    }
}
