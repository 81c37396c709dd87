package io.listsync.server.lists;

import io.listsync.server.access.Role;
import io.listsync.server.access.ListAccess;

import io.listsync.server.changes.Change;
import io.listsync.server.changes.EventType;
import io.listsync.server.changes.ListChanges;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.users.UserRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Lists and their members.
 */
public final class ListService {

    private final Database db;
    private final ListRepository lists;
    private final UserRepository users;
    private final ListAccess access;
    private final ListChanges changes;
    private final AccessNotices notices;

    public ListService(Database db, ListRepository lists, UserRepository users, ListAccess access,
                       ListChanges changes, AccessNotices notices) {
        this.db = db;
        this.lists = lists;
        this.users = users;
        this.access = access;
        this.changes = changes;
        this.notices = notices;
    }

    public List<ListView> forUser(String userId) {
        return lists.forUser(db.read(), userId);
    }

    public ListView create(String userId, String name) {
        String id = UUID.randomUUID().toString();
        ListView created = db.inTransaction(tx -> {
            lists.insert(tx, id, name, userId, Rows.now());
            return lists.find(tx, id, userId).orElseThrow();
        });
        db.afterCommit(() -> notices.memberAdded(id, userId));
        return created;
    }

    public ListView get(String listId, String userId) {
        return lists.find(db.read(), listId, userId).orElseThrow(ListAccess::notFound);
    }

    public ListView rename(String listId, String userId, String name) {
        ListView renamed = changes.apply(listId, userId, change -> {
            ListView current = lists.find(change.tx(), listId, userId).orElseThrow(ListAccess::notFound);
            if (current.name().equals(name)) {
                return Change.<ListView>none(null);
            }
            lists.rename(change.tx(), listId, name);
            // the row's version moves at the commit (ListChanges defers it): the view shows the one this makes
            ListView view = lists.find(change.tx(), listId, userId).orElseThrow().at(change.version(), change.now());
            return Change.of(EventType.LIST_UPDATED, view);
        });
        // the same name is no change: nothing was committed, the list is answered as it is
        return renamed != null ? renamed : get(listId, userId);
    }

    public void delete(String listId, String userId) {
        List<String> members = db.inTransaction(tx -> {
            access.requireOwner(tx, listId, userId);
            List<String> had = lists.memberIds(tx, listId);
            lists.delete(tx, listId);
            return had;
        });
        db.afterCommit(() -> notices.listDeleted(listId, members));
    }

    public List<Member> members(String listId, String userId) {
        return db.inTransaction(tx -> {
            access.requireMember(tx, listId, userId);
            return lists.members(tx, listId);
        });
    }

    public Member addMember(String listId, String ownerId, String email, Role role) {
        Member added = db.inTransaction(tx -> {
            access.requireOwner(tx, listId, ownerId);
            var user = users.byEmail(tx, email)
                    .orElseThrow(() -> DomainException.notFound("No user with this email"));
            if (lists.member(tx, listId, user.id()).isPresent()) {
                throw DomainException.conflict("This user is already a member of the list");
            }
            Instant now = Rows.now();
            lists.insertMember(tx, listId, user.id(), role, now);
            return new Member(user, role);
        });
        db.afterCommit(() -> notices.memberAdded(listId, added.user().id()));
        return added;
    }

    public Member changeRole(String listId, String ownerId, String memberId, Role role) {
        Member changed = db.inTransaction(tx -> {
            access.requireOwner(tx, listId, ownerId);
            Member member = lists.member(tx, listId, memberId)
                    .orElseThrow(() -> DomainException.notFound("No such member"));
            if (member.role() == Role.OWNER) {
                throw DomainException.conflict("The owner's role cannot be changed");
            }
            lists.updateRole(tx, listId, memberId, role);
            return new Member(member.user(), role);
        });
        db.afterCommit(() -> notices.roleChanged(listId, memberId));
        return changed;
    }

    public void removeMember(String listId, String callerId, String memberId) {
        db.inTransaction(tx -> {
            Role callerRole = access.requireMember(tx, listId, callerId);
            boolean leaving = callerId.equals(memberId);
            if (!leaving && callerRole != Role.OWNER) {
                throw DomainException.forbidden("Only the list's owner can remove other members");
            }
            Member member = lists.member(tx, listId, memberId)
                    .orElseThrow(() -> DomainException.notFound("No such member"));
            if (member.role() == Role.OWNER) {
                throw DomainException.conflict("The owner cannot leave or be removed; delete the list instead");
            }
            lists.removeMember(tx, listId, memberId);
            return null;
        });
        db.afterCommit(() -> notices.memberRemoved(listId, memberId));
    }
}
