package io.listsync.server.suggestions;

import java.time.Instant;

/**
 * A name once added to the list, as {@code GET /lists/{id}/suggestions} shows it.
 *
 * @param name        the spelling it was last added with
 * @param quantity    the quantity it was last added with, or null
 * @param categoryId  the category it was last added to, or null when there was none or it is gone
 * @param timesAdded  how often it was added
 * @param lastAddedAt when it was last added
 * @param onList      the item of that name (ignoring case) on the list now, or null
 */
public record Suggestion(String name, String quantity, String categoryId, int timesAdded, Instant lastAddedAt,
                         OnList onList) {

    /** An item of the suggested name that is on the list now. */
    public record OnList(String itemId, boolean checked) {
    }

    /** The REST answer. */
    public record Page(java.util.List<Suggestion> suggestions) {
    }
}
