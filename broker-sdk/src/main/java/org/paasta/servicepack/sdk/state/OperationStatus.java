package org.paasta.servicepack.sdk.state;

/** The three states {@code last_operation} reports, spelled as on the wire. */
public enum OperationStatus {
    IN_PROGRESS("in progress"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String wire;

    OperationStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static OperationStatus fromWire(String value) {
        for (OperationStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown operation state " + value);
    }
}
