package io.listsync.server.realtime;

import io.listsync.server.channels.OverviewFrame;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.http.Json;
import io.listsync.server.lists.ListRepository;

import java.util.List;
import java.util.Set;

/** What the user sockets read from the database: a user's lists, and a list as each watcher sees it. */
final class OverviewReads implements ListWatches.Reader {

    /**
     * Lists of one user watched live at most; the most recently changed ones. A client with more still refetches
     * the rest on reconnect; this bounds the subscriptions one socket can cost an instance.
     */
    static final int MAX_WATCHED_LISTS = 1_000;

    private final Database db;
    private final ListRepository lists = new ListRepository();
    private final Json json;

    OverviewReads(Database db, Json json) {
        this.db = db;
        this.json = json;
    }

    /** The ids of the user's lists, newest change first, at most {@link #MAX_WATCHED_LISTS}. */
    List<String> listsOf(String userId) {
        return Rows.list(db.read(), row -> Rows.string(row, "id"),
                "SELECT l.id FROM lists l JOIN list_members m ON m.list_id = l.id WHERE m.user_id = ? "
                        + "ORDER BY l.updated_at DESC LIMIT " + MAX_WATCHED_LISTS, userId);
    }

    @Override
    public List<ListWatches.Seen> changedFrames(String listId, Set<String> users) {
        return lists.forMembers(db.read(), listId).stream()
                .filter(seen -> users.contains(seen.userId()))
                .map(seen -> new ListWatches.Seen(seen.userId(), new UserFeeds.Frame(UserFeeds.LIST_CHANGED, listId,
                        seen.list().version(), json.write(new OverviewFrame(UserFeeds.LIST_CHANGED, seen.list())))))
                .toList();
    }
}
