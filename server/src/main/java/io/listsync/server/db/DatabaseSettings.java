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
 * <p>Durable commits write a chunk each (about 30 KiB) and H2 keeps replaced chunks 45 s, so a burst of writes grows
 * the file to about rate × 45 s × 30 KiB. H2 reuses that space but gives it back to the disk only when it compacts
 * on close, for at most {@code MAX_COMPACT_TIME}: its 200 ms default moved nothing of a 1.7 GB file that 5 s took to
 * 71 MB. {@link #CLOSE_COMPACTION_MS} is added the same way, so a clean stop returns a burst's garbage.
 *
 * @param url      the JDBC URL
 * @param username optional user
 * @param password optional password
 * @param poolSize connections in the pool
 */
public record DatabaseSettings(String url, Optional<String> username, Optional<String> password, int poolSize) {

    private static final System.Logger LOG = System.getLogger(DatabaseSettings.class.getName());
    private static final Pattern WRITE_DELAY = Pattern.compile("(?i);WRITE_DELAY=(-?\\d+)");
    private static final Pattern MAX_COMPACT_TIME = Pattern.compile("(?i);MAX_COMPACT_TIME=");
    /** How long closing the file database may compact; an already compact file closes about as fast as before. */
    static final int CLOSE_COMPACTION_MS = 5000;

    public static DatabaseSettings from(Config db, Path dataDir) {
        String url = db.get("connection.url").asString()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("listsync")
                        + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        return new DatabaseSettings(withFileDefaults(url),
                db.get("connection.username").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("connection.password").asString().asOptional().filter(s -> !s.isBlank()),
                db.get("pool-size").asInt().orElse(16));
    }

    /**
     * The URL with this server's settings for a persistent H2 database added where it does not set them itself:
     * {@code WRITE_DELAY=0} (a URL that sets a delay above 0 keeps it, with a warning) and
     * {@code MAX_COMPACT_TIME}; any other URL as given.
     */
    static String withFileDefaults(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:")) {
            return url;
        }
        String result = url;
        Matcher delay = WRITE_DELAY.matcher(url);
        if (!delay.find()) {
            result += ";WRITE_DELAY=0";
        } else if (!delay.group(1).equals("0")) {
            LOG.log(System.Logger.Level.WARNING, "db.connection.url sets WRITE_DELAY=" + delay.group(1)
                    + ": writes acknowledged in the last " + delay.group(1)
                    + " ms before a crash of the process will be lost");
        }
        if (!MAX_COMPACT_TIME.matcher(url).find()) {
            result += ";MAX_COMPACT_TIME=" + CLOSE_COMPACTION_MS;
        }
        return result;
    }

    @Override
    public String toString() {
        // never print the password
        return "DatabaseSettings[url=" + url.replaceAll("(?i)(password=)[^;&]*", "$1***") + ", username="
                + username.orElse("") + ", poolSize=" + poolSize + "]";
    }
}
