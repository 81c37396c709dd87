-- Idempotency-Key (contract 1.1): per user and key, the request it named (method, path, SHA-256 of the body) and
-- the answer it got. A row is inserted at the start of the request's transaction and completed with the answer in
-- the same transaction, so it is committed exactly when the change is; while it is uncommitted, a second request
-- with the same key waits on the primary key and then replays the answer. Rows are pruned after
-- idempotency.retention (24 h by default).
-- No foreign key to users: the row is short-lived, and the insert stays one index write on the hot path.
CREATE TABLE idempotency_keys (
    user_id      VARCHAR(36)      NOT NULL,
    idem_key     VARCHAR(255)     NOT NULL,
    method       VARCHAR(10)      NOT NULL,
    path         VARCHAR(2000)    NOT NULL,
    body_hash    VARCHAR(64)      NOT NULL,
    -- the answer; NULL only inside the request's own, uncommitted transaction
    status       INTEGER,
    content_type VARCHAR(200),
    body         VARCHAR(1000000),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
