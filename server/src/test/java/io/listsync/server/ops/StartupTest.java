package io.listsync.server.ops;

import io.listsync.server.ListSyncServer;
import io.listsync.server.config.Settings;
import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an operator sees when starting the server: embedded defaults, the signing key, configuration mistakes.
 */
class StartupTest {

    private static Map<String, String> defaults(Path dataDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("data.dir", dataDir.toString());
        settings.put("auth.bcrypt-cost", "4");
        return settings;
    }

    @Test
    @DisplayName("with no configuration the server keeps an H2 database and a generated key in the data folder, so a restart keeps users signed in")
    void embeddedDefaultsSurviveRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("listsync-startup");
        User user;
        String listId;
        try (ListSyncServer server = ListSyncServer.start(Settings.load(Map.of(), defaults(dataDir)))) {
            Api api = new Api("http://127.0.0.1:" + server.port());
            user = api.register();
            listId = api.createList(user, "Survives");
            Api.Response health = api.get("/observe/health", null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text()).contains("\"database\"", "\"H2\"", "\"broker\"", "\"inmemory\"");
        }
        assertThat(dataDir.resolve("jwt-secret")).exists();
        assertThat(dataDir.resolve("listsync.mv.db")).exists();
        try (ListSyncServer server = ListSyncServer.start(Settings.load(Map.of(), defaults(dataDir)))) {
            Api api = new Api("http://127.0.0.1:" + server.port());
            assertThat(api.get("/api/v1/me", user.token()).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/lists/" + listId, user.token()).json().get("name").asText())
                    .isEqualTo("Survives");
        }
    }

    @Test
    @DisplayName("a signing secret shorter than 256 bits is refused at start-up")
    void shortSecret() throws Exception {
        Map<String, String> settings = defaults(Files.createTempDirectory("listsync-startup"));
        settings.put("auth.jwt.secret", "too-short");
        assertThatThrownBy(() -> ListSyncServer.start(Settings.load(Map.of(), settings)))
                .hasMessageContaining("at least 256 bits");
    }

    @Test
    @DisplayName("an unknown broker type fails start-up and names the brokers that are available")
    void unknownBroker() throws Exception {
        Map<String, String> settings = defaults(Files.createTempDirectory("listsync-startup"));
        settings.put("broker.type", "carrier-pigeon");
        assertThatThrownBy(() -> ListSyncServer.start(Settings.load(Map.of(), settings)))
                .hasMessageContaining("carrier-pigeon").hasMessageContaining("inmemory").hasMessageContaining("redis");
    }

    @Test
    @DisplayName("environment variables from the contract's table override the file")
    void environment() {
        var config = Settings.load(Map.of("REALTIME_PING_INTERVAL", "PT5S", "BROKER_TYPE", "redis",
                "DB_CONNECTION_URL", "jdbc:postgresql://db/x", "AUTH_JWT_SECRET", "s".repeat(40)), Map.of());
        assertThat(config.get("realtime.ping-interval").asString().get()).isEqualTo("PT5S");
        assertThat(config.get("broker.type").asString().get()).isEqualTo("redis");
        assertThat(config.get("db.connection.url").asString().get()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(config.get("auth.jwt.secret").asString().get()).hasSize(40);
        assertThat(config.get("server.port").asInt().get()).isEqualTo(8080);
    }

    @Test
    @DisplayName("auth calls from one address are limited (429 with Retry-After), never below 60 a minute")
    void perAddressLimit() throws Exception {
        Map<String, String> settings = defaults(Files.createTempDirectory("listsync-startup"));
        settings.put("auth.rate-limit.requests-per-address-per-minute", "60");
        try (ListSyncServer server = ListSyncServer.start(Settings.load(Map.of(), settings))) {
            Api api = new Api("http://127.0.0.1:" + server.port());
            String body = json(Map.of("email", "nobody@example.com", "password", "whatever-1"));
            int refused = 0;
            int answered = 0;
            Api.Response last = null;
            for (int i = 0; i < 61; i++) {
                last = api.post("/api/v1/auth/refresh", null, json(Map.of("refreshToken", "x" + i)));
                if (last.status() == 429) {
                    refused++;
                } else {
                    answered++;
                }
            }
            assertThat(answered).isEqualTo(60);
            assertThat(refused).isEqualTo(1);
            assertThat(last.headers().firstValue("retry-after")).isPresent();
            assertThat(api.post("/api/v1/auth/login", null, body).status()).isEqualTo(429);
        }
        Map<String, String> tooLow = defaults(Files.createTempDirectory("listsync-startup"));
        tooLow.put("auth.rate-limit.requests-per-address-per-minute", "30");
        assertThatThrownBy(() -> ListSyncServer.start(Settings.load(Map.of(), tooLow)))
                .hasMessageContaining("at least 60");
    }
}
