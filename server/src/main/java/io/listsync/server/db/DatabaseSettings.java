package io.listsync.server.db;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the database is. Without {@code db.connection.url}, an H2 file database under the data folder.
 *
 * @param url      the JDBC URL
 * @param username optional user
 * @param password optional password
 * @param poolSize connections in the pool
 */
public record DatabaseSettings(String url, Optional<String> username, Optional<String> password, int poolSize) {

    public static DatabaseSettings from(Config db, Path dataDir) {
        String url = db.get("connection.url").asString()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("listsync")
                        + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        return new DatabaseSettings(url,
                db.get("connection.username").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("connection.password").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("pool-size").asInt().orElse(16));
    }

    @Override
    public String toString() {
        // never print the password
        return "DatabaseSettings[url=" + url.replaceAll("(?i)(password=)[^;&]*", "$1***") + ", username="
                + username.orElse("") + ", poolSize=" + poolSize + "]";
    }
}
