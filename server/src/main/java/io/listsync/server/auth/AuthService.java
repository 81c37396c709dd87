package io.listsync.server.auth;

import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.users.User;
import io.listsync.server.users.UserRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts and sessions: register, login, refresh.
 */
public final class AuthService {

    private final Database db;
    private final UserRepository users;
    private final PasswordHasher passwords;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final RateLimiter failedLogins;

    public AuthService(Database db, UserRepository users, PasswordHasher passwords, AccessTokens accessTokens,
                       RefreshTokens refreshTokens, AuthSettings settings, java.time.Clock clock) {
        this.db = db;
        this.users = users;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.failedLogins = new RateLimiter(settings.failedLoginsPerAccount(), Duration.ofMinutes(15), clock);
    }

    public Session register(String email, String password, String displayName) {
        String hash = passwords.hash(password);
        User user = new User(UUID.randomUUID().toString(), UserRepository.normalize(email), displayName);
        return db.inTransaction(tx -> {
            if (users.emailTaken(tx, email)) {
                throw DomainException.conflict("An account with this email already exists");
            }
            Instant now = Rows.now();
            users.insert(tx, user, hash, now);
            return session(tx, user, Optional.empty(), now);
        });
    }

    public Session login(String email, String password) {
        String account = UserRepository.normalize(email);
        failedLogins.check(account).ifPresent(retry -> {
            throw DomainException.rateLimited("Too many failed logins for this account; try again later", retry);
        });
        Optional<UserRepository.Credentials> credentials = users.credentials(db.read(), account);
        boolean valid = credentials.map(c -> passwords.matches(password, c.passwordHash())).orElseGet(() -> {
            passwords.burnEquivalentTime(password);
            return false;
        });
        if (!valid) {
            failedLogins.acquire(account);
            throw DomainException.unauthenticated("Email or password is wrong");
        }
        failedLogins.reset(account);
        User user = credentials.get().user();
        return db.inTransaction(tx -> session(tx, user, Optional.empty(), Rows.now()));
    }

    public Session refresh(String refreshToken) {
        // The transaction commits in every case, so that revoking a reused token's family sticks.
        Optional<Session> session = db.inTransaction(tx -> {
            Instant now = Rows.now();
            if (refreshTokens.redeem(tx, refreshToken, now) instanceof RefreshTokens.Redemption.Valid valid) {
                return users.byId(tx, valid.userId()).map(user -> session(tx, user, Optional.of(valid.familyId()), now));
            }
            return Optional.empty();
        });
        return session.orElseThrow(() -> DomainException.unauthenticated("Refresh token is invalid, expired or already used"));
    }

    /** Signs a session out: its refresh token, and every token rotated from the same login, stop working. */
    public void logout(String refreshToken) {
        db.inTransaction(tx -> {
            refreshTokens.revokeFamily(tx, refreshToken);
            return null;
        });
    }

    public User me(String userId) {
        return users.byId(db.read(), userId).orElseThrow(() -> DomainException.unauthenticated("Unknown user"));
    }

    private Session session(io.helidon.dbclient.DbExecute tx, User user, Optional<String> family, Instant now) {
        String refresh = refreshTokens.issue(tx, user.id(), family, now);
        AccessTokens.Issued access = accessTokens.issue(user.id());
        return new Session(user, access.token(), refresh, access.expiresInSeconds());
    }
}
