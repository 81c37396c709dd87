package io.listsync.server.invites;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.listsync.server.db.Rows;
import io.listsync.server.access.Role;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Invites table. Codes are stored only as a hash and sealed (see {@link InviteCodes}).
 */
final class InviteRepository {

    /** An invite's row; {@code codeSealed} still needs opening. */
    record Row(String id, String listId, String codeSealed, Role role, String createdBy, Instant expiresAt,
               int maxUses, int uses, Instant createdAt) {

        boolean usableAt(Instant now) {
            return now.isBefore(expiresAt) && uses < maxUses;
        }
    }

    private static final String COLUMNS =
            "id, list_id, code_sealed, role, created_by, expires_at, max_uses, uses, created_at";

    void insert(DbExecute db, Row row, String codeHash) {
        db.insert("INSERT INTO invites (id, list_id, code_hash, code_sealed, role, created_by, expires_at, max_uses, "
                        + "uses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row.id(), row.listId(), codeHash, row.codeSealed(), row.role().wireName(), row.createdBy(),
                Rows.param(row.expiresAt()), row.maxUses(), row.uses(), Rows.param(row.createdAt()));
    }

    List<Row> forList(DbExecute db, String listId) {
        return Rows.list(db, InviteRepository::row,
                "SELECT " + COLUMNS + " FROM invites WHERE list_id = ? ORDER BY created_at DESC, id", listId);
    }

    Optional<Row> byHash(DbExecute db, String codeHash) {
        return db.get("SELECT " + COLUMNS + " FROM invites WHERE code_hash = ?", codeHash).map(InviteRepository::row);
    }

    /**
     * The invite, with its row locked until the transaction ends: concurrent accepts of one invite run one after
     * another, so {@code uses} never passes {@code max_uses} and each use is counted once.
     */
    Optional<Row> byHashForUpdate(DbExecute db, String codeHash) {
        return db.get("SELECT " + COLUMNS + " FROM invites WHERE code_hash = ? FOR UPDATE", codeHash)
                .map(InviteRepository::row);
    }

    /** Counts one use, unless that would pass the limit. */
    boolean countUse(DbExecute db, String inviteId) {
        return db.update("UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses", inviteId) == 1;
    }

    /** What a code shows before joining: the list's name and who made the invite. */
    Optional<Invite.Preview> preview(DbExecute db, String codeHash) {
        return db.get("SELECT i.role, i.expires_at, i.max_uses, i.uses, l.name AS list_name, "
                        + "u.display_name FROM invites i JOIN lists l ON l.id = i.list_id "
                        + "JOIN users u ON u.id = i.created_by WHERE i.code_hash = ?", codeHash)
                .filter(row -> Rows.intValue(row, "uses") < Rows.intValue(row, "max_uses")
                        && Rows.now().isBefore(Rows.instant(row, "expires_at")))
                .map(row -> new Invite.Preview(Rows.string(row, "list_name"), Role.fromWire(Rows.string(row, "role")),
                        new Invite.InvitedBy(Rows.string(row, "display_name")), Rows.instant(row, "expires_at")));
    }

    boolean delete(DbExecute db, String listId, String inviteId) {
        return db.delete("DELETE FROM invites WHERE id = ? AND list_id = ?", inviteId, listId) == 1;
    }

    private static Row row(DbRow row) {
        return new Row(Rows.string(row, "id"), Rows.string(row, "list_id"), Rows.string(row, "code_sealed"),
                Role.fromWire(Rows.string(row, "role")), Rows.string(row, "created_by"),
                Rows.instant(row, "expires_at"), Rows.intValue(row, "max_uses"), Rows.intValue(row, "uses"),
                Rows.instant(row, "created_at"));
    }
}
