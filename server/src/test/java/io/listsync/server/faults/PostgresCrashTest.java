package io.listsync.server.faults;

import io.listsync.server.support.ChildServer;
import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

@DisplayName("SIGKILL during concurrent writes on PostgreSQL: every 2xx write survives, version and log agree")
class PostgresCrashTest extends CrashTest {

    private TestDatabases.TestDatabase database;

    @BeforeEach
    void createDatabase() {
        database = TestDatabases.postgres();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Override
    Map<String, String> databaseSettings() {
        return database.settings();
    }

    @Override
    Connection openDatabase(ChildServer server) throws SQLException {
        Map<String, String> settings = database.settings();
        return DriverManager.getConnection(settings.get("db.connection.url"), settings.get("db.connection.username"), "");
    }
}
