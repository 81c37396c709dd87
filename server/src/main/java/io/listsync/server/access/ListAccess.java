package io.listsync.server.access;

import io.helidon.dbclient.DbExecute;
import io.listsync.server.db.Rows;
import io.listsync.server.errors.DomainException;
import io.listsync.server.users.UserRepository;

/**
 * Who may do what to a list. A caller who is not a member gets 404, exactly as for a list that does not exist,
 * so ids cannot be probed.
 */
public final class ListAccess {

    private final UserRepository users;

    public ListAccess(UserRepository users) {
        this.users = users;
    }

    public Role requireMember(DbExecute db, String listId, String userId) {
        return db.get("SELECT role FROM list_members WHERE list_id = ? AND user_id = ?", listId, userId)
                .map(row -> Role.fromWire(Rows.string(row, "role")))
                .orElseThrow(() -> notFound());
    }

    /**
     * For a caller whose token was not checked against the users (see
     * {@link io.listsync.server.auth.Authenticator#claimedUserId}): a membership row proves the user exists; without
     * one, the users table decides between 401 (no such user) and 404.
     *
     * @param roleName the caller's role as stored, or {@code null} for a non-member (or an unknown list)
     * @return the role, when it may edit the list
     */
    public Role requireEditor(DbExecute db, String roleName, String userId) {
        if (roleName == null) {
            if (!users.exists(db, userId)) {
                throw DomainException.unauthenticated(DomainException.NO_SUCH_USER);
            }
            throw notFound();
        }
        Role role = Role.fromWire(roleName);
        if (!role.canEdit()) {
            throw DomainException.forbidden("Viewers cannot change this list");
        }
        return role;
    }

    public Role requireOwner(DbExecute db, String listId, String userId) {
        Role role = requireMember(db, listId, userId);
        if (role != Role.OWNER) {
            throw DomainException.forbidden("Only the list's owner can do this");
        }
        return role;
    }

    public static DomainException notFound() {
        return DomainException.notFound("No such list");
    }
}
