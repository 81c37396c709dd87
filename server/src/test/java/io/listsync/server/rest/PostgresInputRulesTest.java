package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Input rules on PostgreSQL")
class PostgresInputRulesTest extends InputRulesTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }
}
