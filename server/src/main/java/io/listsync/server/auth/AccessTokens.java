package io.listsync.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Issues and verifies access tokens: JWTs signed with HS256 and the configured key. The algorithm is pinned:
 * a token with {@code alg: none} or any other algorithm is refused before its signature is looked at.
 */
public final class AccessTokens {

    private static final String ISSUER = "listsync";
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    /** Tolerated clock difference between instances. */
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    /**
     * Tokens seen and verified, until they expire: a client sends the same token with every request and socket of
     * its lifetime, and parsing and checking it each time was about 4% of the CPU and of the allocation of a
     * write. Only the very same string hits (the signature covers it; {@link #compact} refused other spellings).
     */
    private static final int MAX_REMEMBERED = 50_000;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    public AccessTokens(byte[] key, Duration ttl, Clock clock) {
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("Invalid token signing key: " + e.getMessage(), e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A verified token's subject and expiry. */
    public record Verified(String userId, Instant expiresAt) {
    }

    public record Issued(String token, long expiresInSeconds) {
    }

    public Issued issue(String userId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
        return new Issued(jwt.serialize(), ttl.toSeconds());
    }

    /**
     * @return the verified token, or empty when it is malformed (anything but three canonical base64url segments),
     *         not HS256, badly signed, expired, not yet valid ({@code nbf}), issued in the future or without a subject
     */
    public Optional<Verified> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return Optional.empty();
        }
        Verified known = verified.get(token);
        if (known != null) {
            if (known.expiresAt().isAfter(clock.instant())) {
                return Optional.of(known);
            }
            verified.remove(token, known);
            return Optional.empty();
        }
        Optional<Verified> checked = check(token);
        checked.ifPresent(v -> remember(token, v));
        return checked;
    }

    /** Keeps a verified token until it expires; bounded (expired ones go first, then all). */
    private void remember(String token, Verified v) {
        if (verified.size() >= MAX_REMEMBERED) {
            Instant now = clock.instant();
            verified.values().removeIf(old -> !old.expiresAt().isAfter(now));
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(token, v);
    }

    private Optional<Verified> check(String token) {
        if (!compact(token)) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            Date iat = claims.getIssueTime();
            Date nbf = claims.getNotBeforeTime();
            String subject = claims.getSubject();
            if (exp == null || iat == null || subject == null || subject.isBlank()
                    || !ISSUER.equals(claims.getIssuer())
                    || !exp.toInstant().isAfter(now)
                    || iat.toInstant().isAfter(now.plus(SKEW))
                    || (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW)))) {
                return Optional.empty();
            }
            return Optional.of(new Verified(subject, exp.toInstant()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the token is exactly {@code header.payload.signature}, each segment canonical unpadded base64url.
     * The JOSE library's decoder skips characters outside the alphabet, so without this a token with {@code =},
     * {@code %} or {@code !} appended to its signature, or another spelling of the same bytes, was accepted as the
     * original.
     */
    static boolean compact(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || !BASE64URL.matcher(segment).matches()) {
                return false;
            }
            byte[] decoded;
            try {
                decoded = Base64.getUrlDecoder().decode(segment);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(segment)) {
                return false; // unused trailing bits set: another spelling of the same bytes
            }
        }
        return true;
    }
}
