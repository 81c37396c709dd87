package io.listsync.server.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cost curve: delivery p99 and server memory against the number of open sockets (XChart, PNG).
 */
final class Chart {

    private Chart() {
    }

    static void write(List<Bench.Result> curve, Path png) throws IOException {
        double[] sockets = curve.stream().mapToDouble(r -> r.socketsOpen).toArray();
        double[] p99 = curve.stream().mapToDouble(r -> Bench.Result.msValue(r.fromStart, 99)).toArray();
        double[] rss = curve.stream().mapToDouble(r -> r.serverRssKib / 1024.0).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("ListSync: delivery p99 and server memory vs open sockets (one instance, 2-core box)")
                .xAxisTitle("open WebSockets").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        XYSeries latency = chart.addSeries("delivery p99 (ms)", sockets, p99);
        latency.setYAxisGroup(0);
        XYSeries memory = chart.addSeries("server RSS (MiB)", sockets, rss);
        memory.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "delivery p99, ms");
        chart.setYAxisGroupTitle(1, "server resident memory, MiB");
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.substring(0, file.length() - 4), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("chart: " + png.toAbsolutePath());
    }
}
