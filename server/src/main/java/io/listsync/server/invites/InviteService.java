package io.listsync.server.invites;

import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.invites.InviteRepository.Row;
import io.listsync.server.access.ListAccess;
import io.listsync.server.lists.AccessNotices;
import io.listsync.server.lists.ListRepository;
import io.listsync.server.lists.ListView;
import io.listsync.server.access.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Invite links: the owner makes, lists and revokes them; anyone holding a code sees what it is for and, signed in,
 * joins the list with the invite's role. Membership changes do not change the list's version and publish no event.
 */
public final class InviteService {

    private final Database db;
    private final InviteRepository invites = new InviteRepository();
    private final InviteCodes codes;
    private final ListRepository lists;
    private final ListAccess access;
    private final AccessNotices notices;

    public InviteService(Database db, InviteCodes codes, ListRepository lists, ListAccess access,
                         AccessNotices notices) {
        this.db = db;
        this.codes = codes;
        this.lists = lists;
        this.access = access;
        this.notices = notices;
    }

    public Invite create(String listId, String ownerId, Role role, Duration expiresIn, int maxUses) {
        return db.inTransaction(tx -> {
            access.requireOwner(tx, listId, ownerId);
            String id = UUID.randomUUID().toString();
            String code = codes.newCode();
            Instant now = Rows.now();
            Row row = new Row(id, listId, codes.seal(id, code), role, ownerId, now.plus(expiresIn), maxUses, 0, now);
            invites.insert(tx, row, InviteCodes.hash(code));
            return view(row, code);
        });
    }

    /** Every invite of the list that was not revoked, newest first, expired and used-up ones included. */
    public List<Invite> list(String listId, String ownerId) {
        return db.inTransaction(tx -> {
            access.requireOwner(tx, listId, ownerId);
            return invites.forList(tx, listId).stream()
                    .map(row -> view(row, codes.open(row.id(), row.codeSealed()).orElse(null)))
                    .toList();
        });
    }

    /** Deletes the invite: its code stops working with this commit. */
    public void revoke(String listId, String ownerId, String inviteId) {
        db.inTransaction(tx -> {
            access.requireOwner(tx, listId, ownerId);
            if (!invites.delete(tx, listId, inviteId)) {
                throw DomainException.notFound("No such invite for this list");
            }
            return null;
        });
    }

    /** What the code is for; needs no account. */
    public Invite.Preview preview(String code) {
        if (!InviteCodes.wellFormed(code)) {
            throw unusable();
        }
        return invites.preview(db.read(), InviteCodes.hash(code)).orElseThrow(InviteService::unusable);
    }

    /**
     * Makes the caller a member with the invite's role and counts one use. A caller who is a member already keeps
     * their role and uses nothing. The invite's row is locked for the transaction, so concurrent accepts are
     * counted one by one and never pass {@code maxUses}.
     */
    public ListView accept(String code, String userId) {
        if (!InviteCodes.wellFormed(code)) {
            throw unusable();
        }
        record Accepted(ListView list, boolean joined) {
        }
        Accepted accepted = db.inTransaction(tx -> {
            Instant now = Rows.now();
            Row invite = invites.byHashForUpdate(tx, InviteCodes.hash(code))
                    .filter(row -> row.usableAt(now))
                    .orElseThrow(InviteService::unusable);
            boolean joined = lists.member(tx, invite.listId(), userId).isEmpty();
            if (joined) {
                if (!invites.countUse(tx, invite.id())) {
                    throw unusable();
                }
                lists.insertMember(tx, invite.listId(), userId, invite.role(), now);
            }
            return new Accepted(lists.find(tx, invite.listId(), userId).orElseThrow(ListAccess::notFound), joined);
        });
        if (accepted.joined()) {
            db.afterCommit(() -> notices.memberAdded(accepted.list().id(), userId));
        }
        return accepted.list();
    }

    private static Invite view(Row row, String code) {
        return new Invite(row.id(), code, row.role(), row.expiresAt(), row.maxUses(), row.uses(), row.createdAt());
    }

    /** Unknown, expired, revoked and used-up codes all look the same from outside. */
    private static DomainException unusable() {
        return DomainException.notFound("This invite link is not valid: it may have expired, been used up or revoked");
    }
}
