package io.listsync.server.http;

/**
 * The bounds of every number a request may carry, in one place: each range fits the column that stores the number
 * on both databases, with room for the server's own arithmetic on it, so no value a client sends can overflow a
 * column or a computation later (a position of 2,147,483,647 once made every later create in its category fail).
 *
 * @param min smallest accepted value
 * @param max largest accepted value
 */
public record NumberRule(int min, int max) {

    /**
     * Positions of items and categories (INTEGER columns, 32 bits). A billion leaves clients ample room to spread
     * positions out, and the server room to append after the largest one.
     */
    public static final NumberRule POSITION = new NumberRule(0, 1_000_000_000);

    public NumberRule {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
    }

    /**
     * @throws ApiException 400 naming {@code field} when {@code value} is outside the range
     */
    public int check(String field, long value) {
        if (value < min || value > max) {
            throw ApiException.badRequest("'" + field + "' must be an integer from " + min + " to " + max);
        }
        return (int) value;
    }

    /**
     * The value that goes after {@code last} (for appending at the end): {@code last + 1}, but never above
     * {@code max}, so appending cannot overflow. At the top the new value equals the last one; ties are ordered
     * by creation, so the newest still comes last. A {@code last} stored above {@code max} by an older version is
     * kept as it is.
     */
    public int after(long last) {
        if (last < min) {
            return min;
        }
        return (int) Math.max(last, Math.min(last + 1, max));
    }
}
