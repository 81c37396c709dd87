package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Activity (contract 1.1) on embedded H2")
class H2ActivityRestTest extends ActivityRestTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
