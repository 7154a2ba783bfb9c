-- duty-desk schema: alerts that reach people (issue 14). Self-contained: depends only on
-- the first migration's escalation and transport tables.

-- Every alert event is one row, made once whichever process notices it first (the UNIQUE
-- key and INSERT OR IGNORE inside the rule pass's write transaction). `occurrence` leaves
-- room for an event owed more than once. Delivery: a process claims a row (claimed_by,
-- claimed_until) in a transaction before running the hook, so a console and a watcher
-- never both deliver it; every attempt counts in `attempts` with the last error; a failed
-- one waits until `next_attempt_at`; `gave_up_at` ends the hour of retries. `seen_by`/
-- `seen_at`: the operator who marked it seen in a console. `retired_at`: its cause is
-- gone (escalation resolved, request dispatched or cancelled).
CREATE TABLE alert (
    id              INTEGER PRIMARY KEY,
    event           TEXT NOT NULL CHECK (event IN ('new','overdue','realert','raised')),
    subject         TEXT NOT NULL CHECK (subject IN ('escalation','transport')),
    subject_id      INTEGER NOT NULL,
    occurrence      INTEGER NOT NULL DEFAULT 1,
    title           TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      TEXT,
    next_attempt_at TEXT,
    claimed_by      TEXT,
    claimed_until   TEXT,
    gave_up_at      TEXT,
    seen_by         TEXT,
    seen_at         TEXT,
    retired_at      TEXT,
    UNIQUE (event, subject, subject_id, occurrence)
);
CREATE INDEX alert_live ON alert(retired_at, delivered_at);
-- the rule pass looks up what was told about each open subject every second
CREATE INDEX alert_subject ON alert(subject, subject_id);
