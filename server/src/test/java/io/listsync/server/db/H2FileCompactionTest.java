package io.listsync.server.db;

import com.fasterxml.jackson.databind.JsonNode;
import io.listsync.server.support.Api;
import io.listsync.server.support.ChildServer;
import io.listsync.server.support.Writers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The embedded H2 file: a burst of writes grows it, a clean stop gives the space back, nothing is lost")
class H2FileCompactionTest {

    private static final int WRITES = 1500;
    private static final long MIB = 1024 * 1024;

    @Test
    void aCleanStopCompactsTheFileAndKeepsEveryWrite() throws Exception {
        try (ChildServer server = ChildServer.builder("h2-compaction").build().start()) {
            Api api = server.api();
            Api.User user = api.register();
            String listId = api.createList(user, "Burst");
            Writers.createItemsConcurrently(List.of(api), user, listId, WRITES);
            JsonNode before = api.get("/api/v1/lists/" + listId, user.token()).json();
            Path file = server.dataDir().resolve("listsync.mv.db");
            long grown = Files.size(file);
            // each durable commit writes a chunk of its own, kept 45 s: the burst's garbage is most of the file
            assertThat(grown).as("the file after %d durable writes", WRITES).isGreaterThan(20 * MIB);

            server.stop(); // SIGTERM: the server closes the database, which compacts it
            long stopped = Files.size(file);
            assertThat(stopped).as("the file after a clean stop (it was %d MiB)", grown / MIB)
                    .isLessThan(grown / 4);

            server.start();
            Api restarted = server.api();
            JsonNode after = restarted.get("/api/v1/lists/" + listId, user.token()).json();
            assertThat(after.get("version").asLong()).isEqualTo(before.get("version").asLong());
            assertThat(after.get("itemCount").asLong()).isEqualTo(WRITES);
        }
    }
}
