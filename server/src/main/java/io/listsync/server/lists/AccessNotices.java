package io.listsync.server.lists;

/**
 * Tells every instance that access to a list ended, so the sockets it affects are closed (4403 for a removed
 * member, 4404 for a deleted list). Called after the change committed.
 */
public interface AccessNotices {

    void memberRemoved(String listId, String userId);

    void listDeleted(String listId);
}
