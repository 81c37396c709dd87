package io.listsync.server.idempotency;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.ServerResponseHeaders;
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
import io.listsync.server.http.Json;
import io.listsync.server.http.JsonBody;
import io.listsync.server.http.ProblemHandler;
import io.listsync.server.idempotency.IdempotencyStore.Remembered;
import io.listsync.server.idempotency.IdempotencyStore.Stored;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Safe retries (contract 1.1): every {@code POST}, {@code PATCH} and {@code DELETE} under {@code /api/v1/lists} and
 * {@code /api/v1/invites} that carries an {@code Idempotency-Key} runs as one {@link UnitOfWork}:
 * <ol>
 *     <li>the handler runs inside it: every {@code Database.inTransaction} joins it, so the change, its version and
 *     its event commit together with the key (for any handler, now or later: nothing to call);</li>
 *     <li>its answer is held back, and the key's row is inserted with that answer as the unit's last statement, then
 *     the unit commits: one statement per keyed write;</li>
 *     <li>if the key is taken, the database has made that insert wait for the other request to finish (PostgreSQL
 *     until it does, H2 up to its lock timeout): the unit is rolled back, so nothing of this run stays, and the
 *     answer sent instead is the key's ({@code Idempotent-Replayed: true}), a 422 when the method, path or body
 *     differ, or a 409 with {@code Retry-After: 1} when the other request did not finish in time.</li>
 * </ol>
 * A 4xx answer rolls the handler's writes back and is remembered in a transaction of its own; a 5xx (and a 401: the
 * token's user does not exist) rolls everything back and is not remembered, so a retry runs again. A repeat
 * therefore runs the handler once more, always in vain: that costs the rare retry a rolled-back transaction, and
 * saves every first request a round trip.
 */
public final class IdempotencyFilter implements Filter {

    public static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");

    private static final String PROBLEM_JSON = "application/problem+json";

    private final Database db;
    private final Authenticator authenticator;
    private final Json json;
    private final IdempotencyStore store;

    /** @param answers seals remembered answers that may carry an invite code */
    public IdempotencyFilter(Database db, Authenticator authenticator, Json json, SecretBox answers) {
        this.db = db;
        this.authenticator = authenticator;
        this.json = json;
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
        Request request = new Request(req, userId.get(), key.get(), fingerprint, headersSoFar(res));
        try (UnitOfWork unit = db.beginUnitOfWork()) {
            Completion completion = new Completion(body -> complete(unit, res, request, body));
            // An answer without a body (204) must be settled before Helidon opens its stream, which then refuses a
            // body: the one put in its place may have one. Any other is settled once its body is known.
            res.beforeSend(() -> {
                if (hasNoEntity(res.status())) {
                    completion.settle(new byte[0]);
                }
            });
            res.streamFilter(out -> new AnswerCapture(out, completion::settle));
            chain.proceed();
        }
    }

    /** Settles a keyed write once, whichever of the two moments comes first; returns the bytes to send. */
    private static final class Completion {
        private final UnaryOperator<byte[]> complete;
        private byte[] settled;

        Completion(UnaryOperator<byte[]> complete) {
            this.complete = complete;
        }

        byte[] settle(byte[] body) {
            if (settled == null) {
                settled = complete.apply(body);
            }
            return settled;
        }
    }

    private static boolean hasNoEntity(Status status) {
        int code = status.code();
        return code == 204 || code == 205 || code == 304;
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

    /** One keyed request: whose key, what it names, and the response headers set before the handler ran. */
    private record Request(ServerRequest source, String userId, IdempotencyKey key, Fingerprint fingerprint,
                           List<Header> headersBefore) {
    }

    /**
     * Runs just before the handler's answer goes out: decides what the unit of work keeps, commits, and returns the
     * bytes to send (the handler's, or the key's answer in their place). Throwing here drops the connection instead
     * of sending the answer, and the client retries with the key.
     */
    private byte[] complete(UnitOfWork unit, RoutingResponse res, Request request, byte[] body) {
        int status = res.status().code();
        if (status >= 500 || status == 401) {
            // not remembered: the retry runs again (a 401: the caller's token named a user who does not exist)
            unit.rollback();
            return body;
        }
        String contentType = body.length == 0 ? null
                : res.headers().contentType().map(HttpMediaType::text).orElse(null);
        Answer answer = new Answer(status, contentType, body);
        Stored stored;
        if (status < 400) {
            try {
                stored = store.remember(unit, request.userId(), request.key(), request.fingerprint(), answer,
                        Rows.now());
            } catch (RuntimeException e) {
                if (!unit.isOpen()) {
                    throw e; // the commit itself failed, its outcome unknown: the client retries with the key
                }
                // a write of the change that rides the commit was refused: nothing is committed, nothing remembered
                unit.rollback();
                return answerInstead(res, request, problem(ProblemHandler.unexpected(request.source(), e)));
            }
            if (stored == Stored.STORED) {
                return body; // committed with the key
            }
            unit.rollback();
        } else {
            // Refused: none of the handler's writes may stay (its transaction may even be broken by a failed
            // statement), but the refusal is remembered, on its own.
            unit.rollback();
            stored = store.rememberRefusal(db, request.userId(), request.key(), request.fingerprint(), answer,
                    Rows.now());
            if (stored == Stored.STORED) {
                return body;
            }
        }
        return answerInstead(res, request, stored == Stored.TAKEN ? keysAnswer(request) : inFlightAnswer());
    }

    /** An answer sent in the place of the handler's, with the headers it adds. */
    private record Instead(Answer answer, List<Header> headers) {
    }

    /** The answer the key holds, for a request that found it taken: the same one replayed, or 422. */
    private Instead keysAnswer(Request request) {
        try {
            authenticator.userId(request.source()); // the key's answer is only for a user who (still) exists
        } catch (ApiException unauthenticated) {
            return problem(unauthenticated);
        }
        Optional<Remembered> remembered = store.find(db.read(), request.userId(), request.key());
        if (remembered.isEmpty()) {
            // pruned in the meantime (the key is older than the retention): the client's retry runs afresh
            return inFlightAnswer();
        }
        if (!remembered.get().fingerprint().equals(request.fingerprint())) {
            return problem(ApiException.unprocessable("This Idempotency-Key names another request: "
                    + remembered.get().fingerprint().describeDifference(request.fingerprint())
                    + ". Use a new key for a new change."));
        }
        return remembered.get().answer().map(IdempotencyFilter::replayed).orElseGet(this::inFlightAnswer);
    }

    /**
     * Puts {@code answer} in the place of the handler's: its status, and the headers as they were before the handler
     * ran (security headers and the like) plus the answer's own.
     */
    private static byte[] answerInstead(RoutingResponse res, Request request, Instead instead) {
        Answer answer = instead.answer();
        ServerResponseHeaders headers = res.headers();
        headers.clear();
        request.headersBefore().forEach(headers::set);
        instead.headers().forEach(headers::set);
        if (answer.contentType() != null) {
            headers.set(HeaderNames.CONTENT_TYPE, answer.contentType());
        }
        // Helidon opened the stream of a 204 without framing it (no length, not chunked): the body's end must be said
        headers.set(HeaderValues.create(HeaderNames.CONTENT_LENGTH, Integer.toString(answer.body().length)));
        res.status(Status.create(answer.status()));
        return answer.body();
    }

    private static Instead replayed(Answer remembered) {
        return new Instead(remembered, List.of(HeaderValues.create(REPLAYED, "true"),
                HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store")));
    }

    private Instead inFlightAnswer() {
        return problem(ApiException.conflict("A request with this Idempotency-Key is still being processed; "
                + "retry shortly to get its answer", 1));
    }

    private Instead problem(ApiException e) {
        List<Header> headers = e.retryAfterSeconds()
                .map(s -> List.of(HeaderValues.create(HeaderNames.RETRY_AFTER, Long.toString(s))))
                .orElse(List.of());
        return new Instead(new Answer(e.status().code(), PROBLEM_JSON, json.writeBytes(e.problem())), headers);
    }

    private static List<Header> headersSoFar(RoutingResponse res) {
        List<Header> headers = new ArrayList<>(8);
        res.headers().forEach(headers::add);
        return headers;
    }

    /**
     * The token's user, not yet looked up: a change to a list proves the user exists with its membership row (see
     * {@link Authenticator#claimedUserId}), any other handler looks the user up itself, and a replay does so first.
     */
    private Optional<String> caller(ServerRequest req) {
        try {
            return Optional.of(authenticator.claimedUserId(req));
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

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
