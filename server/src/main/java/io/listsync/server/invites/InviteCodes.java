package io.listsync.server.invites;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
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
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    private InviteCodes(SecretKeySpec key) {
        this.key = key;
    }

    /** Derives the sealing key from the server secret (HMAC-SHA256 with a fixed label, so the secret is not reused as is). */
    public static InviteCodes fromSecret(byte[] serverSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(serverSecret, "HmacSHA256"));
            byte[] derived = mac.doFinal("listsync invite codes v1".getBytes(StandardCharsets.UTF_8));
            return new InviteCodes(new SecretKeySpec(derived, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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

    /** The code encrypted for the invite {@code inviteId}: base64 of IV and ciphertext with its tag. */
    public String seal(String inviteId, String code) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(inviteId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }

    /** The code back, or empty when it was sealed under another secret (or the row was tampered with). */
    public Optional<String> open(String inviteId, String sealed) {
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(inviteId.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES),
                    StandardCharsets.US_ASCII));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }
}
