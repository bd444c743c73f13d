package org.paasta.servicepack.sdk.dashboard;

import java.text.NumberFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.broker.PlanResolver;
import org.paasta.servicepack.sdk.state.BindingRecord;
import org.paasta.servicepack.sdk.state.BindingState;
import org.paasta.servicepack.sdk.state.InstanceRecord;
import org.paasta.servicepack.sdk.state.InstanceState;
import org.paasta.servicepack.sdk.state.StateStore;

/**
 * What the dashboard of one instance shows: its service and plan as the marketplace lists them,
 * its bindings (ids, times, app; never credentials) from the state store, and its live usage
 * against the plan's limits from the backend.
 */
public final class InstanceDashboard<L> {
    /** At or above this share of a limit a measure is shown as near it. */
    static final double NEAR = 0.8;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StateStore store;
    private final PlanResolver<L> plans;
    private final ServiceBackend<L> backend;
    private final CatalogListing listing;
    private final UsageReader usage;
    private final Texts texts;
    private final Clock clock;

    public InstanceDashboard(StateStore store, PlanResolver<L> plans, ServiceBackend<L> backend, CatalogListing listing,
                             UsageReader usage, Texts texts, Clock clock) {
        this.store = store;
        this.plans = plans;
        this.backend = backend;
        this.listing = listing;
        this.usage = usage;
        this.texts = texts;
        this.clock = clock;
    }

    /**
     * @param instanceId the instance a valid token was signed for
     * @param createdAt  the creation time it was signed for: an instance made again under the same id is another one
     * @return empty when that instance no longer exists
     */
    public Optional<View> view(String instanceId, long createdAt, Instant linkExpiresAt, Language language) {
        Optional<InstanceRecord> found = store.instance(instanceId).filter(i -> i.createdAt() == createdAt);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        InstanceRecord instance = found.get();
        Optional<CatalogListing.Service> service = listing.servicePlan(instance.serviceId(), instance.planId(), language);
        List<BindingRecord> bindings = store.bindingsOf(instanceId);
        UsageView usageView = usage(instance, service.isPresent(), bindings, language);
        Object name = instance.context().get("instance_name");
        return Optional.of(new View(instanceId, name instanceof String s && !s.isBlank() ? s : null,
                texts.get("state." + instance.state().name().toLowerCase(), language),
                instance.state() == InstanceState.READY, service.orElse(null),
                service.map(s -> s.plans().get(0)).orElse(null), usageView,
                bindings.stream().map(b -> binding(b, language)).toList(),
                TIME.format(clock.instant()), TIME.format(linkExpiresAt)));
    }

    private UsageView usage(InstanceRecord instance, boolean planKnown, List<BindingRecord> bindings,
                            Language language) {
        if (instance.state() != InstanceState.READY || !planKnown) {
            return UsageView.without("not-ready", texts.get("usage.not-ready", language));
        }
        Plan<L> plan = plans.plan(instance.planId());
        List<String> ready = bindings.stream().filter(b -> b.state() == BindingState.READY)
                .map(BindingRecord::bindingId).toList();
        UsageReader.Result result = usage.read(backend,
                new UsageRequest<>(instance.instanceId(), plan, instance.parameters(), ready));
        if (result instanceof UsageReader.Result.Read read) {
            Usage measured = read.usage();
            if (measured.measures().isEmpty() && measured.notices().isEmpty()) {
                return UsageView.without("none", texts.get("usage.none", language));
            }
            List<NoticeRow> notices = measured.notices().stream()
                    .sorted(Comparator.comparing(Usage.Notice::severity).reversed())
                    .map(n -> new NoticeRow(n.severity().name().toLowerCase(), text(n.text(), language))).toList();
            // A NaN or an infinity would be no number to show, nor valid JSON.
            List<MeasureRow> measures = measured.measures().stream()
                    .filter(m -> Double.isFinite(m.used()) && (m.limit() == null || Double.isFinite(m.limit())))
                    .map(m -> measure(m, language)).toList();
            return new UsageView("shown", null, measures, notices);
        }
        String status = result instanceof UsageReader.Result.Unreachable ? "unreachable"
                : result instanceof UsageReader.Result.TimedOut ? "timed-out"
                : result instanceof UsageReader.Result.Busy ? "busy" : "failed";
        return UsageView.without(status, texts.get("usage." + status, language));
    }

    private MeasureRow measure(Usage.Measure measure, Language language) {
        Double ratio = measure.ratio();
        String level = ratio == null ? "none" : ratio >= 1 ? "over" : ratio >= NEAR ? "near" : "ok";
        Integer percent = ratio == null ? null : (int) Math.floor(ratio * 100);
        return new MeasureRow(text(measure.label(), language), measure.binding(), measure.used(), measure.limit(),
                measure.unit(), number(measure.used(), language),
                measure.limit() == null ? null : number(measure.limit(), language), percent,
                percent == null ? 0 : Math.min(100, Math.max(percent, 0)), level,
                level.equals("near") || level.equals("over") ? texts.get("level." + level, language) : null);
    }

    private BindingRow binding(BindingRecord binding, Language language) {
        return new BindingRow(binding.bindingId(), TIME.format(Instant.ofEpochMilli(binding.createdAt())),
                binding.appGuid(), binding.state() == BindingState.READY ? null
                : texts.get("binding.state." + binding.state().name().toLowerCase(), language),
                binding.expiresAt() == null ? null : TIME.format(Instant.ofEpochMilli(binding.expiresAt())));
    }

    private static String text(Usage.Text text, Language language) {
        return language == Language.KO ? text.ko() : text.en();
    }

    /** Whole numbers as such, others with a decimal or two; grouped as both languages write them. */
    static String number(double value, Language language) {
        NumberFormat format = NumberFormat.getNumberInstance(language.locale());
        format.setMaximumFractionDigits(Math.abs(value) < 10 ? 2 : 1);
        return format.format(value);
    }

    /**
     * @param name  the instance's name on the platform ({@code context.instance_name}), or null
     * @param state the instance's state in words
     */
    public record View(String instanceId, String name, String state, boolean ready, CatalogListing.Service service,
                       CatalogListing.Plan plan, UsageView usage, List<BindingRow> bindings, String generatedAt,
                       String linkExpiresAt) {
    }

    /**
     * @param status  shown, none (the backend reports nothing), not-ready, unreachable, timed-out, busy or failed
     * @param message what a person is told when there are no numbers
     */
    public record UsageView(String status, String message, List<MeasureRow> measures, List<NoticeRow> notices) {
        static UsageView without(String status, String message) {
            return new UsageView(status, message, List.of(), List.of());
        }
    }

    /**
     * @param percent used over limit in whole percent (floored: 100 means the limit is reached), or null without a limit
     * @param bar     the bar's filled width in percent, 0 to 100
     * @param level   ok, near (80% or more), over (the limit reached or passed), none (no limit)
     */
    public record MeasureRow(String label, String binding, double used, Double limit, String unit, String usedText,
                             String limitText, Integer percent, int bar, String level, String levelText) {
    }

    /** @param severity info, warning or critical */
    public record NoticeRow(String severity, String text) {
    }

    /** @param state null when ready, else what the binding is going through */
    public record BindingRow(String id, String createdAt, String appGuid, String state, String expiresAt) {
    }
}
