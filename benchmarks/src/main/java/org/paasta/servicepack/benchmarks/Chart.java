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

    private Chart() {
    }

    /**
     * @param figures per broker: {broker, backend floor, no-op} medians per operation
     */
    static String operations(Map<String, Map<String, Stats>[]> figures, List<String> operations, String machine,
            String when) {
        int panels = Math.max(1, figures.size());
        int rows = (panels + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * PANEL_W + 20;
        int height = TOP + rows * PANEL_H + 20;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, 10, 20, "start", 15, "bold", "Median per operation: broker vs. its floor (backend work + no-op SCOSB)");
        text(svg, 10, 38, "start", 11, "normal", "ms, lower is better; ratio = broker / floor, target at most 1.3x. "
                + when + "; " + machine);
        legend(svg, 10, 52, BROKER_COLOR, "broker through HTTP");
        legend(svg, 170, 52, BACKEND_COLOR, "floor: backend operations, one warm connection");
        legend(svg, 470, 52, NOOP_COLOR, "floor: no-op bare SCOSB request");
        int index = 0;
        for (Map.Entry<String, Map<String, Stats>[]> entry : figures.entrySet()) {
            int x = 10 + (index % COLUMNS) * PANEL_W;
            int y = TOP + (index / COLUMNS) * PANEL_H;
            panel(svg, x, y, entry.getKey(), entry.getValue(), operations);
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int x, int y, String title, Map<String, Stats>[] f,
            List<String> operations) {
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
            values.add(new double[] {broker, backend, noOp});
            bars.add(broker);
            bars.add(backend + noOp);
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
            int noOpH = height(v[2], top, plotH);
            rect(svg, fx, base - backendH, bar, backendH, BACKEND_COLOR);
            rect(svg, fx, base - backendH - noOpH, bar, noOpH, NOOP_COLOR);
            text(svg, fx + bar / 2, base - backendH - noOpH - 3, "middle", 10, "normal", number(v[1] + v[2]));
            int cx = gx + bar + 3;
            text(svg, cx, base + 15, "middle", 11, "normal", operations.get(i));
            double ratio = v[0] / (v[1] + v[2]);
            boolean finite = Double.isFinite(ratio);
            // A miss of the 1.3x target in red.
            text(svg, cx, base + 30, "middle", 11, "bold", finite && ratio > 1.3 ? "#c00" : "#000",
                    finite ? String.format(Locale.ROOT, "%.2fx", ratio) : "-");
        }
        svg.append("<line x1=\"").append(left).append("\" y1=\"").append(base).append("\" x2=\"").append(left + plotW)
                .append("\" y2=\"").append(base).append("\" stroke=\"#333\"/>\n");
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
