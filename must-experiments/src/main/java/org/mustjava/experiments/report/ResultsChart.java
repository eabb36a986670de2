package org.mustjava.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.mustjava.core.io.AtomicFiles;

/**
 * {@code results.png}: the results table as grouped bars, one panel per downstream task (each with
 * its own metric's axis), one colour per pre-training (the same in every panel), error bars of
 * one standard deviation over seeds. Rendered with JFreeChart into an image, without a display.
 */
public final class ResultsChart {
  private static final int PANEL_WIDTH = 420;
  private static final int PANEL_HEIGHT = 340;
  private static final int MAX_COLUMNS = 3;
  /** Colour-blind-friendly (Okabe-Ito), one per pre-training row. */
  private static final Color[] PALETTE = {
      new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
      new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000)};

  private ResultsChart() {}

  public static BufferedImage render(ResultsTable table) {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    int panels = Math.max(1, table.columns().size());
    int columns = Math.min(MAX_COLUMNS, panels);
    int rows = (panels + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      for (int i = 0; i < table.columns().size(); i++) {
        JFreeChart chart = panel(table, table.columns().get(i));
        chart.draw(g, new Rectangle2D.Double((i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  static JFreeChart panel(ResultsTable table, ResultsTable.Column column) {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    String category = column.task();
    for (String p : table.pretrainings()) {
      ResultsTable.Entry e = table.entry(p, column.task()).orElse(null);
      Double mean = e == null || e.n() == 0 ? null : e.mean();
      Double sd = e == null || Double.isNaN(e.sd()) ? null : e.sd();
      data.add(mean, sd, p, category);
    }
    NumberAxis values = new NumberAxis(column.metric() + (column.higherIsBetter() ? " (higher is better)" : " (lower is better)"));
    values.setAutoRangeIncludesZero(true);
    StatisticalBarRenderer bars = new StatisticalBarRenderer();
    bars.setErrorIndicatorPaint(Color.BLACK);
    bars.setErrorIndicatorStroke(new BasicStroke(1.5f));
    bars.setDrawBarOutline(false);
    bars.setItemMargin(0.05);
    bars.setShadowVisible(false);
    bars.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    for (int i = 0; i < table.pretrainings().size(); i++) bars.setSeriesPaint(i, (Paint) PALETTE[i % PALETTE.length]);
    CategoryAxis categories = new CategoryAxis(null);
    categories.setTickLabelsVisible(false); // one category per panel: the title names it
    CategoryPlot plot = new CategoryPlot(data, categories, values, bars);
    plot.setOrientation(PlotOrientation.VERTICAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xBBBBBB));
    // Every panel has the legend (same colours everywhere), so panels keep the same plot size.
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.setTitle(new TextTitle(column.task(), new Font(Font.SANS_SERIF, Font.BOLD, 16)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  public static void write(ResultsTable table, Path file) throws IOException {
    BufferedImage image = render(table);
    AtomicFiles.write(file, out -> {
      if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JVM");
    });
  }
}
