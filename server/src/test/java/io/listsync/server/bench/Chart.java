package io.listsync.server.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost curve: delivery p99 and server memory against the number of open sockets (XChart, PNG).
 */
final class Chart {

    private Chart() {
    }

    static void write(List<Bench.Result> curve, Path png) throws IOException {
        write(curve.stream().mapToDouble(r -> r.socketsOpen).toArray(),
                curve.stream().mapToDouble(r -> Bench.Result.msValue(r.fromStart, 99)).toArray(),
                curve.stream().mapToDouble(r -> r.serverRssKib / 1024.0).toArray(), png);
    }

    /**
     * The chart from {@code results.csv}: the newest row of each {@code curve-<sockets>} run.
     */
    static void fromCsv(Path csv, Path png) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int run = header.indexOf("run");
        int sockets = header.indexOf("sockets");
        int p99 = header.indexOf("deliv_p99_ms");
        int rss = header.indexOf("server_rss_kib");
        Map<Double, double[]> newest = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1); // commas outside quotes
            if (f[run].matches("curve-\\d+") && !f[p99].isEmpty()) {
                newest.put(Double.parseDouble(f[sockets]),
                        new double[] {Double.parseDouble(f[p99]), Double.parseDouble(f[rss]) / 1024});
            }
        }
        write(newest.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                newest.values().stream().mapToDouble(v -> v[0]).toArray(),
                newest.values().stream().mapToDouble(v -> v[1]).toArray(), png);
    }

    private static void write(double[] sockets, double[] p99, double[] rss, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500)
                .title("ListSync: delivery p99 and server memory vs open sockets (one instance, 2-core box)")
                .xAxisTitle("open WebSockets").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        XYSeries latency = chart.addSeries("delivery p99 (ms)", sockets, p99);
        latency.setYAxisGroup(0);
        XYSeries memory = chart.addSeries("server RSS at the end of the run (MiB)", sockets, rss);
        memory.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "delivery p99, ms");
        chart.setYAxisGroupTitle(1, "server resident memory, MiB");
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.substring(0, file.length() - 4), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("chart: " + png.toAbsolutePath());
    }
}
