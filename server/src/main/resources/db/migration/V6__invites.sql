-- Invite links. The code itself is never stored in a form that opens the list: code_hash (SHA-256, hex) finds the
-- invite when someone presents a code, and code_sealed (AES-GCM under a key derived from the server's secret, which is
-- not in the database) lets the owner see the link again. A copy of the database alone yields no usable code.
CREATE TABLE invites (
    id          VARCHAR(36)  PRIMARY KEY,
    list_id     VARCHAR(36)  NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    code_hash   VARCHAR(64)  NOT NULL,
    code_sealed VARCHAR(200) NOT NULL,
    role        VARCHAR(10)  NOT NULL,
    created_by  VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    max_uses    INTEGER      NOT NULL,
    uses        INTEGER      NOT NULL DEFAULT 0,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ck_invites_role CHECK (role IN ('editor', 'viewer')),
    CONSTRAINT ck_invites_uses CHECK (uses >= 0 AND uses <= max_uses)
);
CREATE UNIQUE INDEX ux_invites_code ON invites (code_hash);
CREATE INDEX ix_invites_list ON invites (list_id, created_at);
