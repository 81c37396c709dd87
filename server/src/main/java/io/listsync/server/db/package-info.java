/**
 * The database: the HikariCP pool and Helidon DbClient, migrations (Flyway), transactions and units of work that
 * run actions after commit, the turn-taking of writers on embedded H2 ({@link io.listsync.server.db.WriteGate}), and
 * the mapping of driver failures to 503 / 409.
 */
package io.listsync.server.db;
