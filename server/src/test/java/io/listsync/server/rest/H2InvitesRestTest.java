package io.listsync.server.rest;

import io.listsync.server.support.TestDatabases;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Invites (contract 1.1) on embedded H2")
class H2InvitesRestTest extends InvitesRestTest {

    @Override
    TestDatabases.TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
