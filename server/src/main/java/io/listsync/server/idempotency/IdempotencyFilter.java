package io.listsync.server.idempotency;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.listsync.server.auth.Authenticator;
import io.listsync.server.auth.SecretBox;
import io.listsync.server.db.Database;
import io.listsync.server.db.Rows;
import io.listsync.server.db.UnitOfWork;
import io.listsync.server.http.ApiException;
import io.listsync.server.http.JsonBody;
import io.listsync.server.idempotency.IdempotencyStore.Remembered;

import java.util.Optional;

/**
 * Safe retries (contract 1.1): every {@code POST}, {@code PATCH} and {@code DELETE} under {@code /api/v1/lists} and
 * {@code /api/v1/invites} that carries an {@code Idempotency-Key} runs as one {@link UnitOfWork}:
 * <ol>
 *     <li>the key's row is inserted first (per user): a committed one means a repeat, answered from the row
 *     ({@code Idempotent-Replayed: true}) or refused with 422 when the method, path or body differ; an uncommitted
 *     one (the first request still running) makes the database hold this one until it finishes, and then the same
 *     applies; if that takes longer than the lock timeout, 409 with {@code Retry-After: 1};</li>
 *     <li>the handler runs inside the unit of work: every {@code Database.inTransaction} joins it, so the change,
 *     its version, its event and the key commit together (for any handler, now or later: nothing to call);</li>
 *     <li>the answer is held back until it is stored in the row and the unit of work committed. A 4xx answer rolls
 *     the handler's writes back and is remembered (the key and the refusal, in a transaction of their own); a 5xx
 *     rolls everything back and is not, so a retry runs again.</li>
 * </ol>
 * A replay runs no handler: nothing changes, nothing is published, the version does not move.
 */
public final class IdempotencyFilter implements Filter {

    public static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");

    private final Database db;
    private final Authenticator authenticator;
    private final IdempotencyStore store;

    /** @param answers seals remembered answers that may carry an invite code */
    public IdempotencyFilter(Database db, Authenticator authenticator, SecretBox answers) {
        this.db = db;
        this.authenticator = authenticator;
        this.store = new IdempotencyStore(answers);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!covers(req)) {
            chain.proceed();
            return;
        }
        Optional<IdempotencyKey> key = IdempotencyKey.of(req);
        Optional<String> userId = key.isEmpty() ? Optional.empty() : caller(req);
        if (key.isEmpty() || userId.isEmpty()) {
            // no key: as in contract 1.0; no valid token: the handler answers 401, which is not remembered
            chain.proceed();
            return;
        }
        Fingerprint fingerprint = Fingerprint.of(req.prologue().method().text(),
                req.prologue().uriPath().rawPath(), bufferedBody(req));
        run(chain, res, userId.get(), key.get(), fingerprint);
    }

    /** Keyed writes under the paths the contract names. */
    static boolean covers(ServerRequest req) {
        Method method = req.prologue().method();
        if (method != Method.POST && method != Method.PATCH && method != Method.DELETE) {
            return false;
        }
        String path = req.prologue().uriPath().path();
        return under(path, "/api/v1/lists") || under(path, "/api/v1/invites");
    }

    private void run(FilterChain chain, RoutingResponse res, String userId, IdempotencyKey key,
                     Fingerprint fingerprint) {
        // Two rounds at most: a key that is taken but then cannot be read was pruned in between (or its owner
        // rolled back after all); claiming it again settles it.
        for (int round = 0; round < 2; round++) {
            try (UnitOfWork unit = db.beginUnitOfWork()) {
                switch (store.claim(unit.tx(), userId, key, fingerprint, Rows.now())) {
                    case CLAIMED -> {
                        res.streamFilter(out -> new AnswerCapture(out, body -> complete(unit, res, userId, key,
                                fingerprint, body)));
                        chain.proceed();
                        return;
                    }
                    case IN_FLIGHT -> throw inFlight();
                    case TAKEN -> {
                        // rolled back on leaving the block; the row is read outside it
                    }
                }
            }
            Optional<Remembered> remembered = store.find(db.read(), userId, key);
            if (remembered.isPresent()) {
                replay(res, remembered.get(), fingerprint);
                return;
            }
        }
        throw inFlight();
    }

    /**
     * Runs just before the handler's answer goes out: decides what the unit of work keeps, and commits. Throwing
     * here drops the connection instead of sending the answer, and the client retries with the key.
     */
    private void complete(UnitOfWork unit, RoutingResponse res, String userId, IdempotencyKey key,
                          Fingerprint fingerprint, byte[] body) {
        int status = res.status().code();
        if (status >= 500) {
            unit.rollback(); // not remembered: the retry runs again
            return;
        }
        String contentType = body.length == 0 ? null
                : res.headers().contentType().map(HttpMediaType::text).orElse(null);
        Answer answer = new Answer(status, contentType, body);
        if (status < 400) {
            store.remember(unit.tx(), userId, key, fingerprint, answer);
            unit.commit();
            return;
        }
        // Refused: none of the handler's writes may stay (its transaction may even be broken by a failed statement),
        // but the refusal is remembered. A repeat that was waiting for this key may get in between the two
        // transactions; then its answer is the key's, and this one is not sent (the client retries and gets it).
        unit.rollback();
        if (!store.rememberRefusal(db, userId, key, fingerprint, answer, Rows.now())) {
            throw new IllegalStateException("A repeat with this Idempotency-Key answered first");
        }
    }

    private static void replay(RoutingResponse res, Remembered remembered, Fingerprint fingerprint) {
        if (!remembered.fingerprint().equals(fingerprint)) {
            throw ApiException.unprocessable("This Idempotency-Key names another request: "
                    + remembered.fingerprint().describeDifference(fingerprint)
                    + ". Use a new key for a new change.");
        }
        Answer answer = remembered.answer().orElseThrow(IdempotencyFilter::inFlight);
        res.status(Status.create(answer.status()));
        res.header(REPLAYED, "true");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (answer.contentType() != null) {
            res.header(HeaderNames.CONTENT_TYPE, answer.contentType());
        }
        if (answer.body().length == 0) {
            res.send();
        } else {
            res.send(answer.body());
        }
    }

    private Optional<String> caller(ServerRequest req) {
        try {
            return Optional.of(authenticator.userId(req));
        } catch (ApiException unauthenticated) {
            return Optional.empty();
        }
    }

    /**
     * The body, read now for its hash and kept for the handler (Helidon buffers it, and every later read gets the
     * same bytes), read as every body is: size limit, body deadline, malformed or unfinished bodies answered 4xx.
     */
    private static byte[] bufferedBody(ServerRequest req) {
        return JsonBody.bufferedBytes(req);
    }

    private static ApiException inFlight() {
        return ApiException.conflict("A request with this Idempotency-Key is still being processed; "
                + "retry shortly to get its answer", 1);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
