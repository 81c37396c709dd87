package io.listsync.server.support;

import io.listsync.broker.ListEventBroker;
import io.listsync.server.ListSync;
import io.listsync.server.ListSyncServer;
import io.listsync.server.config.Settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real ListSync server on a free port, wired exactly as in production, with test-friendly settings (cheap
 * bcrypt, a fixed signing key, generous rate limits). Several may share one database and one Redis to stand for
 * a cluster.
 */
public final class TestServer implements AutoCloseable {

    public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

    private final ListSyncServer server;
    private final Path dataDir;

    private TestServer(ListSyncServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start(Map<String, String> settings) {
        return start(settings, null);
    }

    /**
     * @param settings configuration keys on top of the test defaults (for example the database)
     * @param broker   a broker to embed, or {@code null} for the one {@code broker.type} names
     */
    public static TestServer start(Map<String, String> settings, ListEventBroker broker) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("listsync-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("server.host", "127.0.0.1");
        all.put("data.dir", dataDir.toString());
        all.put("auth.jwt.secret", SECRET);
        all.put("auth.bcrypt-cost", "4");
        all.put("auth.rate-limit.requests-per-address-per-minute", "100000");
        // in-process servers start hundreds of times in the suite; ConnectionWarmUpTest and every test that starts
        // the server as a process (ChildServer) run the warm-up as shipped
        all.put("server.warm-up-connections", "0");
        all.putAll(settings);
        var config = Settings.load(Map.of(), all);
        ListSyncServer server = broker == null
                ? ListSyncServer.start(config)
                : ListSyncServer.start(config, ListSync.create(config, broker));
        return new TestServer(server, dataDir);
    }

    public int port() {
        return server.port();
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port();
    }

    public Api api() {
        return new Api(baseUri());
    }

    public ListSync app() {
        return server.app();
    }

    @Override
    public void close() {
        server.close();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The local Redis the tests use: {@code LISTSYNC_TEST_REDIS_URI}, by default 127.0.0.1:6379. */
    public static String localRedisUri() {
        return System.getenv().getOrDefault("LISTSYNC_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    }
}
