package io.listsync.server.db;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reading and writing values the same way on H2 and PostgreSQL, whose drivers return different Java types for
 * the same SQL type.
 */
public final class Rows {

    private Rows() {
    }

    /** Runs a query and maps every row; the result set is closed before this returns. */
    public static <T> List<T> list(DbExecute db, Function<DbRow, T> mapper, String sql, Object... params) {
        try (Stream<DbRow> rows = db.query(sql, params)) {
            return rows.map(mapper).toList();
        }
    }

    /** The current time as stored: UTC, milliseconds. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A parameter value for a {@code TIMESTAMP WITH TIME ZONE} column. */
    public static OffsetDateTime param(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** The column's value, or {@code null} for SQL NULL. */
    public static Object value(DbRow row, String column) {
        return row.column(column).asOptional().orElse(null);
    }

    public static String string(DbRow row, String column) {
        Object value = value(row, column);
        return value == null ? null : value.toString();
    }

    public static long longValue(DbRow row, String column) {
        return ((Number) value(row, column)).longValue();
    }

    public static int intValue(DbRow row, String column) {
        return ((Number) value(row, column)).intValue();
    }

    public static boolean bool(DbRow row, String column) {
        return (Boolean) value(row, column);
    }

    public static Instant instant(DbRow row, String column) {
        Object value = value(row, column);
        return switch (value) {
            case null -> null;
            case OffsetDateTime odt -> odt.toInstant();
            case Timestamp ts -> ts.toInstant();
            case Instant i -> i;
            case LocalDateTime ldt -> ldt.toInstant(ZoneOffset.UTC);
            case java.time.ZonedDateTime zdt -> zdt.toInstant();
            default -> throw new IllegalStateException("Unexpected time type " + value.getClass() + " in " + column);
        };
    }
}
