package io.listsync.server.db;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A persistent H2 URL gets the server's durability and compaction settings unless it sets its own")
class DatabaseSettingsTest {

    private static final String FILE = "jdbc:h2:file:/var/lib/listsync/listsync;DATABASE_TO_LOWER=TRUE";

    @Test
    void aFileUrlGetsBoth() {
        assertThat(DatabaseSettings.withFileDefaults(FILE))
                .isEqualTo(FILE + ";WRITE_DELAY=0;MAX_COMPACT_TIME=" + DatabaseSettings.CLOSE_COMPACTION_MS);
    }

    @Test
    void aUrlKeepsWhatItSets() {
        String own = FILE + ";max_compact_time=0;WRITE_DELAY=0";
        assertThat(DatabaseSettings.withFileDefaults(own)).isEqualTo(own);
    }

    @Test
    void otherDatabasesAreLeftAsGiven() {
        for (String url : new String[] {"jdbc:h2:mem:test;DB_CLOSE_DELAY=-1", "jdbc:postgresql://db:5432/listsync"}) {
            assertThat(DatabaseSettings.withFileDefaults(url)).isEqualTo(url);
        }
    }
}
