package io.listsync.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The HMAC key that signs access tokens. Configured with {@code auth.jwt.secret} (every instance of a cluster
 * must share it); on a single node without one, generated once and kept in the data folder so a restart does
 * not sign everybody out.
 */
public final class JwtSecret {

    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_BYTES = 32;
    private static final String FILE_NAME = "jwt-secret";
    private static final System.Logger LOG = System.getLogger(JwtSecret.class.getName());

    private JwtSecret() {
    }

    public static byte[] resolve(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            byte[] key = configured.get().getBytes(StandardCharsets.UTF_8);
            if (key.length < MIN_BYTES) {
                throw new IllegalStateException("auth.jwt.secret (AUTH_JWT_SECRET) is " + key.length * 8
                        + " bits; it must be at least 256 bits (32 bytes)");
            }
            return key;
        }
        return loadOrGenerate(dataDir.resolve(FILE_NAME));
    }

    private static byte[] loadOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
                if (key.length < MIN_BYTES) {
                    throw new IllegalStateException(file + " holds a key shorter than 256 bits");
                }
                return key;
            }
            byte[] key = new byte[64];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW);
            restrictToOwner(file);
            LOG.log(System.Logger.Level.INFO, "Generated a token signing key in " + file
                    + " (set auth.jwt.secret to share one across instances)");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token signing key " + file, e);
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not restrict permissions of " + file, e);
        }
    }
}
