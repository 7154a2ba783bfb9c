-- duty-desk schema: operators are who they say they are, and the audit log proves it
-- (issue 13). Self-contained: depends only on the first two migrations.

-- Every audit row carries a SHA-256 chain hash (domain::audit_chain). Rows written before
-- this migration are hashed by its Rust hook in the same transaction, so the chain covers
-- the whole history from row 1 (it certifies what the log held at the upgrade). The
-- append-only trigger is dropped here for that one UPDATE and put back by the hook.
ALTER TABLE audit ADD COLUMN hash TEXT;
DROP TRIGGER audit_no_update;

-- Command-line sessions (`duty-desk login`): only the SHA-256 of the random token kept
-- in the user's 0600 session file is stored, with who may use it and until when, so a
-- file alone proves nothing once logged out or expired, and cannot be edited into
-- another person's session.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    operator   TEXT NOT NULL,
    os_user    TEXT NOT NULL,
    db_key     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Wrong PINs in a row per person and the lock they earn (five: 15 minutes), console and
-- command line alike.
CREATE TABLE pin_attempt (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until TEXT
);

-- The town's operator rules (`[rules] session_hours`, `require_pin`).
ALTER TABLE town ADD COLUMN session_hours INTEGER NOT NULL DEFAULT 12;
ALTER TABLE town ADD COLUMN require_pin INTEGER NOT NULL DEFAULT 0;
