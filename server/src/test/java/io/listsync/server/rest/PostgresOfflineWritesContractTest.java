package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Client-chosen ids and what wins, on PostgreSQL")
class PostgresOfflineWritesContractTest extends OfflineWritesContractTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }
}
