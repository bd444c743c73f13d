package org.paasta.servicepack.sdk.web;

/**
 * One row of the answer to a failed request: HTTP status, OSB {@code error} code (null where the
 * spec wants none), and whether the body is the spec's empty {@code {}} (410 Gone on deletes).
 */
public record OsbError(int status, String code, boolean emptyBody) {
    static OsbError of(int status, String code) {
        return new OsbError(status, code, false);
    }

    static OsbError gone() {
        return new OsbError(410, null, true);
    }
}
