package io.listsync.server.items;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.DeferredWrites;
import io.listsync.server.db.Lookup;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.http.NumberRule;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Items table.
 */
public final class ItemRepository {

    private static final String INSERT = "INSERT INTO items (id, list_id, name, quantity, note, category_id, "
            + "position, checked, checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COLUMNS = "i.id, i.list_id, i.name, i.quantity, i.note, i.category_id, i.position, "
            + "i.checked, i.checked_at, i.created_at, i.updated_at";

    /** A list's items with the version they are current at, read in one statement so the two agree. */
    public record Snapshot(long version, List<Item> items) {
    }

    public Optional<Snapshot> snapshot(DbExecute db, String listId, boolean includeChecked) {
        record Row(long version, Item item) {
        }
        List<Row> rows = Rows.list(db,
                row -> new Row(Rows.longValue(row, "list_version"), Rows.value(row, "id") == null ? null : item(row)),
                "SELECT l.version AS list_version, " + COLUMNS + " FROM lists l LEFT JOIN items i ON i.list_id = l.id"
                        + (includeChecked ? "" : " AND i.checked = FALSE")
                        + " WHERE l.id = ? ORDER BY i.position, i.created_at, i.id", listId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(rows.getFirst().version(),
                rows.stream().map(Row::item).filter(java.util.Objects::nonNull).toList()));
    }

    public Optional<Item> find(DbExecute db, String listId, String itemId) {
        return db.get("SELECT " + COLUMNS + " FROM items i WHERE i.id = ? AND i.list_id = ?", itemId, listId)
                .map(ItemRepository::item);
    }

    /** Whether any item, of any list, has this id. */
    public boolean idTaken(DbExecute db, String itemId) {
        return db.get("SELECT 1 AS taken FROM items WHERE id = ?", itemId).isPresent();
    }

    public Item require(DbExecute db, String listId, String itemId) {
        return find(db, listId, itemId).orElseThrow(() -> DomainException.notFound("No such item in this list"));
    }

    /**
     * New items are placed this far apart, so a client can move an item between two neighbours by giving it the
     * position halfway between them, changing no other item (see the README, "Reordering").
     */
    public static final int POSITION_GAP = 1024;

    /**
     * Where the first item of a category goes: high enough that about a thousand moves to the top still find room
     * below it, low enough that about 975,000 items can be appended after it.
     */
    public static final int FIRST_POSITION = 1 << 20;

    private static final String LAST_POSITION = "SELECT MAX(position) AS last FROM items "
            + "WHERE list_id = ? AND category_id IS NOT DISTINCT FROM ?";

    /** {@link #POSITION_GAP} after the last item of the category (or of the uncategorized items). */
    public int nextPosition(DbExecute db, String listId, String categoryId) {
        return following(db.get(LAST_POSITION, listId, categoryId).map(row -> Rows.value(row, "last")).orElse(null));
    }

    /** {@link #nextPosition(DbExecute, String, String)} as a read that can ride the list's lock. */
    public Lookup<Integer> nextPosition(String listId, String categoryId) {
        return Lookup.of(row -> following(row == null ? null : row.get("last")), LAST_POSITION, listId, categoryId);
    }

    /** The position after {@code last} (a {@code MAX(position)}), or the first one when there is none. */
    private static int following(Object last) {
        return last == null ? FIRST_POSITION : after(((Number) last).longValue());
    }

    /**
     * {@code last + POSITION_GAP}, but never above the largest position a request may set (so appending cannot
     * overflow); at the top the new item ties with the last one and is ordered after it by creation.
     */
    static int after(long last) {
        return (int) Math.max(last, Math.min(last + POSITION_GAP, NumberRule.POSITION.max()));
    }

    public void insert(DbExecute db, Item item) {
        db.insert(INSERT, insertParams(item));
    }

    /** The insert of an item nothing can refuse (a new random id, on a list the change has locked), at the commit. */
    public void insertAtCommit(DeferredWrites writes, Item item) {
        writes.defer(INSERT, insertParams(item));
    }

    private static Object[] insertParams(Item item) {
        return new Object[]{item.id(), item.listId(), item.name(), item.quantity(), item.note(), item.categoryId(),
                item.position(), item.checked(), Rows.param(item.checkedAt()), Rows.param(item.createdAt()),
                Rows.param(item.updatedAt())};
    }

    public void update(DbExecute db, Item item) {
        db.update("UPDATE items SET name = ?, quantity = ?, note = ?, category_id = ?, position = ?, checked = ?, "
                        + "checked_at = ?, updated_at = ? WHERE id = ? AND list_id = ?",
                item.name(), item.quantity(), item.note(), item.categoryId(), item.position(), item.checked(),
                Rows.param(item.checkedAt()), Rows.param(item.updatedAt()), item.id(), item.listId());
    }

    public void delete(DbExecute db, String listId, String itemId) {
        db.delete("DELETE FROM items WHERE id = ? AND list_id = ?", itemId, listId);
    }

    /** Of the given ids, those that are items of the list. */
    public List<String> existing(DbExecute db, String listId, List<String> itemIds) {
        if (itemIds.isEmpty()) {
            return List.of();
        }
        Object[] params = new Object[itemIds.size() + 1];
        params[0] = listId;
        for (int i = 0; i < itemIds.size(); i++) {
            params[i + 1] = itemIds.get(i);
        }
        String marks = String.join(", ", Collections.nCopies(itemIds.size(), "?"));
        return Rows.list(db, row -> Rows.string(row, "id"),
                "SELECT id FROM items WHERE list_id = ? AND id IN (" + marks + ") ORDER BY position, id", params);
    }

    public List<String> checkedIds(DbExecute db, String listId) {
        return Rows.list(db, row -> Rows.string(row, "id"),
                "SELECT id FROM items WHERE list_id = ? AND checked = TRUE ORDER BY position, id", listId);
    }

    public void deleteAll(DbExecute db, String listId, List<String> itemIds) {
        // in chunks: some drivers cap the number of bind parameters
        for (int from = 0; from < itemIds.size(); from += 500) {
            List<String> chunk = itemIds.subList(from, Math.min(itemIds.size(), from + 500));
            Object[] params = new Object[chunk.size() + 1];
            params[0] = listId;
            for (int i = 0; i < chunk.size(); i++) {
                params[i + 1] = chunk.get(i);
            }
            db.delete("DELETE FROM items WHERE list_id = ? AND id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")", params);
        }
    }

    static Item item(DbRow row) {
        return new Item(Rows.string(row, "id"), Rows.string(row, "list_id"), Rows.string(row, "name"),
                Rows.string(row, "quantity"), Rows.string(row, "note"), Rows.string(row, "category_id"),
                Rows.intValue(row, "position"), Rows.bool(row, "checked"), Rows.instant(row, "checked_at"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }

}
