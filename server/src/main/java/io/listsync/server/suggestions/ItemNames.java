package io.listsync.server.suggestions;

import io.listsync.server.db.DeferredWrites;
import io.listsync.server.db.Rows;

import java.time.Instant;

/**
 * Records that a name was used for an item of a list: its count, when, and the quantity and category it came with.
 * Called by item create (and rename) inside that change's own transaction, so a suggestion exists if and only if the
 * change that used the name committed.
 */
public final class ItemNames {

    /**
     * Counts one more use of {@code name}: one statement, which the change's lock on the list's row keeps free of
     * races between two writers of one list, deferred to the commit (nothing in the change reads it back).
     */
    public void record(DeferredWrites tx, String listId, String name, String quantity, String categoryId, Instant now) {
        tx.defer("MERGE INTO item_names t USING (SELECT CAST(? AS VARCHAR(36)) AS list_id, "
                        + "LOWER(CAST(? AS VARCHAR(1000))) AS name_key) s "
                        + "ON t.list_id = s.list_id AND t.name_key = s.name_key "
                        + "WHEN MATCHED THEN UPDATE SET name = ?, times_added = t.times_added + 1, last_added_at = ?, "
                        + "last_quantity = ?, last_category_id = ? "
                        + "WHEN NOT MATCHED THEN INSERT (list_id, name_key, name, times_added, last_added_at, "
                        + "last_quantity, last_category_id) VALUES (s.list_id, s.name_key, ?, 1, ?, ?, ?)",
                listId, name, name, Rows.param(now), quantity, categoryId, name, Rows.param(now), quantity, categoryId);
    }
}
