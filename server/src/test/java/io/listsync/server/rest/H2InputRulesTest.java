package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Input rules on embedded H2")
class H2InputRulesTest extends InputRulesTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
