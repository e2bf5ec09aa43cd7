package io.github.distlock.bench.report;

import io.github.distlock.bench.Row;
import io.github.distlock.bench.Scenario;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The PNG chart: cycles/s (log scale, since Redis and etcd differ by an order of magnitude) per
 * scenario and thread count, one bar per system. Rendered headless.
 */
public final class Chart {

    private static final Color[] PALETTE = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x7F7F7F), new Color(0x2CA02C),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0xFF7F0E),
        new Color(0x17BECF), new Color(0xBCBD22)
    };

    private Chart() {
    }

    /**
     * Writes the chart of the throughput rows (held-locks rows are left out: their rate is not a
     * cycle rate).
     *
     * @param rows the rows
     * @param png the file to write
     * @throws IOException if it cannot be written
     */
    public static void write(List<Row> rows, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Row r : rows) {
            if (r.scenario() == Scenario.HELD_LOCKS || !(r.cyclesPerSec() > 0)) {
                continue;
            }
            data.addValue(r.cyclesPerSec(), r.system(), r.scenario().id() + " / " + r.threads() + "t");
            min = Math.min(min, r.cyclesPerSec());
            max = Math.max(max, r.cyclesPerSec());
        }
        JFreeChart chart = ChartFactory.createBarChart("distlock vs peers: lock+unlock cycles per second",
                null, "cycles/s (log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis axis = new LogAxis("cycles/s (log scale)");
        axis.setBase(10);
        axis.setSmallestValue(1);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        if (max > 0) {
            // whole decades around the data, so the ticks are 100, 1,000, 10,000, ...
            double lower = Math.pow(10, Math.floor(Math.log10(Math.max(1, min))));
            double upper = Math.pow(10, Math.ceil(Math.log10(max * 1.5)));
            axis.setRange(lower, upper);
        }
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        plot.setRangeAxis(axis);
        CategoryAxis categories = plot.getDomainAxis();
        categories.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        categories.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.02);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12,
                TextAnchor.BOTTOM_CENTER));
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 700);
    }
}
