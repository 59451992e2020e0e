/**
 * The database layout. Bump SCHEMA_VERSION whenever it changes: a database of another
 * version is rebuilt by the next update rather than read wrongly.
 */
export const SCHEMA_VERSION = 1;

/** Tables; indexes come separately so bulk loads run before them. */
export const TABLES = `
CREATE TABLE source (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  url TEXT NOT NULL,
  etag TEXT,
  last_modified TEXT,
  sha256 TEXT,
  bytes INTEGER,
  records INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  imported_at INTEGER NOT NULL,
  checked_at INTEGER NOT NULL
);
CREATE TABLE advisory (
  id INTEGER PRIMARY KEY,
  source INTEGER NOT NULL,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL,
  summary TEXT,
  details TEXT,
  published TEXT,
  modified TEXT,
  refs TEXT NOT NULL,
  severity_source TEXT,
  severity TEXT,
  severity_level TEXT,
  cvss TEXT NOT NULL
);
CREATE TABLE affected (
  advisory INTEGER NOT NULL,
  source INTEGER NOT NULL,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  fix_state TEXT NOT NULL,
  ranges TEXT NOT NULL,
  versions TEXT NOT NULL,
  severity_source TEXT,
  severity TEXT,
  severity_level TEXT,
  cvss TEXT
);
CREATE TABLE kev (
  cve TEXT PRIMARY KEY,
  source INTEGER NOT NULL,
  date_added TEXT NOT NULL,
  due_date TEXT,
  ransomware INTEGER NOT NULL,
  name TEXT
) WITHOUT ROWID;
CREATE TABLE epss (
  cve TEXT PRIMARY KEY,
  source INTEGER NOT NULL,
  score REAL NOT NULL,
  percentile REAL NOT NULL
) WITHOUT ROWID;
`;

export const INDEXES = `
CREATE INDEX affected_package ON affected(ecosystem, name);
`;
