package io.listsync.server.users;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.Rows;

import java.time.Instant;
import java.util.Optional;

/**
 * Users table access. Emails are stored lower-cased.
 */
public final class UserRepository {

    /** A user with the password hash, for login only. */
    public record Credentials(User user, String passwordHash) {
    }

    public void insert(DbExecute db, User user, String passwordHash, Instant now) {
        db.insert("INSERT INTO users (id, email, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                user.id(), user.email(), user.displayName(), passwordHash, Rows.param(now));
    }

    public boolean exists(DbExecute db, String id) {
        return db.get("SELECT 1 FROM users WHERE id = ?", id).isPresent();
    }

    public boolean emailTaken(DbExecute db, String email) {
        return db.get("SELECT 1 FROM users WHERE email = ?", normalize(email)).isPresent();
    }

    public Optional<Credentials> credentials(DbExecute db, String email) {
        return db.get("SELECT id, email, display_name, password_hash FROM users WHERE email = ?", normalize(email))
                .map(row -> new Credentials(user(row), Rows.string(row, "password_hash")));
    }

    public Optional<User> byId(DbExecute db, String id) {
        return db.get("SELECT id, email, display_name FROM users WHERE id = ?", id).map(UserRepository::user);
    }

    public Optional<User> byEmail(DbExecute db, String email) {
        return db.get("SELECT id, email, display_name FROM users WHERE email = ?", normalize(email))
                .map(UserRepository::user);
    }

    public static String normalize(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }

    static User user(DbRow row) {
        return new User(Rows.string(row, "id"), Rows.string(row, "email"), Rows.string(row, "display_name"));
    }
}
