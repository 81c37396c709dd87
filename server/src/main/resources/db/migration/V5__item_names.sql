-- Suggestions: every item name ever added to a list, one row per name ignoring letter case. Written in the same
-- transaction as the item create (and rename) that used the name; not tied to items or the event log, so it survives
-- both deleting the items and pruning their events. Deleting the list deletes its names.
-- Text columns are wider than the API limits (code points): they hold what LOWER makes of any valid name.
CREATE TABLE item_names (
    list_id          VARCHAR(36)  NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    -- LOWER(name), computed by the database, so matching, ranking and "is it on the list now" all use one rule
    name_key         VARCHAR(1000) NOT NULL,
    -- the spelling it was last added with
    name             VARCHAR(1000) NOT NULL,
    times_added      INTEGER      NOT NULL,
    last_added_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_quantity    VARCHAR(200),
    -- deliberately no foreign key: a category deleted and then restored (undo) with its old id is found again
    last_category_id VARCHAR(36),
    PRIMARY KEY (list_id, name_key)
);
