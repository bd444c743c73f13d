package org.paasta.servicepack.sdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials a binding hands to an application (VCAP_SERVICES {@code credentials}).
 *
 * <p>Field order is kept as the backend builds it. {@link #toString()} names the fields but never
 * their values: credentials must not reach a log line by accident.
 */
public final class Credentials {
    private final Map<String, Object> fields;

    private Credentials(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Credentials of(Map<String, ?> fields) {
        Builder builder = builder();
        fields.forEach(builder::put);
        return builder.build();
    }

    /** The fields, in the order they were added. */
    public Map<String, Object> asMap() {
        return fields;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public String getString(String field) {
        Object value = fields.get(field);
        return value == null ? null : value.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials" + fields.keySet() + " (values redacted)";
    }

    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds a field; null values are left out. */
        public Builder put(String field, Object value) {
            Objects.requireNonNull(field, "field");
            if (value != null) {
                fields.put(field, value);
            }
            return this;
        }

        public Credentials build() {
            return new Credentials(fields);
        }
    }
}
