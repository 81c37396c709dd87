package io.listsync.server.suggestions;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * How suggestions are ordered: by frecency, {@code timesAdded × 2^(−daysSinceLastAdded / 30)}, so a name's weight halves
 * for every 30 days it goes unused: something bought every week stays on top, a one-off from last year sinks below
 * last week's one-off. Ties go to the more recently added, then to the name.
 */
final class SuggestionRanking {

    static final Duration HALF_LIFE = Duration.ofDays(30);

    private SuggestionRanking() {
    }

    static double score(int timesAdded, Instant lastAddedAt, Instant now) {
        double ageDays = Math.max(0, Duration.between(lastAddedAt, now).toMillis()) / 86_400_000.0;
        return timesAdded * Math.pow(2, -ageDays / HALF_LIFE.toDays());
    }

    static Comparator<Candidate> order(Instant now) {
        return Comparator.<Candidate>comparingDouble(c -> -score(c.timesAdded(), c.lastAddedAt(), now))
                .thenComparing(Candidate::lastAddedAt, Comparator.reverseOrder())
                .thenComparing(Candidate::nameKey);
    }

    /** A matching name before ranking. */
    record Candidate(String nameKey, String name, String quantity, String categoryId, int timesAdded,
                     Instant lastAddedAt) {
    }
}
