package org.paasta.servicepack.sdk.web;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A credential value on its way into SCOSB's response objects: serialized as the value itself,
 * printed as {@code <redacted>}. SCOSB logs whole responses at DEBUG; this keeps secrets out of it.
 */
record Redacted(@JsonValue Object value) {
    @Override
    public String toString() {
        return "<redacted>";
    }
}
