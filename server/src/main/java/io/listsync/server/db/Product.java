package io.listsync.server.db;

/**
 * The database behind the pool, and what that means for how the server talks to it.
 */
enum Product {
    /** Embedded H2 (the default): one writer at a time ({@link WriteGate}), statements one by one. */
    H2,
    /** PostgreSQL: writers in parallel, several statements (a {@code COMMIT} among them) in one message. */
    POSTGRESQL,
    /** Anything else JDBC reaches: treated with PostgreSQL's parallelism but H2's one statement at a time. */
    OTHER;

    /** From JDBC's {@code DatabaseMetaData.getDatabaseProductName()}. */
    static Product of(String productName) {
        return switch (productName) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default -> OTHER;
        };
    }

    /** Whether writing transactions must take turns (see {@link WriteGate}). */
    boolean writersTakeTurns() {
        return this == H2;
    }

    /** Whether several statements, a {@code COMMIT} among them, can go in one message. */
    boolean statementsShareAMessage() {
        return this == POSTGRESQL;
    }
}
