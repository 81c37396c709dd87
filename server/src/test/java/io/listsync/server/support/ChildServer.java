package io.listsync.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A ListSync server in a real child process ({@code io.listsync.server.Main}), for tests where the process itself is
 * the point: killed with SIGKILL, restarted on the same port and data folder, or run under a low file-descriptor
 * limit. It runs from the test class path, so it works in the {@code test} phase of a clean build (before the jar
 * exists), with exactly the code under test. Settings are passed as {@code -Dkey=value}, which the server reads
 * like its configuration file.
 */
public final class ChildServer implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final Map<String, String> settings;
    private final Integer fileDescriptorLimit;
    private final List<String> jvmArgs;
    private final String loggingConfig;
    private Process process;

    private ChildServer(Builder builder) {
        this.name = builder.name;
        this.fileDescriptorLimit = builder.fileDescriptorLimit;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.loggingConfig = builder.loggingConfig != null ? builder.loggingConfig.toString() : loggingConfig();
        try {
            this.dataDir = Files.createTempDirectory("listsync-child-" + name);
            this.log = dataDir.resolve("server.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", Integer.toString(port));
        all.put("server.host", "127.0.0.1");
        all.put("data.dir", dataDir.toString());
        all.put("auth.jwt.secret", TestServer.SECRET);
        all.put("auth.bcrypt-cost", "4");
        all.put("auth.rate-limit.requests-per-address-per-minute", "100000");
        all.putAll(builder.settings);
        this.settings = Map.copyOf(all);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts the process and waits until it answers HTTP. */
    public ChildServer start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-XX:+UseSerialGC");
        java.add("-XX:TieredStopAtLevel=1");
        java.add("-Xshare:auto");
        java.addAll(jvmArgs);
        settings.forEach((key, value) -> java.add("-D" + key + "=" + value));
        java.add("-Djava.util.logging.config.file=" + loggingConfig);
        java.add("-cp");
        java.add(testClassPath());
        java.add("io.listsync.server.Main");
        List<String> command = new ArrayList<>();
        if (fileDescriptorLimit != null) {
            // the limit is set by the launcher shell, as an operator's unit file or `ulimit` would; exec keeps the pid
            command.add("bash");
            command.add("-c");
            command.add("ulimit -n " + fileDescriptorLimit + " && exec \"$@\"");
            command.add("launcher");
        }
        command.addAll(java);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitAnswering(Duration.ofSeconds(60));
        return this;
    }

    /** SIGKILL: the process gets no chance to flush, close or say goodbye. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die on SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an orchestrator stops an instance; waits for the process to end. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(baseUri());
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The child's output so far, for failure messages. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The child's number of open file descriptors, from /proc. */
    public int openFileDescriptors() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitAnswering(Duration timeout) {
        try {
            Await.until(this::answering, timeout);
        } catch (AssertionError e) {
            throw new IllegalStateException(name + " did not answer within " + timeout + ":\n" + log(), e);
        }
    }

    private boolean answering() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
        }
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(baseUri() + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The class path of this test JVM: the server's classes and every dependency, as built. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String loggingConfig() {
        String configured = System.getProperty("java.util.logging.config.file");
        return configured != null ? configured : "";
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up): a restarted server binds the same port again, and
     * one the OS could hand to an outgoing connection meanwhile would be taken from under it.
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket probe = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port in 20000-32000");
    }

    public static final class Builder {
        private final String name;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private Integer fileDescriptorLimit;
        private Path loggingConfig;

        private Builder(String name) {
            this.name = name;
        }

        /** Configuration keys on top of the test defaults (fixed signing key, cheap bcrypt, H2 under the data dir). */
        public Builder settings(Map<String, String> settings) {
            this.settings.putAll(settings);
            return this;
        }

        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** Runs the server under {@code ulimit -n limit}. */
        public Builder fileDescriptorLimit(int limit) {
            this.fileDescriptorLimit = limit;
            return this;
        }

        /** Logs with the configuration the server ships with ({@code logging.properties}), not the tests' quiet one. */
        public Builder shippedLogging() {
            try {
                this.loggingConfig = Path.of(ChildServer.class.getResource("/logging.properties").toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** Builds it; {@link ChildServer#start()} launches it. */
        public ChildServer build() {
            return new ChildServer(this);
        }
    }
}
