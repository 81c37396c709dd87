package io.listsync.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Statements sent with plain JDBC on a unit of work's connection: several in one message where the database takes
 * that (PostgreSQL: the driver sends them together and waits once), one by one elsewhere.
 */
final class Messages {

    /**
     * Statements sent together, joined, by the statements: the application has a few dozen such sequences, well
     * under the bound (past it a sequence is joined anew each time).
     */
    private static final Map<List<String>, String> JOINED = new ConcurrentHashMap<>();
    private static final int MAX_JOINED = 256;

    /** One write: a statement with {@code ?} parameters. */
    record Write(String dml, Object[] params) {
    }

    private final boolean together;

    /** @param together whether the database takes several statements in one message */
    Messages(boolean together) {
        this.together = together;
    }

    /** Whether several statements go in one message. */
    boolean together() {
        return together;
    }

    /** Runs the writes in order, then {@code COMMIT} if asked (which only a single message can carry). */
    void write(Connection connection, List<Write> writes, boolean withCommit) throws SQLException {
        if (!together) {
            for (Write write : writes) {
                try (PreparedStatement statement = connection.prepareStatement(write.dml())) {
                    bind(statement, 1, write.params());
                    statement.execute();
                }
            }
            return;
        }
        List<String> sql = new ArrayList<>(writes.size() + 1);
        writes.forEach(write -> sql.add(write.dml()));
        if (withCommit) {
            sql.add("COMMIT");
        }
        try (PreparedStatement statement = connection.prepareStatement(joined(sql))) {
            int index = 1;
            for (Write write : writes) {
                index = bind(statement, index, write.params());
            }
            statement.execute();
        }
    }

    /** What each lookup read, in order. */
    List<Object> lookUp(Connection connection, List<Lookup<?>> lookups) throws SQLException {
        List<Object> found = new ArrayList<>(lookups.size());
        if (!together || lookups.size() == 1) {
            for (Lookup<?> lookup : lookups) {
                try (PreparedStatement statement = connection.prepareStatement(lookup.sql())) {
                    bind(statement, 1, lookup.params());
                    try (ResultSet rows = statement.executeQuery()) {
                        found.add(lookup.read().apply(firstRow(rows)));
                    }
                }
            }
            return found;
        }
        List<String> sql = new ArrayList<>(lookups.size());
        lookups.forEach(lookup -> sql.add(lookup.sql()));
        try (PreparedStatement statement = connection.prepareStatement(joined(sql))) {
            int index = 1;
            for (Lookup<?> lookup : lookups) {
                index = bind(statement, index, lookup.params());
            }
            statement.execute();
            for (Lookup<?> lookup : lookups) {
                try (ResultSet rows = statement.getResultSet()) {
                    found.add(lookup.read().apply(firstRow(rows)));
                }
                statement.getMoreResults();
            }
        }
        return found;
    }

    private static String joined(List<String> statements) {
        String sql = JOINED.get(statements);
        if (sql == null) {
            sql = String.join("; ", statements);
            if (JOINED.size() < MAX_JOINED) {
                JOINED.put(statements, sql);
            }
        }
        return sql;
    }

    private static int bind(PreparedStatement statement, int first, Object[] params) throws SQLException {
        int index = first;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }

    private static Map<String, Object> firstRow(ResultSet rows) throws SQLException {
        if (!rows.next()) {
            return null;
        }
        ResultSetMetaData columns = rows.getMetaData();
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            row.put(columns.getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getObject(i));
        }
        return row;
    }
}
