package io.listsync.server.items;

import io.listsync.server.categories.CategoryRepository;
import io.listsync.server.changes.Change;
import io.listsync.server.changes.ChangeContext;
import io.listsync.server.changes.ClientIds;
import io.listsync.server.changes.EventType;
import io.listsync.server.changes.ListChanges;
import io.listsync.server.db.Database;
import io.listsync.server.errors.DomainException;
import io.listsync.server.items.ItemChanges.BulkDelete;
import io.listsync.server.items.ItemChanges.BulkDeleted;
import io.listsync.server.changes.Deleted;
import io.listsync.server.items.ItemChanges.DeletedIds;
import io.listsync.server.items.ItemChanges.ItemPatch;
import io.listsync.server.items.ItemChanges.NewItem;
import io.listsync.server.access.ListAccess;
import io.listsync.server.suggestions.ItemNames;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Items of a list. Every write goes through {@link ListChanges}: one version, one event.
 */
public final class ItemService {

    private final Database db;
    private final ItemRepository items;
    private final CategoryRepository categories;
    private final ListAccess access;
    private final ListChanges changes;
    private final ItemNames names;

    public ItemService(Database db, ItemRepository items, CategoryRepository categories, ListAccess access,
                       ListChanges changes, ItemNames names) {
        this.db = db;
        this.items = items;
        this.categories = categories;
        this.access = access;
        this.changes = changes;
        this.names = names;
    }

    public ItemRepository.Snapshot list(String listId, String userId, boolean includeChecked) {
        access.requireMember(db.read(), listId, userId);
        return items.snapshot(db.read(), listId, includeChecked).orElseThrow(ListAccess::notFound);
    }

    public Item create(String listId, String userId, NewItem request) {
        String categoryId = request.categoryId().orElse(null);
        return changes.apply(listId, userId, items.nextPosition(listId, categoryId), (change, position) -> {
            requireCategory(change, categoryId);
            Item item = new Item(ClientIds.orNew(request.id()), listId, request.name(),
                    request.quantity().orElse(null), request.note().orElse(null), categoryId,
                    position, false, null, change.now(), change.now());
            if (request.id().isPresent()) {
                ClientIds.insert("item", request.id(), id -> items.idTaken(change.tx(), id),
                        () -> items.insert(change.tx(), item));
            } else {
                // a new random id cannot be taken and the list is locked: nothing can refuse the row, so it rides
                // the commit with the version bump and the log row
                items.insertAtCommit(change.deferred(), item);
            }
            names.record(change.deferred(), listId, item.name(), item.quantity(), item.categoryId(), change.now());
            return Change.of(EventType.ITEM_CREATED, item);
        });
    }

    public Item update(String listId, String userId, String itemId, ItemPatch patch) {
        return changes.apply(listId, userId, change -> {
            Item current = items.require(change.tx(), listId, itemId);
            String categoryId = patched(patch.categoryId(), current.categoryId());
            boolean moved = !Objects.equals(categoryId, current.categoryId());
            if (moved) {
                requireCategory(change, categoryId);
            }
            // moved to another category without a position: it goes to that category's end
            int position = patch.position().orElseGet(() ->
                    moved ? items.nextPosition(change.tx(), listId, categoryId) : current.position());
            Item updated = new Item(current.id(), listId,
                    patch.name().orElse(current.name()),
                    patched(patch.quantity(), current.quantity()),
                    patched(patch.note(), current.note()),
                    categoryId, position, current.checked(), current.checkedAt(), current.createdAt(),
                    change.now());
            if (sameContent(current, updated)) {
                return Change.none(current);
            }
            items.update(change.tx(), updated);
            if (!updated.name().equals(current.name())) {
                // a rename (usually a correction) teaches the suggestions the new name, too
                names.record(change.deferred(), listId, updated.name(), updated.quantity(), updated.categoryId(),
                        change.now());
            }
            return Change.of(EventType.ITEM_UPDATED, updated);
        });
    }

    public void delete(String listId, String userId, String itemId) {
        changes.apply(listId, userId, change -> {
            items.require(change.tx(), listId, itemId);
            items.delete(change.tx(), listId, itemId);
            return Change.of(EventType.ITEM_DELETED, null, new Deleted(itemId));
        });
    }

    public Item check(String listId, String userId, String itemId, boolean checked) {
        return changes.apply(listId, userId, change -> {
            Item current = items.require(change.tx(), listId, itemId);
            if (current.checked() == checked) {
                return Change.none(current);
            }
            Item updated = new Item(current.id(), listId, current.name(), current.quantity(), current.note(),
                    current.categoryId(), current.position(), checked, checked ? change.now() : null,
                    current.createdAt(), change.now());
            items.update(change.tx(), updated);
            return Change.of(checked ? EventType.ITEM_CHECKED : EventType.ITEM_UNCHECKED, updated);
        });
    }

    public DeletedIds bulkDelete(String listId, String userId, BulkDelete request) {
        return changes.apply(listId, userId, change -> {
            List<String> ids = switch (request) {
                case BulkDelete.Ids explicit -> items.existing(change.tx(), listId, explicit.itemIds());
                case BulkDelete.Checked checked -> items.checkedIds(change.tx(), listId);
            };
            if (ids.isEmpty()) {
                return Change.none(new DeletedIds(List.of()));
            }
            items.deleteAll(change.tx(), listId, ids);
            return Change.of(EventType.ITEMS_BULK_DELETED, new DeletedIds(ids), new BulkDeleted(ids));
        });
    }

    /** 404, as for any write that names something gone: the category may have been deleted meanwhile. */
    private void requireCategory(ChangeContext change, String categoryId) {
        if (categoryId != null && !categories.exists(change.tx(), change.listId(), categoryId)) {
            throw DomainException.notFound("'categoryId' names no category of this list (it may have been deleted)");
        }
    }

    /** A nullable field of a patch: absent keeps {@code current}, present-but-empty clears it. */
    private static String patched(Optional<Optional<String>> field, String current) {
        return field.isPresent() ? field.get().orElse(null) : current;
    }

    private static boolean sameContent(Item a, Item b) {
        return a.name().equals(b.name()) && Objects.equals(a.quantity(), b.quantity())
                && Objects.equals(a.note(), b.note()) && Objects.equals(a.categoryId(), b.categoryId())
                && a.position() == b.position();
    }

}
