package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("REST contract on PostgreSQL")
class PostgresRestContractTest extends RestContractTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }
}
