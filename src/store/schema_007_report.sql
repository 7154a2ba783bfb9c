-- duty-desk schema (issue 17, the daily report told honestly): why a day was signed with
-- villages missing, the shift lead's analysis (研判) of a day, and the health centers'
-- facilities (beds occupied, oxygen, oximeters, fever clinic).

ALTER TABLE day_signoff ADD COLUMN missing_reason TEXT NOT NULL DEFAULT '';

-- one analysis per day; frozen with the day once it is signed (reopen to change it)
CREATE TABLE day_note (
    date       TEXT PRIMARY KEY,
    note       TEXT NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER day_note_signed_insert BEFORE INSERT ON day_note
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = NEW.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER day_note_signed_update BEFORE UPDATE ON day_note
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date IN (OLD.date, NEW.date) AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER day_note_signed_delete BEFORE DELETE ON day_note
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = OLD.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;

-- the latest known state of each health center; NULL = never given
CREATE TABLE facility_capacity (
    health_center         TEXT PRIMARY KEY REFERENCES health_center(code),
    beds_occupied         INTEGER CHECK (beds_occupied BETWEEN 0 AND 10000000),
    oxygen_concentrators  INTEGER CHECK (oxygen_concentrators BETWEEN 0 AND 10000000),
    oxygen_bags           INTEGER CHECK (oxygen_bags BETWEEN 0 AND 10000000),
    oximeters             INTEGER CHECK (oximeters BETWEEN 0 AND 10000000),
    fever_clinic          TEXT CHECK (fever_clinic IN ('open', 'closed')),
    updated_at            TEXT NOT NULL,
    updated_by            TEXT NOT NULL
) WITHOUT ROWID;

-- town [rules] min_oximeters_hc (seed 000 (六): at least 20 per health center)
ALTER TABLE town ADD COLUMN min_oximeters_hc INTEGER NOT NULL DEFAULT 20;
