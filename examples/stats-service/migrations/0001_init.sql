-- The stats service's D1 schema (docs/privacy.md explains what each table may hold and for how long).
-- Every table is WITHOUT ROWID: rows are kept in key order, so not even insertion order is recorded.

-- The day's random salt for de-duplicating install pings. Deleted when the day closes.
CREATE TABLE day_salt (
  day TEXT PRIMARY KEY,
  salt BLOB NOT NULL
) WITHOUT ROWID;

-- The installs counted today: SHA-256(salt, package, installation). Deleted when the day closes;
-- without the salt the hashes say nothing.
CREATE TABLE day_seen (
  hash BLOB PRIMARY KEY,
  day TEXT NOT NULL
) WITHOUT ROWID;

-- Installs per package and UTC day: all that is left of install pings once a day has closed.
CREATE TABLE daily_installs (
  package TEXT NOT NULL,
  day TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (package, day)
) WITHOUT ROWID;

-- One rating per installation and package (the latest), under a keyed hash that leads back to no
-- installation without the service secret. No time is stored.
CREATE TABLE ratings (
  rater BLOB PRIMARY KEY,
  package TEXT NOT NULL,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
) WITHOUT ROWID;

-- `changed_at`: when an aggregate last changed, the stats document's `generated_at`.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
