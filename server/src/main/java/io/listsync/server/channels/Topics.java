package io.listsync.server.channels;

/**
 * The keys the server publishes and subscribes under on its one broker ({@link io.listsync.broker.ListEvent#listId()}
 * is the routing key). A list's changes and access notices go under the list's id; a user's overview and a list's
 * presence under keys with a {@code /}, which no list id has (the list socket refuses such ids), so they never
 * collide with a list.
 */
public final class Topics {

    private static final String USER = "users/";
    private static final String PRESENCE = "presence/";

    private Topics() {
    }

    /** A list's change events and access notices. */
    public static String list(String listId) {
        return listId;
    }

    /** A user's overview: {@code list_added}, {@code list_removed}, {@code list_changed}. */
    public static String user(String userId) {
        return USER + userId;
    }

    /** Who has a list open: each instance's viewers of it. */
    public static String presence(String listId) {
        return PRESENCE + listId;
    }
}
