package io.listsync.server.categories;

import io.listsync.server.changes.Change;
import io.listsync.server.changes.ClientIds;
import io.listsync.server.changes.EventType;
import io.listsync.server.changes.ListChanges;
import io.listsync.server.db.Lookup;
import io.listsync.server.db.Database;
import io.listsync.server.changes.Deleted;
import io.listsync.server.access.ListAccess;

import java.util.Optional;

/**
 * Categories of a list. Every write goes through {@link ListChanges}: one version, one event.
 */
public final class CategoryService {

    private final Database db;
    private final CategoryRepository categories;
    private final ListAccess access;
    private final ListChanges changes;

    public CategoryService(Database db, CategoryRepository categories, ListAccess access, ListChanges changes) {
        this.db = db;
        this.categories = categories;
        this.access = access;
        this.changes = changes;
    }

    public CategoryRepository.Snapshot list(String listId, String userId) {
        access.requireMember(db.read(), listId, userId);
        return categories.snapshot(db.read(), listId).orElseThrow(ListAccess::notFound);
    }

    /** {@code id} is the client's choice, if it made one. */
    public Category create(String listId, String userId, Optional<String> id, String name,
                           Optional<Integer> position) {
        // without a position it goes last, read once the list is locked (in the lock's round trip)
        Lookup<Integer> last = position.isPresent() ? null : categories.nextPosition(listId);
        return changes.apply(listId, userId, last, (change, next) -> {
            Category category = new Category(ClientIds.orNew(id), listId, name, position.orElse(next));
            ClientIds.insert("category", id, taken -> categories.idTaken(change.tx(), taken),
                    () -> categories.insert(change.tx(), category, change.now()));
            return Change.of(EventType.CATEGORY_CREATED, category);
        });
    }

    public Category update(String listId, String userId, String categoryId, Optional<String> name,
                           Optional<Integer> position) {
        return changes.apply(listId, userId, change -> {
            Category current = categories.require(change.tx(), listId, categoryId);
            Category updated = new Category(categoryId, listId, name.orElse(current.name()),
                    position.orElse(current.position()));
            if (updated.equals(current)) {
                return Change.none(current);
            }
            categories.update(change.tx(), updated);
            return Change.of(EventType.CATEGORY_UPDATED, updated);
        });
    }

    /** One change: clients set {@code categoryId} to null on its items themselves; no item events are sent. */
    public void delete(String listId, String userId, String categoryId) {
        changes.apply(listId, userId, change -> {
            categories.require(change.tx(), listId, categoryId);
            categories.delete(change.tx(), listId, categoryId);
            return Change.of(EventType.CATEGORY_DELETED, null, new Deleted(categoryId));
        });
    }
}
