package org.paasta.servicepack.consumer;

import io.pivotal.cfenv.core.CfService;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the bound passwords out of what the app prints. Client errors quote connection strings
 * (Hikari's "Driver ... claims to not accept jdbcUrl, jdbc:mysql://...?password=..."), so every
 * line is masked: the passwords found in the credentials, and anything shaped like one.
 */
final class CredentialMask {
    private static final Pattern USER_INFO = Pattern.compile("://([^:/@\\s]+):([^@/\\s]+)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s;,)'\"]+");

    private final Set<String> secrets;

    private CredentialMask(Set<String> secrets) {
        this.secrets = secrets;
    }

    static CredentialMask of(BoundServices bound) {
        // Longest first, so a password that contains another is masked whole.
        Set<String> secrets = new TreeSet<>((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
        for (CfService service : bound.all()) {
            collect(null, service.getCredentials().getMap(), secrets);
        }
        return new CredentialMask(secrets);
    }

    private static void collect(String key, Object value, Set<String> secrets) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(String.valueOf(k), v, secrets));
        } else if (value instanceof Collection<?> values) {
            values.forEach(v -> collect(key, v, secrets));
        } else if (value instanceof String text) {
            if (key != null && key.toLowerCase().contains("password") && text.length() >= 4) {
                secrets.add(text);
            }
            Matcher userInfo = USER_INFO.matcher(text);
            while (userInfo.find()) {
                String password = userInfo.group(2);
                secrets.add(password);
                secrets.add(URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
    }

    String apply(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        masked = USER_INFO.matcher(masked).replaceAll("://$1:****@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1****");
    }
}
