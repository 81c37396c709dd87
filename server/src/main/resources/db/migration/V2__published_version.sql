-- published_version: the highest version known to have reached the broker. The relay republishes, from the event
-- log, what a crashed instance or an unreachable broker left between published_version and version.
ALTER TABLE lists ADD COLUMN published_version BIGINT NOT NULL DEFAULT 0;
UPDATE lists SET published_version = version;
-- the relay looks only at recently changed lists
CREATE INDEX ix_lists_updated ON lists (updated_at);
