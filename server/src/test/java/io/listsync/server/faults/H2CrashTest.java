package io.listsync.server.faults;

import io.listsync.server.support.ChildServer;
import org.junit.jupiter.api.DisplayName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

@DisplayName("SIGKILL during concurrent writes on the embedded H2 default: every 2xx write survives, version and log agree")
class H2CrashTest extends CrashTest {

    @Override
    Map<String, String> databaseSettings() {
        return Map.of(); // the shipped default: an H2 file under data.dir
    }

    @Override
    Connection openDatabase(ChildServer server) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + server.dataDir().resolve("listsync")
                + ";DATABASE_TO_LOWER=TRUE");
    }
}
