package io.listsync.server.auth;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * {@code auth.*} settings.
 *
 * @param accessTokenTtl        lifetime of access tokens (default 15 minutes)
 * @param refreshTokenTtl       lifetime of refresh tokens (default 30 days)
 * @param bcryptCost            bcrypt work factor (default 12)
 * @param requestsPerAddress    auth requests allowed per client address per minute (at least 60, default 120)
 * @param failedLoginsPerAccount failed logins allowed per account per 15 minutes (default 10)
 */
public record AuthSettings(Duration accessTokenTtl, Duration refreshTokenTtl, int bcryptCost,
                           int requestsPerAddress, int failedLoginsPerAccount) {

    public static AuthSettings from(Config auth) {
        int perAddress = auth.get("rate-limit.requests-per-address-per-minute").asInt().orElse(120);
        if (perAddress < 60) {
            throw new IllegalStateException("auth.rate-limit.requests-per-address-per-minute must be at least 60");
        }
        return new AuthSettings(
                auth.get("access-token-ttl").as(Duration.class).orElse(Duration.ofMinutes(15)),
                auth.get("refresh-token-ttl").as(Duration.class).orElse(Duration.ofDays(30)),
                auth.get("bcrypt-cost").asInt().orElse(12),
                perAddress,
                auth.get("rate-limit.failed-logins-per-account").asInt().orElse(10));
    }
}
