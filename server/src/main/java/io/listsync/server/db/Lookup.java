package io.listsync.server.db;

import java.util.Map;
import java.util.function.Function;

/**
 * A read of at most one row that can share a round trip with other reads of its transaction
 * ({@link Database#lookUp}).
 *
 * @param sql    one {@code SELECT} with {@code ?} parameters
 * @param params its parameters ({@code null} for SQL NULL)
 * @param read   what the row means: gets its columns by lower-case label, or {@code null} when there is no row
 * @param <R>    what the read yields
 */
public record Lookup<R>(String sql, Object[] params, Function<Map<String, Object>, R> read) {

    public static <R> Lookup<R> of(Function<Map<String, Object>, R> read, String sql, Object... params) {
        return new Lookup<>(sql, params, read);
    }
}
