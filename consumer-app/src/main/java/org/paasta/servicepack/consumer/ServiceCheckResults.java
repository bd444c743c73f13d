package org.paasta.servicepack.consumer;

import java.util.Arrays;
import org.springframework.core.env.Environment;

/** What a check asserts before and after it uses a client. */
final class ServiceCheckResults {
    private ServiceCheckResults() {
    }

    /**
     * Whether any of the properties has a value. Not {@code containsProperty}: java-cfenv writes a
     * key with a null value when the credentials lack the field it reads (MongoDB's {@code uri}).
     */
    static boolean configured(Environment environment, String... properties) {
        return Arrays.stream(properties).anyMatch(property -> environment.getProperty(property) != null);
    }

    static void requireSame(String written, Object read, String what) {
        if (!written.equals(read)) {
            throw new IllegalStateException(what + ": wrote '" + written + "', read back '" + read + "'");
        }
    }
}
