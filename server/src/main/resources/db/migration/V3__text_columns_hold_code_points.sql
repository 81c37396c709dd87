-- Text limits are counted in Unicode code points (the contract's characters) and enforced by the server. PostgreSQL's
-- VARCHAR(n) counts code points too, but H2's counts UTF-16 code units, in which a character outside the Basic
-- Multilingual Plane (most emoji) takes two: a name of 200 emoji did not fit VARCHAR(200) on H2. Each column now holds
-- twice its limit, which is every text within the limit on both databases.
ALTER TABLE users ALTER COLUMN email SET DATA TYPE VARCHAR(640);
ALTER TABLE users ALTER COLUMN display_name SET DATA TYPE VARCHAR(400);
ALTER TABLE lists ALTER COLUMN name SET DATA TYPE VARCHAR(400);
ALTER TABLE categories ALTER COLUMN name SET DATA TYPE VARCHAR(400);
ALTER TABLE items ALTER COLUMN name SET DATA TYPE VARCHAR(400);
ALTER TABLE items ALTER COLUMN quantity SET DATA TYPE VARCHAR(100);
ALTER TABLE items ALTER COLUMN note SET DATA TYPE VARCHAR(4000);
