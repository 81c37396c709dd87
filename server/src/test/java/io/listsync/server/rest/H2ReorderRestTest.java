package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Reordering with gapped positions on embedded H2")
class H2ReorderRestTest extends ReorderRestTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
