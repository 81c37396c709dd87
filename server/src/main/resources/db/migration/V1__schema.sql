-- ListSync schema. Runs unchanged on H2 (MODE default, DATABASE_TO_LOWER) and PostgreSQL.
-- Ids are random UUID strings made by the application; times are UTC with millisecond precision.

CREATE TABLE users (
    id            VARCHAR(36)  PRIMARY KEY,
    email         VARCHAR(320) NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
-- Emails are stored lower-cased, so uniqueness is case-insensitive.
CREATE UNIQUE INDEX ux_users_email ON users (email);

-- Refresh tokens are stored only as SHA-256 hashes. Tokens of one login form a family; presenting a token that
-- was already used revokes the whole family (a stolen token that is replayed logs the thief and the victim out).
CREATE TABLE refresh_tokens (
    token_hash VARCHAR(64) PRIMARY KEY,
    family_id  VARCHAR(36) NOT NULL,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id);

-- version: the list's change counter; +1 in the same transaction as every change to the name, items or categories.
CREATE TABLE lists (
    id         VARCHAR(36)  PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    owner_id   VARCHAR(36)  NOT NULL REFERENCES users (id),
    version    BIGINT       NOT NULL DEFAULT 0,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE list_members (
    list_id    VARCHAR(36) NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       VARCHAR(10) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (list_id, user_id),
    CONSTRAINT ck_list_members_role CHECK (role IN ('owner', 'editor', 'viewer'))
);
-- "the lists I am a member of"
CREATE INDEX ix_list_members_user ON list_members (user_id);

CREATE TABLE categories (
    id         VARCHAR(36)  PRIMARY KEY,
    list_id    VARCHAR(36)  NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    name       VARCHAR(200) NOT NULL,
    position   INTEGER      NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_categories_list ON categories (list_id, position);

CREATE TABLE items (
    id          VARCHAR(36)   PRIMARY KEY,
    list_id     VARCHAR(36)   NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    -- deleting a category leaves its items in the list, uncategorized
    category_id VARCHAR(36)   REFERENCES categories (id) ON DELETE SET NULL,
    name        VARCHAR(200)  NOT NULL,
    quantity    VARCHAR(50),
    note        VARCHAR(2000),
    position    INTEGER       NOT NULL,
    checked     BOOLEAN       NOT NULL DEFAULT FALSE,
    checked_at  TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_items_list ON items (list_id, position);
CREATE INDEX ix_items_category ON items (category_id);

-- The list's event log: one row per committed change, written in the change's own transaction. It is the source
-- of replay (?since=), of gap repair in the fan-out, and of the relay that republishes what a crashed instance
-- committed but never published. payload is the exact frame sent to WebSocket clients.
CREATE TABLE list_events (
    list_id    VARCHAR(36)     NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    version    BIGINT          NOT NULL,
    type       VARCHAR(40)     NOT NULL,
    actor_id   VARCHAR(36),
    payload    VARCHAR(1000000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (list_id, version)
);
CREATE INDEX ix_list_events_created ON list_events (created_at);
