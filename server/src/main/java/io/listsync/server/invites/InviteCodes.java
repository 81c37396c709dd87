package io.listsync.server.invites;

import io.listsync.server.auth.SecretBox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Invite codes: 192 random bits, URL-safe base64 (32 characters). The database never holds a code in a form that
 * opens a list:
 * <ul>
 *     <li>{@link #hash} (SHA-256) finds the invite when a code is presented; with 192 random bits a plain hash cannot
 *     be reversed or guessed;</li>
 *     <li>{@link #seal} encrypts the code (AES-256-GCM, bound to the invite's id) under a key derived from the
 *     server's secret ({@code auth.jwt.secret}, which is not in the database), so the owner can see and copy the link
 *     again later. Rotating that secret leaves old invites working, but their codes can then no longer be shown.</li>
 * </ul>
 */
public final class InviteCodes {

    private static final int CODE_BYTES = 24;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{32}");

    private final SecureRandom random = new SecureRandom();
    private final SecretBox box;

    private InviteCodes(SecretBox box) {
        this.box = box;
    }

    /** The sealing key is derived from the server secret with a label of its own. */
    public static InviteCodes fromSecret(byte[] serverSecret) {
        return new InviteCodes(SecretBox.fromSecret(serverSecret, "listsync invite codes v1"));
    }

    public String newCode() {
        byte[] raw = new byte[CODE_BYTES];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Whether the text could be a code at all (anything else is answered "unknown" without a database look-up). */
    public static boolean wellFormed(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    public static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The code encrypted for the invite {@code inviteId}. */
    public String seal(String inviteId, String code) {
        return box.seal(inviteId, code.getBytes(StandardCharsets.US_ASCII));
    }

    /** The code back, or empty when it was sealed under another secret (or the row was tampered with). */
    public Optional<String> open(String inviteId, String sealed) {
        return box.open(inviteId, sealed).map(bytes -> new String(bytes, StandardCharsets.US_ASCII));
    }
}
