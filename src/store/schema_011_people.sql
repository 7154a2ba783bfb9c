-- duty-desk schema, key populations (issue 15): the register of people graded red,
-- yellow and green, their contacts and level changes, and the town's cadence settings.

CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    village      TEXT NOT NULL REFERENCES village(code),
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    age          INTEGER NOT NULL CHECK (age BETWEEN 0 AND 130),
    sex          TEXT CHECK (sex IN ('male','female')),
    phone        TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    conditions   TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL CHECK (level IN ('red','yellow','green')),
    cadre        TEXT NOT NULL DEFAULT '',
    doctor       TEXT NOT NULL DEFAULT '',
    -- the town's date of the first import: a person never contacted is due that day
    imported_on  TEXT NOT NULL,
    -- the newest contact that reached the person (UTC, as to_db writes it), kept in the
    -- same transaction as the contact so the call list never reads contact history
    last_contact TEXT,
    retired      INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    -- one of the demo town's invented people: the first real register imported retires them
    demo         INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    UNIQUE (village, name, phone)
);
CREATE INDEX person_by_village ON person(village, level) WHERE retired = 0;

CREATE TABLE person_contact (
    id          INTEGER PRIMARY KEY,
    person      INTEGER NOT NULL REFERENCES person(id),
    at          TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('phone','visit')),
    outcome     TEXT NOT NULL CHECK (outcome IN ('stable','worse','unreachable','referred')),
    note        TEXT NOT NULL DEFAULT '',
    operator    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
-- one person's history, and "the last contact on or before a day" by one seek
CREATE INDEX person_contact_by_person ON person_contact(person, at);
-- a week's contacts (the weekly figures) by one range
CREATE INDEX person_contact_by_at ON person_contact(at, person) WHERE outcome <> 'unreachable';

CREATE TABLE person_level (
    id         INTEGER PRIMARY KEY,
    person     INTEGER NOT NULL REFERENCES person(id),
    at         TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level   TEXT NOT NULL CHECK (to_level IN ('red','yellow','green')),
    reason     TEXT NOT NULL,
    operator   TEXT NOT NULL
);
CREATE INDEX person_level_by_person ON person_level(person, at);

ALTER TABLE town ADD COLUMN red_per_week INTEGER NOT NULL DEFAULT 3 CHECK (red_per_week BETWEEN 1 AND 7);
ALTER TABLE town ADD COLUMN yellow_per_week INTEGER NOT NULL DEFAULT 2 CHECK (yellow_per_week BETWEEN 1 AND 7);
ALTER TABLE town ADD COLUMN green_per_week INTEGER NOT NULL DEFAULT 1 CHECK (green_per_week BETWEEN 1 AND 7);
