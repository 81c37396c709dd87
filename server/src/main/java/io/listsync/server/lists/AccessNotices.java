package io.listsync.server.lists;

import java.util.List;

/**
 * Tells every instance, after the change committed, that someone's access to a list began, changed or ended: the
 * list sockets it ends are closed (4403 for a removed member, 4404 for a deleted list) and the users' overviews
 * ({@code /api/v1/ws/me}) get {@code list_added}, {@code list_changed} or {@code list_removed}.
 */
public interface AccessNotices {

    /** The user gained the list: created it, was added, or accepted an invite. */
    void memberAdded(String listId, String userId);

    /** The member's role changed. */
    void roleChanged(String listId, String userId);

    /** The user was removed from the list, or left it. */
    void memberRemoved(String listId, String userId);

    /** The list was deleted; {@code memberIds} are those it had. */
    void listDeleted(String listId, List<String> memberIds);
}
