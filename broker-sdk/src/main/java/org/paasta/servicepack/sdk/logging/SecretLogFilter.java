package org.paasta.servicepack.sdk.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops every log event whose text carries one of the operator's secrets (broker password, its
 * basic-auth header, the secrets key, backend admin passwords), whatever logger writes it and at
 * whatever level: a servlet container dumping request headers at DEBUG, a JDBC driver dumping its
 * packets at TRACE, the JDK's HTTP client printing an Authorization header at FINE. Knowing the
 * secrets rather than the loggers is what makes it hold for a path nobody thought of.
 *
 * <p>Only events that would be written are formatted and searched, so disabled DEBUG calls on hot
 * paths cost nothing more than before.
 */
public final class SecretLogFilter extends TurboFilter {
    static final String NAME = "servicepack-secret-log-filter";

    private final List<String> secrets;

    SecretLogFilter(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
        setName(NAME);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format == null || level == null || !logger.isEnabledFor(level)) {
            return FilterReply.NEUTRAL;
        }
        String text = params == null || params.length == 0 ? format
                : MessageFormatter.arrayFormat(format, params).getMessage();
        if (carriesSecret(text) || (t != null && carriesSecret(String.valueOf(t.getMessage())))) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private boolean carriesSecret(String text) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }
}
