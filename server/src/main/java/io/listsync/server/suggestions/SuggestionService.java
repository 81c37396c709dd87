package io.listsync.server.suggestions;

import io.helidon.dbclient.DbExecute;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.access.ListAccess;
import io.listsync.server.suggestions.SuggestionRanking.Candidate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Suggestions for the add-item field: names once added to the list whose words start with what was typed.
 */
public final class SuggestionService {

    /** The most recently added matches that are ranked; the rest of a huge history is not worth a scan per keystroke. */
    static final int CANDIDATES = 2_000;

    /** Where a word starts: the start of the name, or after one of these. */
    private static final List<String> WORD_SEPARATORS = List.of(" ", "-", "/", "(", ",", "&", "+", ".");

    private final Database db;
    private final ListAccess access;

    public SuggestionService(Database db, ListAccess access) {
        this.db = db;
        this.access = access;
    }

    /**
     * @param query what was typed (trimmed); empty gives the most used names
     * @param limit at most this many
     */
    public Suggestion.Page suggest(String listId, String userId, String query, int limit) {
        DbExecute read = db.read();
        access.requireMember(read, listId, userId);
        List<Candidate> candidates = candidates(read, listId, query);
        Instant now = Rows.now();
        List<Candidate> best = candidates.stream().sorted(SuggestionRanking.order(now)).limit(limit).toList();
        Map<String, Suggestion.OnList> onList = onList(read, listId, best);
        return new Suggestion.Page(best.stream().map(c -> new Suggestion(c.name(), c.quantity(), c.categoryId(),
                c.timesAdded(), c.lastAddedAt(), onList.get(c.nameKey()))).toList());
    }

    private static List<Candidate> candidates(DbExecute read, String listId, String query) {
        StringBuilder sql = new StringBuilder("SELECT n.name_key, n.name, n.last_quantity, n.times_added, "
                + "n.last_added_at, c.id AS category_id FROM item_names n "
                + "LEFT JOIN categories c ON c.id = n.last_category_id AND c.list_id = n.list_id WHERE n.list_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(listId);
        if (!query.isEmpty()) {
            // LOWER on the database, as name_key was made: one case rule for both sides
            String escaped = escapeLike(query);
            sql.append(" AND (n.name_key LIKE LOWER(?) ESCAPE '\\'");
            params.add(escaped + "%");
            for (String separator : WORD_SEPARATORS) {
                sql.append(" OR n.name_key LIKE LOWER(?) ESCAPE '\\'");
                params.add("%" + escapeLike(separator) + escaped + "%");
            }
            sql.append(")");
        }
        sql.append(" ORDER BY n.last_added_at DESC, n.name_key LIMIT ").append(CANDIDATES);
        return Rows.list(read, row -> new Candidate(Rows.string(row, "name_key"), Rows.string(row, "name"),
                        Rows.string(row, "last_quantity"), Rows.string(row, "category_id"),
                        Rows.intValue(row, "times_added"), Rows.instant(row, "last_added_at")),
                sql.toString(), params.toArray());
    }

    /** For each suggested name, the item of that name on the list now: an unchecked one first, then the newest. */
    private static Map<String, Suggestion.OnList> onList(DbExecute read, String listId, List<Candidate> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Object[] params = new Object[names.size() + 1];
        params[0] = listId;
        for (int i = 0; i < names.size(); i++) {
            params[i + 1] = names.get(i).nameKey();
        }
        record Row(String nameKey, String itemId, boolean checked) {
        }
        List<Row> rows = Rows.list(read, row -> new Row(Rows.string(row, "name_key"), Rows.string(row, "id"),
                        Rows.bool(row, "checked")),
                "SELECT LOWER(name) AS name_key, id, checked FROM items WHERE list_id = ? AND LOWER(name) IN ("
                        + String.join(", ", Collections.nCopies(names.size(), "?"))
                        + ") ORDER BY checked, created_at DESC, id", params);
        Map<String, Suggestion.OnList> byName = new HashMap<>();
        for (Row row : rows) {
            byName.putIfAbsent(row.nameKey(), new Suggestion.OnList(row.itemId(), row.checked()));
        }
        return byName;
    }

    /** Makes {@code %}, {@code _} and the escape character itself literal in a LIKE pattern. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
