package io.listsync.server.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ListSync server: either a child process started from {@code server/target/listsync.jar}, or an instance
 * that is already running (then only its URL is known and no CPU/memory is read).
 */
final class ServerProcess implements AutoCloseable {

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])");

    final int port;
    final String base;
    private final Process process;
    final Path log;

    private ServerProcess(int port, Process process, Path log) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.process = process;
        this.log = log;
    }

    static ServerProcess running(String base) {
        URI uri = URI.create(base);
        return new ServerProcess(uri.getPort(), null, null);
    }

    static ServerProcess start(Path jar, List<String> extraClasspath, String javaHome, List<String> jvmArgs,
                               Map<String, String> env, Path workDir, String name) throws IOException {
        int port = freePort();
        Path dataDir = Files.createDirectories(workDir.resolve(name + "-data"));
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(jvmArgs);
        // raise the auth rate limit: set-up registers many users from one address
        command.add("-Dauth.rate-limit.requests-per-address-per-minute=1000000");
        if (extraClasspath.isEmpty()) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            List<String> cp = new ArrayList<>();
            cp.add(jar.toString());
            cp.addAll(extraClasspath);
            command.add("-cp");
            command.add(String.join(":", cp));
            command.add("io.listsync.server.Main");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("DATA_DIR", dataDir.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        return new ServerProcess(port, p, log);
    }

    boolean local() {
        return process != null;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/observe/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("server on " + base + " not healthy within " + timeout + "; see " + log);
    }

    /** utime + stime of the process, in milliseconds; -1 when not local. */
    long cpuMillis() {
        if (process == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(3) ... utime(14) stime(15) → indexes 11, 12 here
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in KiB; -1 when not local. */
    long rssKib() {
        if (process == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    int threads() {
        if (process == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** Runs a full GC in the server ({@code jcmd GC.run}) and returns the Java heap in use afterwards, in KiB. */
    long gcAndHeapUsedKib(String javaHome) {
        if (process == null) {
            return -1;
        }
        jcmd(javaHome, "GC.run");
        String info = jcmd(javaHome, "GC.heap_info");
        long used = 0;
        for (String line : info.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = HEAP_USED.matcher(line);
            if ((line.contains("heap") || line.contains("generation") || line.contains("ZHeap")) && m.find()) {
                long n = Long.parseLong(m.group(1));
                used += switch (m.group(2)) {
                    case "G" -> n * 1024 * 1024;
                    case "M" -> n * 1024;
                    default -> n;
                };
            }
        }
        return used;
    }

    String jcmd(String javaHome, String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome, "bin", "jcmd").toString());
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: the server drains its sockets
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
