package io.listsync.server.http;

import java.util.Optional;

/**
 * The one rule for text a client sends, in any field, path segment or query value, on every database:
 * <ul>
 *     <li>lengths are counted in Unicode code points (the contract's "characters"), so an emoji is one;</li>
 *     <li>NUL (U+0000) is refused: PostgreSQL cannot store it in text at all;</li>
 *     <li>a UTF-16 surrogate that is not half of a pair is refused: it is not a character, and UTF-8 (the wire and
 *     PostgreSQL) cannot encode it, so what was stored would differ from what was answered and published.</li>
 * </ul>
 * Everything else is accepted as sent.
 */
public final class TextRule {

    private TextRule() {
    }

    /** Its length in code points. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Why no database could store {@code text} as given, or empty when it can. */
    public static Optional<String> unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must not contain an unpaired UTF-16 surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a text field.
     *
     * @throws ApiException 400 naming {@code field} when the text is unstorable or not {@code min..max} characters
     */
    public static String check(String field, String text, int min, int max) {
        unstorable(text).ifPresent(problem -> {
            throw ApiException.badRequest("'" + field + "' " + problem);
        });
        int length = length(text);
        if (length < min) {
            throw ApiException.badRequest(min == 1
                    ? "'" + field + "' must not be empty"
                    : "'" + field + "' must be at least " + min + " characters");
        }
        if (length > max) {
            throw ApiException.badRequest("'" + field + "' must be at most " + max + " characters");
        }
        return text;
    }
}
