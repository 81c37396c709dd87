package io.listsync.server.categories;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.Lookup;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.http.NumberRule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Categories table.
 */
public final class CategoryRepository {

    /** A list's categories with the version they are current at, read in one statement. */
    public record Snapshot(long version, List<Category> categories) {
    }

    public Optional<Snapshot> snapshot(DbExecute db, String listId) {
        record Row(long version, Category category) {
        }
        List<Row> rows = Rows.list(db,
                row -> new Row(Rows.longValue(row, "list_version"),
                        Rows.value(row, "id") == null ? null : category(row)),
                "SELECT l.version AS list_version, c.id, c.list_id, c.name, c.position FROM lists l "
                        + "LEFT JOIN categories c ON c.list_id = l.id WHERE l.id = ? "
                        + "ORDER BY c.position, c.created_at, c.id", listId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(rows.getFirst().version(),
                rows.stream().map(Row::category).filter(Objects::nonNull).toList()));
    }

    public boolean exists(DbExecute db, String listId, String categoryId) {
        return db.get("SELECT 1 FROM categories WHERE id = ? AND list_id = ?", categoryId, listId).isPresent();
    }

    /** Whether any category, of any list, has this id. */
    public boolean idTaken(DbExecute db, String categoryId) {
        return db.get("SELECT 1 AS taken FROM categories WHERE id = ?", categoryId).isPresent();
    }

    public Category require(DbExecute db, String listId, String categoryId) {
        return db.get("SELECT id, list_id, name, position FROM categories WHERE id = ? AND list_id = ?",
                        categoryId, listId)
                .map(CategoryRepository::category)
                .orElseThrow(() -> DomainException.notFound("No such category in this list"));
    }

    /** Categories are placed this far apart, and the first one this high, like items: moving one changes no other. */
    public static final int POSITION_GAP = 1024;
    public static final int FIRST_POSITION = 1 << 20;

    /**
     * {@link #POSITION_GAP} after the last category, never above the largest position a request may set; a read
     * that can ride the list's lock.
     */
    public Lookup<Integer> nextPosition(String listId) {
        return Lookup.of(row -> {
            if (row == null || row.get("last") == null) {
                return FIRST_POSITION;
            }
            long last = ((Number) row.get("last")).longValue();
            return (int) Math.max(last, Math.min(last + POSITION_GAP, NumberRule.POSITION.max()));
        }, "SELECT MAX(position) AS last FROM categories WHERE list_id = ?", listId);
    }

    public void insert(DbExecute db, Category category, Instant now) {
        db.insert("INSERT INTO categories (id, list_id, name, position, created_at) VALUES (?, ?, ?, ?, ?)",
                category.id(), category.listId(), category.name(), category.position(), Rows.param(now));
    }

    public void update(DbExecute db, Category category) {
        db.update("UPDATE categories SET name = ?, position = ? WHERE id = ? AND list_id = ?",
                category.name(), category.position(), category.id(), category.listId());
    }

    /** Deletes the category; its items stay, uncategorized (the foreign key sets their category to null). */
    public void delete(DbExecute db, String listId, String categoryId) {
        db.delete("DELETE FROM categories WHERE id = ? AND list_id = ?", categoryId, listId);
    }

    private static Category category(DbRow row) {
        return new Category(Rows.string(row, "id"), Rows.string(row, "list_id"), Rows.string(row, "name"),
                Rows.intValue(row, "position"));
    }
}
