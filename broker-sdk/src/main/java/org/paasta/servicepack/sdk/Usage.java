package org.paasta.servicepack.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Live usage of one instance against its plan's limits, read from the backend when someone opens
 * the instance's dashboard: what an app developer checks when writes are refused or connections
 * run out. Texts come in English and Korean (PaaS-TA's users read Korean).
 *
 * @param measures what is used, of what limit
 * @param notices  states worth saying in words, e.g. writes revoked and what to do about it
 */
public record Usage(List<Measure> measures, List<Notice> notices) {
    /** A backend that reports nothing (the dashboard then shows the plan and bindings only). */
    public static final Usage NONE = new Usage(List.of(), List.of());

    public Usage {
        measures = List.copyOf(measures);
        notices = List.copyOf(notices);
    }

    /** A text in both languages the dashboard speaks. */
    public record Text(String en, String ko) {
        public Text {
            Objects.requireNonNull(en, "en");
            ko = ko == null ? en : ko;
        }
    }

    /**
     * @param label   what is measured, e.g. "Storage" / "저장 공간"
     * @param used    the amount in use
     * @param limit   the plan's limit in the same unit, or null when the plan sets none
     * @param unit    e.g. "MB", "connections", "keys" (shown as is)
     * @param binding the binding it is about (e.g. connections per binding), or null for the instance
     */
    public record Measure(Text label, double used, Double limit, String unit, String binding) {
        public Measure {
            Objects.requireNonNull(label, "label");
            unit = unit == null ? "" : unit;
        }

        public static Measure of(Text label, double used, Double limit, String unit) {
            return new Measure(label, used, limit, unit, null);
        }

        /** Used over limit, or null without a limit. */
        public Double ratio() {
            return limit == null || limit <= 0 ? null : used / limit;
        }
    }

    /** @param severity how loudly to show it */
    public record Notice(Severity severity, Text text) {
    }

    public enum Severity { INFO, WARNING, CRITICAL }
}
