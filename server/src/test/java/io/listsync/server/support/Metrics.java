package io.listsync.server.support;

/** Reads a server's counters the way an operator does: from {@code /observe/metrics} (Prometheus text). */
public final class Metrics {

    private Metrics() {
    }

    /**
     * @param name the meter's name as registered ({@code listsync.broker.dropped}); Prometheus shows it with
     *             underscores and {@code _total}
     * @throws AssertionError when the server shows no such counter
     */
    public static double counter(TestServer server, String name) {
        String prefix = name.replace('.', '_') + "_total";
        for (String line : server.api().get("/observe/metrics", null).text().split("\n")) {
            if (line.startsWith(prefix + " ") || line.startsWith(prefix + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + prefix);
    }
}
