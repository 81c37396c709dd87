package io.listsync.server.items;

import java.util.List;
import java.util.Optional;

/**
 * Validated request bodies for items.
 */
public final class ItemChanges {

    private ItemChanges() {
    }

    /** A new item; {@code id} is the client's choice, if it made one. */
    public record NewItem(Optional<String> id, String name, Optional<String> quantity, Optional<String> note,
                          Optional<String> categoryId) {
    }

    /**
     * A partial update: an absent field keeps its value; for the nullable fields, {@code Optional.empty()} inside
     * a present field means "set to null".
     */
    public record ItemPatch(Optional<String> name, Optional<Optional<String>> quantity,
                            Optional<Optional<String>> note, Optional<Optional<String>> categoryId,
                            Optional<Integer> position) {
    }

    /** Either explicit ids or "all checked". */
    public sealed interface BulkDelete {
        record Ids(List<String> itemIds) implements BulkDelete {
        }

        record Checked() implements BulkDelete {
        }
    }

    /** {@code data} of {@code items_bulk_deleted}. */
    public record BulkDeleted(List<String> itemIds) {
    }

    /** The REST answer of bulk-delete. */
    public record DeletedIds(List<String> deletedIds) {
    }
}
