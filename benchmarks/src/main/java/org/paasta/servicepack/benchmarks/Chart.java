package org.paasta.servicepack.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations chart as plain SVG text: one panel per broker, and in it one group per operation
 * with the broker's median next to its floor's (backend work below, the no-op SCOSB request on
 * top), each panel on its own scale. No library: the markup is small and fixed.
 */
final class Chart {
    private static final int PANEL_W = 470;
    private static final int PANEL_H = 300;
    private static final int COLUMNS = 2;
    private static final int TOP = 70;
    private static final String BROKER_COLOR = "#d95f02";
    private static final String BACKEND_COLOR = "#1b9e77";
    private static final String NOOP_COLOR = "#7570b3";
    private static final String STORE_COLOR = "#e6ab02";

    private Chart() {
    }

    /**
     * @param figures per broker: {broker, backend floor, no-op, state-store floor} medians per operation
     */
    static String operations(Map<String, Map<String, Stats>[]> figures, List<String> operations, String machine,
            String when, double limit) {
        int panels = Math.max(1, figures.size());
        int rows = (panels + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * PANEL_W + 20;
        int height = TOP + rows * PANEL_H + 20;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, 10, 20, "start", 15, "bold",
                "Median per operation: broker vs. its floor (backend work + state-store writes + no-op SCOSB)");
        text(svg, 10, 38, "start", 11, "normal", "ms, lower is better; ratio = broker / floor, target at most "
                + limit + "x. " + when + "; " + machine);
        legend(svg, 10, 52, BROKER_COLOR, "broker through HTTP");
        legend(svg, 150, 52, BACKEND_COLOR, "floor: backend work");
        legend(svg, 290, 52, STORE_COLOR, "floor: state-store writes");
        legend(svg, 460, 52, NOOP_COLOR, "floor: no-op bare SCOSB request");
        int index = 0;
        for (Map.Entry<String, Map<String, Stats>[]> entry : figures.entrySet()) {
            int x = 10 + (index % COLUMNS) * PANEL_W;
            int y = TOP + (index / COLUMNS) * PANEL_H;
            panel(svg, x, y, entry.getKey(), entry.getValue(), operations, limit);
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int x, int y, String title, Map<String, Stats>[] f,
            List<String> operations, double limit) {
        int left = x + 50;
        int plotW = PANEL_W - 70;
        int plotTop = y + 40;
        int plotH = PANEL_H - 92;
        int base = plotTop + plotH;
        List<double[]> values = new ArrayList<>();
        List<Double> bars = new ArrayList<>();
        for (String op : operations) {
            double broker = ms(f[0].get(op));
            double backend = ms(f[1].get(op));
            double noOp = ms(f[2].get(op));
            double store = f.length > 3 ? ms(f[3].get(op)) : 0;
            values.add(new double[] {broker, backend, noOp, store});
            bars.add(broker);
            bars.add(backend + noOp + store);
        }
        bars.sort(null);
        double max = bars.get(bars.size() - 1);
        double second = bars.size() > 1 ? bars.get(bars.size() - 2) : max;
        // One bar far above the rest (RabbitMQ's unbind) would flatten the others: it is cut off
        // at the top instead, marked, and labelled with its value.
        double scaleTo = max > 4 * second && second > 0 ? second : max;
        double top = niceCeiling(scaleTo <= 0 ? 1 : scaleTo * 1.12);
        text(svg, x + 10, y + 16, "start", 13, "bold", title);
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            int ty = base - (int) Math.round(plotH * i / 4.0);
            svg.append("<line x1=\"").append(left).append("\" y1=\"").append(ty).append("\" x2=\"").append(left + plotW)
                    .append("\" y2=\"").append(ty).append("\" stroke=\"#ddd\"/>\n");
            text(svg, left - 4, ty + 4, "end", 10, "normal", number(value));
        }
        int group = plotW / operations.size();
        int bar = Math.min(34, group / 3);
        for (int i = 0; i < operations.size(); i++) {
            double[] v = values.get(i);
            int gx = left + i * group + (group - 2 * bar - 6) / 2;
            int brokerH = Math.min(height(v[0], top, plotH), plotH + 8);
            rect(svg, gx, base - brokerH, bar, brokerH, BROKER_COLOR);
            if (v[0] > top) {
                // cut: a white band across the bar
                svg.append("<rect x=\"").append(gx - 2).append("\" y=\"").append(base - plotH + 14)
                        .append("\" width=\"").append(bar + 4).append("\" height=\"5\" fill=\"white\" "
                                + "transform=\"rotate(-8 ").append(gx + bar / 2).append(' ').append(base - plotH + 16)
                        .append(")\"/>\n");
            }
            text(svg, gx + bar / 2, base - brokerH - 3, "middle", 10, v[0] > top ? "bold" : "normal", number(v[0]));
            int fx = gx + bar + 6;
            int backendH = height(v[1], top, plotH);
            int storeH = height(v[3], top, plotH);
            int noOpH = height(v[2], top, plotH);
            rect(svg, fx, base - backendH, bar, backendH, BACKEND_COLOR);
            rect(svg, fx, base - backendH - storeH, bar, storeH, STORE_COLOR);
            rect(svg, fx, base - backendH - storeH - noOpH, bar, noOpH, NOOP_COLOR);
            double floor = v[1] + v[2] + v[3];
            text(svg, fx + bar / 2, base - backendH - storeH - noOpH - 3, "middle", 10, "normal", number(floor));
            int cx = gx + bar + 3;
            text(svg, cx, base + 15, "middle", 11, "normal", operations.get(i));
            double ratio = v[0] / floor;
            boolean finite = Double.isFinite(ratio);
            // A miss of the target in red.
            text(svg, cx, base + 30, "middle", 11, "bold", finite && ratio > limit ? "#c00" : "#000",
                    finite ? String.format(Locale.ROOT, "%.2fx", ratio) : "-");
        }
        svg.append("<line x1=\"").append(left).append("\" y1=\"").append(base).append("\" x2=\"").append(left + plotW)
                .append("\" y2=\"").append(base).append("\" stroke=\"#333\"/>\n");
    }

    /**
     * One row per target: its figure over its limit (for at-least targets the limit over the figure),
     * so 1 is the limit and left of it is met for every row; a bar from the lowest to the highest
     * round, a dot at the median, on a log scale.
     */
    static String targets(List<Report.Target> targets, String when) {
        int rowH = 22;
        int labelW = 560;
        int plotW = 380;
        int top = 60;
        int width = labelW + plotW + 40;
        int height = top + Math.max(1, targets.size()) * rowH + 40;
        double lo = 0.1;
        double hi = 10;
        for (Report.Target t : targets) {
            for (double v : new double[] {t.value().min(), t.value().max()}) {
                if (Double.isFinite(v) && v > 0) {
                    double h = t.headroom(v);
                    lo = Math.min(lo, h);
                    hi = Math.max(hi, h);
                }
            }
        }
        double logLo = Math.floor(Math.log10(lo));
        double logHi = Math.ceil(Math.log10(hi));
        int left = labelW + 20;
        java.util.function.DoubleToIntFunction xOf = h -> left
                + (int) Math.round(plotW * (Math.log10(h) - logLo) / (logHi - logLo));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, 10, 20, "start", 15, "bold", "Targets of issue 15: figure against its limit (left of 1 is met)");
        text(svg, 10, 38, "start", 11, "normal", "median of the rounds (dot), lowest to highest round (bar), log scale; "
                + when);
        int bottom = top + targets.size() * rowH;
        for (double p = logLo; p <= logHi; p++) {
            int x = xOf.applyAsInt(Math.pow(10, p));
            svg.append("<line x1=\"").append(x).append("\" y1=\"").append(top - 6).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(bottom).append("\" stroke=\"#ddd\"/>\n");
            text(svg, x, bottom + 14, "middle", 10, "normal", number(Math.pow(10, p)));
        }
        int one = xOf.applyAsInt(1);
        svg.append("<line x1=\"").append(one).append("\" y1=\"").append(top - 6).append("\" x2=\"").append(one)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#c00\" stroke-width=\"1.5\"/>\n");
        text(svg, one, bottom + 28, "middle", 10, "bold", "#c00", "limit");
        for (int i = 0; i < targets.size(); i++) {
            Report.Target t = targets.get(i);
            int y = top + i * rowH + rowH / 2;
            String label = t.number() + ". " + t.text();
            text(svg, 10, y + 4, "start", 10, "normal", label.length() > 100 ? label.substring(0, 97) + "..." : label);
            if (!Double.isFinite(t.value().median()) || t.value().median() <= 0) {
                continue;
            }
            double a = t.headroom(t.value().min());
            double b = t.headroom(t.value().max());
            int x1 = xOf.applyAsInt(Math.min(a, b));
            int x2 = xOf.applyAsInt(Math.max(a, b));
            String color = t.met() ? BACKEND_COLOR : BROKER_COLOR;
            svg.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(Math.max(x2, x1 + 1))
                    .append("\" y2=\"").append(y).append("\" stroke=\"").append(color).append("\" stroke-width=\"4\"/>\n");
            svg.append("<circle cx=\"").append(xOf.applyAsInt(t.headroom(t.value().median()))).append("\" cy=\"")
                    .append(y).append("\" r=\"5\" fill=\"").append(color).append("\" stroke=\"#000\"/>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static double ms(Stats stats) {
        return stats == null || Double.isNaN(stats.p50Ms()) ? 0 : stats.p50Ms();
    }

    private static int height(double value, double top, int plotH) {
        return (int) Math.round(plotH * Math.max(0, value) / top);
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value}. */
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void rect(StringBuilder svg, int x, int y, int w, int h, String color) {
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w)
                .append("\" height=\"").append(h).append("\" fill=\"").append(color).append("\"/>\n");
    }

    private static void legend(StringBuilder svg, int x, int y, String color, String label) {
        rect(svg, x, y - 9, 12, 12, color);
        text(svg, x + 16, y + 1, "start", 11, "normal", label);
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, int size, String weight,
            String content) {
        text(svg, x, y, anchor, size, weight, "#000", content);
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, int size, String weight, String fill,
            String content) {
        svg.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"").append(size).append("\" font-weight=\"").append(weight)
                .append("\" fill=\"").append(fill).append("\">")
                .append(content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</text>\n");
    }
}
