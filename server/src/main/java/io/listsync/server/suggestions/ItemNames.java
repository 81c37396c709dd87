package io.listsync.server.suggestions;

import io.helidon.dbclient.DbExecute;
import io.listsync.server.db.Rows;

import java.time.Instant;

/**
 * Records that a name was used for an item of a list: its count, when, and the quantity and category it came with.
 * Called by item create (and rename) inside that change's own transaction, so a suggestion exists if and only if the
 * change that used the name committed.
 */
public final class ItemNames {

    /**
     * Counts one more use of {@code name}. Must run inside a change of the list: the list's row is locked there, so
     * two writers of one list never race on the same name (update-then-insert is safe without an upsert).
     */
    public void record(DbExecute tx, String listId, String name, String quantity, String categoryId, Instant now) {
        long updated = tx.update("UPDATE item_names SET name = ?, times_added = times_added + 1, last_added_at = ?, "
                        + "last_quantity = ?, last_category_id = ? WHERE list_id = ? AND name_key = LOWER(?)",
                name, Rows.param(now), quantity, categoryId, listId, name);
        if (updated == 0) {
            tx.insert("INSERT INTO item_names (list_id, name_key, name, times_added, last_added_at, last_quantity, "
                            + "last_category_id) VALUES (?, LOWER(?), ?, 1, ?, ?, ?)",
                    listId, name, name, Rows.param(now), quantity, categoryId);
        }
    }
}
