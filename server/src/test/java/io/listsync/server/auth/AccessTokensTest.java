package io.listsync.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an access token must be to be accepted: exactly the compact form this server signs, within its times.
 */
class AccessTokensTest {

    private static final byte[] KEY = "access-tokens-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final AccessTokens tokens = new AccessTokens(KEY, Duration.ofMinutes(15), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    @DisplayName("a token this server issued is accepted as it is")
    void issuedTokenVerifies() {
        String token = tokens.issue("user-1").token();
        assertThat(tokens.verify(token)).map(AccessTokens.Verified::userId).contains("user-1");
    }

    @Test
    @DisplayName("characters appended to, or inserted in, any segment make the token invalid")
    void strictBase64url() {
        String token = tokens.issue("user-1").token();
        String[] parts = token.split("\\.");
        for (String extra : List.of("=", "==", "%", "!", " ", "+", "/", "*", "A")) {
            assertThat(tokens.verify(token + extra)).as("signature + " + extra).isEmpty();
            assertThat(tokens.verify(parts[0] + extra + "." + parts[1] + "." + parts[2])).as("header + " + extra).isEmpty();
            assertThat(tokens.verify(parts[0] + "." + parts[1] + extra + "." + parts[2])).as("payload + " + extra).isEmpty();
        }
        assertThat(tokens.verify(token + ".")).isEmpty();
        assertThat(tokens.verify(parts[0] + "." + parts[1])).isEmpty();
    }

    @Test
    @DisplayName("another spelling of the same signature bytes (unused trailing bits set) is refused")
    void nonCanonicalSignature() {
        String token = tokens.issue("user-1").token();
        // an HS256 signature is 32 bytes: 43 base64url characters, the last carrying 2 unused bits
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String respelled = token.substring(0, token.length() - 1) + sibling;
        assertThat(java.util.Base64.getUrlDecoder().decode(respelled.substring(respelled.lastIndexOf('.') + 1)))
                .as("the same bytes").isEqualTo(java.util.Base64.getUrlDecoder()
                        .decode(token.substring(token.lastIndexOf('.') + 1)));
        assertThat(tokens.verify(respelled)).isEmpty();
    }

    @Test
    @DisplayName("a token that is not valid yet (nbf in the future beyond the clock skew) is refused; within it, accepted")
    void notBefore() throws Exception {
        assertThat(tokens.verify(signed(NOW.plusSeconds(120)))).isEmpty();
        assertThat(tokens.verify(signed(NOW.plusSeconds(10)))).isPresent();
        assertThat(tokens.verify(signed(NOW.minusSeconds(60)))).isPresent();
    }

    private static String signed(Instant notBefore) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("listsync").subject("user-1")
                .issueTime(Date.from(NOW)).notBeforeTime(Date.from(notBefore))
                .expirationTime(Date.from(NOW.plusSeconds(600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }

    @Test
    @DisplayName("a token verified before (and remembered) is still refused once it expires")
    void rememberedTokenExpires() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        AccessTokens remembering = new AccessTokens(KEY, Duration.ofMinutes(15), moving);
        String token = remembering.issue("user-1").token();
        assertThat(remembering.verify(token)).isPresent();
        now[0] = NOW.plus(Duration.ofMinutes(14));
        assertThat(remembering.verify(token)).map(AccessTokens.Verified::userId).contains("user-1");
        now[0] = NOW.plus(Duration.ofMinutes(15));
        assertThat(remembering.verify(token)).isEmpty();
        assertThat(remembering.verify(token)).as("and stays refused").isEmpty();
        assertThat(remembering.verify(token + "x")).as("another spelling is never remembered").isEmpty();
    }
}
