package io.listsync.server.db;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the database is. Without {@code db.connection.url}, an H2 file database under the data folder.
 *
 * <p>An answer of 2xx means the change survives a crash of the server process, on every database. PostgreSQL
 * flushes its write-ahead log on every commit by default. Embedded H2 (MVStore) does not: by default it writes
 * committed changes to its file from a background thread up to {@code WRITE_DELAY} (500 ms) later, so a killed
 * process loses what was acknowledged in that window. {@code WRITE_DELAY=0} makes every commit write its chunk to
 * the file before the commit returns; it is added to every persistent H2 URL that does not choose a delay itself.
 *
 * @param url      the JDBC URL
 * @param username optional user
 * @param password optional password
 * @param poolSize connections in the pool
 */
public record DatabaseSettings(String url, Optional<String> username, Optional<String> password, int poolSize) {

    private static final System.Logger LOG = System.getLogger(DatabaseSettings.class.getName());
    private static final Pattern WRITE_DELAY = Pattern.compile("(?i);WRITE_DELAY=(-?\\d+)");

    public static DatabaseSettings from(Config db, Path dataDir) {
        String url = db.get("connection.url").asString()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("listsync")
                        + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        return new DatabaseSettings(durable(url),
                db.get("connection.username").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("connection.password").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("pool-size").asInt().orElse(16));
    }

    /**
     * The URL with {@code WRITE_DELAY=0} added when it names a persistent H2 database without a write delay of its
     * own; any other URL as given. A URL that sets a delay above 0 keeps it, with a warning.
     */
    static String durable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:")) {
            return url;
        }
        Matcher delay = WRITE_DELAY.matcher(url);
        if (!delay.find()) {
            return url + ";WRITE_DELAY=0";
        }
        if (!delay.group(1).equals("0")) {
            LOG.log(System.Logger.Level.WARNING, "db.connection.url sets WRITE_DELAY=" + delay.group(1)
                    + ": writes acknowledged in the last " + delay.group(1)
                    + " ms before a crash of the process will be lost");
        }
        return url;
    }

    @Override
    public String toString() {
        // never print the password
        return "DatabaseSettings[url=" + url.replaceAll("(?i)(password=)[^;&]*", "$1***") + ", username="
                + username.orElse("") + ", poolSize=" + poolSize + "]";
    }
}
