package io.listsync.server.lists;

import io.listsync.server.access.Role;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.Rows;
import io.listsync.server.users.User;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Lists and memberships tables.
 */
public final class ListRepository {

    /** The counts are read with the row (ix_items_list makes them an index range each). */
    private static final String LIST_COLUMNS =
            "l.id, l.name, l.version, l.created_at, l.updated_at, m.role, m.user_id, "
                    + "(SELECT COUNT(*) FROM items i WHERE i.list_id = l.id) AS item_count, "
                    + "(SELECT COUNT(*) FROM items i WHERE i.list_id = l.id AND i.checked) AS checked_count "
                    + "FROM lists l JOIN list_members m ON m.list_id = l.id ";

    public void insert(DbExecute db, String id, String name, String ownerId, Instant now) {
        db.insert("INSERT INTO lists (id, name, owner_id, version, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
                id, name, ownerId, Rows.param(now), Rows.param(now));
        insertMember(db, id, ownerId, Role.OWNER, now);
    }

    public Optional<ListView> find(DbExecute db, String listId, String userId) {
        return db.get("SELECT " + LIST_COLUMNS + "WHERE l.id = ? AND m.user_id = ?", listId, userId)
                .map(ListRepository::list);
    }

    public List<ListView> forUser(DbExecute db, String userId) {
        return Rows.list(db, ListRepository::list,
                "SELECT " + LIST_COLUMNS + "WHERE m.user_id = ? ORDER BY l.created_at, l.id", userId);
    }

    /** A member's id with the list as they see it (their own role). */
    public record Seen(String userId, ListView list) {
    }

    /** The list as each of its members sees it, for the members' overviews. */
    public List<Seen> forMembers(DbExecute db, String listId) {
        return Rows.list(db, row -> new Seen(Rows.string(row, "user_id"), list(row)),
                "SELECT " + LIST_COLUMNS + "WHERE l.id = ?", listId);
    }

    /** The ids of the list's members. */
    public List<String> memberIds(DbExecute db, String listId) {
        return Rows.list(db, row -> Rows.string(row, "user_id"),
                "SELECT user_id FROM list_members WHERE list_id = ?", listId);
    }

    public void rename(DbExecute db, String listId, String name) {
        db.update("UPDATE lists SET name = ? WHERE id = ?", name, listId);
    }

    public void delete(DbExecute db, String listId) {
        db.delete("DELETE FROM lists WHERE id = ?", listId);
    }

    public void insertMember(DbExecute db, String listId, String userId, Role role, Instant now) {
        db.insert("INSERT INTO list_members (list_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
                listId, userId, role.wireName(), Rows.param(now));
    }

    public Optional<Member> member(DbExecute db, String listId, String userId) {
        return db.get("SELECT u.id, u.email, u.display_name, m.role FROM list_members m "
                        + "JOIN users u ON u.id = m.user_id WHERE m.list_id = ? AND m.user_id = ?", listId, userId)
                .map(ListRepository::member);
    }

    public List<Member> members(DbExecute db, String listId) {
        return Rows.list(db, ListRepository::member,
                "SELECT u.id, u.email, u.display_name, m.role FROM list_members m JOIN users u ON u.id = m.user_id "
                        + "WHERE m.list_id = ? ORDER BY m.created_at, u.email", listId);
    }

    public void updateRole(DbExecute db, String listId, String userId, Role role) {
        db.update("UPDATE list_members SET role = ? WHERE list_id = ? AND user_id = ?", role.wireName(), listId,
                userId);
    }

    public void removeMember(DbExecute db, String listId, String userId) {
        db.delete("DELETE FROM list_members WHERE list_id = ? AND user_id = ?", listId, userId);
    }

    private static ListView list(DbRow row) {
        return new ListView(Rows.string(row, "id"), Rows.string(row, "name"), Role.fromWire(Rows.string(row, "role")),
                Rows.longValue(row, "version"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"),
                Rows.longValue(row, "item_count"), Rows.longValue(row, "checked_count"));
    }

    private static Member member(DbRow row) {
        return new Member(new User(Rows.string(row, "id"), Rows.string(row, "email"),
                Rows.string(row, "display_name")), Role.fromWire(Rows.string(row, "role")));
    }
}
