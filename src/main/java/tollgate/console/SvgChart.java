package tollgate.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a small server-drawn SVG chart (decision 046): twelve monthly values as bars or as a line, a y axis
 * with round ticks, month labels. No JavaScript and nothing fetched: the template draws these shapes, and a table of
 * the same figures follows each chart for screen readers.
 */
public final class SvgChart {
    static final int WIDTH = 640;
    static final int HEIGHT = 240;
    static final int LEFT = 64;
    static final int RIGHT = 12;
    static final int TOP = 14;
    static final int BOTTOM = 30;

    public record Bar(int x, int y, int width, int height) {}

    public record Tick(int y, String label) {}

    public record XLabel(int x, String label) {}

    /** A chart: its title and description (the SVG's {@code <title>} and {@code <desc>}), shapes and labels. */
    public record Chart(String id, String title, String description, int width, int height, boolean line, List<Bar> bars,
                        String points, List<Tick> ticks, List<XLabel> months, int baseline, int left, int right) {}

    private SvgChart() {}

    /** {@code values} in minor units, {@code format} turns a minor-units value into an axis label. */
    static Chart of(String id, String title, String description, boolean line, List<String> monthLabels, long[] values,
                    java.util.function.LongFunction<String> format) {
        long max = 0;
        for (long v : values) max = Math.max(max, v);
        long step = niceStep(max / 4.0);
        long top = Math.max(step * 4, step);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        int slot = plotW / values.length;
        List<Bar> bars = new ArrayList<>();
        StringBuilder points = new StringBuilder();
        List<XLabel> months = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            int h = (int) Math.round(plotH * (double) values[i] / top);
            int x = LEFT + i * slot;
            bars.add(new Bar(x + slot / 5, TOP + plotH - h, slot * 3 / 5, h));
            points.append(i == 0 ? "" : " ").append(x + slot / 2).append(',').append(TOP + plotH - h);
            months.add(new XLabel(x + slot / 2, monthLabels.get(i)));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int k = 0; k <= 4; k++) ticks.add(new Tick(TOP + plotH - plotH * k / 4, format.apply(step * k)));
        return new Chart(id, title, description, WIDTH, HEIGHT, line, bars, points.toString(), ticks, months, TOP + plotH, LEFT,
                WIDTH - RIGHT);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw} (at least 100 minor units: one whole unit of most currencies). */
    static long niceStep(double raw) {
        long power = 1;
        while (power * 10 <= raw) power *= 10;
        for (long m : new long[] {1, 2, 5, 10})
            if (power * m >= raw) return Math.max(100, power * m);
        return Math.max(100, power * 10);
    }
}
