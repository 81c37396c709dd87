package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("REST contract on embedded H2")
class H2RestContractTest extends RestContractTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
