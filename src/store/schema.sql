-- duty-desk schema, version 1. Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; dates 'YYYY-MM-DD'
-- in the town's local calendar.

CREATE TABLE town (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    name                     TEXT NOT NULL,
    name_en                  TEXT NOT NULL DEFAULT '',
    utc_offset               TEXT NOT NULL,
    report_cutoff            TEXT NOT NULL,
    shift_start              TEXT NOT NULL,
    stock_threshold_percent  REAL NOT NULL DEFAULT 15,
    critical_wait_minutes    INTEGER NOT NULL DEFAULT 10,
    severe_wait_minutes      INTEGER NOT NULL DEFAULT 30,
    escalation_grace_minutes INTEGER NOT NULL DEFAULT 60,
    notifications            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE health_center (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    beds    INTEGER NOT NULL DEFAULT 0,
    phone   TEXT NOT NULL DEFAULT '',
    seq     INTEGER NOT NULL
);

CREATE TABLE hospital (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    seq     INTEGER NOT NULL
);

CREATE TABLE village (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    name_en       TEXT NOT NULL DEFAULT '',
    population    INTEGER NOT NULL CHECK (population > 0),
    clinic_phone  TEXT NOT NULL DEFAULT '',
    health_center TEXT NOT NULL REFERENCES health_center(code),
    seq           INTEGER NOT NULL
);

CREATE TABLE village_neighbour (
    village   TEXT NOT NULL REFERENCES village(code),
    neighbour TEXT NOT NULL REFERENCES village(code),
    PRIMARY KEY (village, neighbour)
) WITHOUT ROWID;

CREATE TABLE staff (
    name     TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('viewer','duty_officer','dispatcher','shift_lead','duty_leader')),
    phone    TEXT NOT NULL DEFAULT '',
    pin_hash TEXT,
    seq      INTEGER NOT NULL
);

CREATE TABLE vehicle (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('ambulance','reserve_car')),
    base_hc       TEXT REFERENCES health_center(code),
    base_village  TEXT REFERENCES village(code),
    plate         TEXT NOT NULL DEFAULT '',
    driver        TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'available' CHECK (status IN
                  ('available','dispatched','en_route','on_scene','transporting','at_destination','out_of_service')),
    status_since  TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    transport     INTEGER REFERENCES transport(id),
    seq           INTEGER NOT NULL,
    CHECK ((base_hc IS NULL) <> (base_village IS NULL)),
    CHECK ((kind = 'ambulance') = (base_hc IS NOT NULL)),
    -- a vehicle on a trip names it; a free or out-of-service one names none
    CHECK ((status IN ('available','out_of_service')) = (transport IS NULL))
);
CREATE UNIQUE INDEX vehicle_one_trip ON vehicle(transport) WHERE transport IS NOT NULL;

CREATE TABLE daily_report (
    date                  TEXT NOT NULL,
    village               TEXT NOT NULL REFERENCES village(code),
    new_infections        INTEGER CHECK (new_infections >= 0),
    cumulative_infections INTEGER CHECK (cumulative_infections >= 0),
    outpatients           INTEGER CHECK (outpatients >= 0),
    inpatients            INTEGER CHECK (inpatients >= 0),
    severe                INTEGER CHECK (severe >= 0),
    deaths                INTEGER CHECK (deaths >= 0),
    emergency_visits      INTEGER CHECK (emergency_visits >= 0),
    referrals             INTEGER CHECK (referrals >= 0),
    entered_at            TEXT NOT NULL,
    entered_by            TEXT NOT NULL,
    late                  INTEGER NOT NULL DEFAULT 0,
    warnings              TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (date, village)
) WITHOUT ROWID;
CREATE INDEX daily_report_by_village ON daily_report(village, date);

CREATE TABLE day_signoff (
    date          TEXT PRIMARY KEY,
    signed        INTEGER NOT NULL,
    signed_by     TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    reopen_reason TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TRIGGER daily_report_signed_insert BEFORE INSERT ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = NEW.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER daily_report_signed_update BEFORE UPDATE ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date IN (OLD.date, NEW.date) AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER daily_report_signed_delete BEFORE DELETE ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = OLD.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;

CREATE TABLE transport (
    id                 INTEGER PRIMARY KEY,
    requested_at       TEXT NOT NULL,
    caller             TEXT NOT NULL DEFAULT '',
    patient            TEXT NOT NULL,
    age                INTEGER CHECK (age >= 0 AND age <= 130),
    village            TEXT NOT NULL REFERENCES village(code),
    severity           TEXT NOT NULL CHECK (severity IN ('critical','severe','stable')),
    destination        TEXT NOT NULL,
    note               TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'requested' CHECK (status IN
                       ('requested','dispatched','en_route','on_scene','transporting','at_destination','back_in_service','cancelled')),
    vehicle            TEXT REFERENCES vehicle(code),
    dispatched_at      TEXT,
    en_route_at        TEXT,
    on_scene_at        TEXT,
    transporting_at    TEXT,
    at_destination_at  TEXT,
    back_in_service_at TEXT,
    cancelled_at       TEXT,
    last_change_at     TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    CHECK ((status IN ('requested','cancelled')) OR vehicle IS NOT NULL)
);
-- the constraint behind "never double-booked": at most one active trip per vehicle
CREATE UNIQUE INDEX transport_one_active_per_vehicle ON transport(vehicle)
    WHERE status IN ('dispatched','en_route','on_scene','transporting','at_destination');
CREATE INDEX transport_open ON transport(status) WHERE status NOT IN ('back_in_service','cancelled');
CREATE INDEX transport_requested_at ON transport(requested_at);

CREATE TABLE escalation (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    village         TEXT REFERENCES village(code),
    place           TEXT,
    details         TEXT NOT NULL DEFAULT '',
    direct          INTEGER NOT NULL DEFAULT 0,
    subject         TEXT,
    due             TEXT NOT NULL,
    grace_minutes   INTEGER NOT NULL DEFAULT 60,
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','acknowledged','resolved')),
    raised_at       TEXT NOT NULL,
    raised_by       TEXT NOT NULL,
    owner           TEXT NOT NULL DEFAULT '',
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    resolved_at     TEXT,
    resolved_by     TEXT,
    resolution_note TEXT,
    escalated_at    TEXT,
    alerted_overdue_at TEXT,
    CHECK (state <> 'resolved' OR (resolution_note IS NOT NULL AND resolution_note <> ''))
);
-- one open escalation per automatic subject
CREATE UNIQUE INDEX escalation_one_open_per_subject ON escalation(subject)
    WHERE subject IS NOT NULL AND state <> 'resolved';
CREATE INDEX escalation_open ON escalation(state, due) WHERE state <> 'resolved';

CREATE TABLE stock (
    place      TEXT NOT NULL,
    item       TEXT NOT NULL CHECK (item IN ('drug_packs','antigen_kits')),
    quantity   INTEGER NOT NULL CHECK (quantity >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (place, item)
) WITHOUT ROWID;

CREATE TABLE shift_roster (
    shift_start TEXT NOT NULL,
    staff       TEXT NOT NULL REFERENCES staff(name),
    duty        TEXT NOT NULL CHECK (duty IN ('leader','officer')),
    PRIMARY KEY (shift_start, staff)
) WITHOUT ROWID;

CREATE TABLE handover (
    shift_start  TEXT PRIMARY KEY,
    notes        TEXT NOT NULL DEFAULT '',
    compiled     TEXT,
    signed_by    TEXT,
    signed_at    TEXT,
    outgoing     TEXT
) WITHOUT ROWID;

CREATE TABLE log_entry (
    id          INTEGER PRIMARY KEY,
    shift_start TEXT NOT NULL,
    at          TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('call','dispatch','report','escalation','note')),
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    -- automatic entries keep their message as {key, args} so each reader sees it in their language
    auto_msg    TEXT,
    amends      INTEGER REFERENCES log_entry(id)
);
CREATE INDEX log_entry_by_shift ON log_entry(shift_start, at);

-- a signed shift's entries are fixed; only amendments may be added to it
CREATE TRIGGER log_entry_signed_insert BEFORE INSERT ON log_entry
WHEN NEW.amends IS NULL AND EXISTS
    (SELECT 1 FROM handover WHERE shift_start = NEW.shift_start AND signed_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'duty-desk: shift signed'); END;
CREATE TRIGGER log_entry_signed_update BEFORE UPDATE ON log_entry
WHEN EXISTS (SELECT 1 FROM handover WHERE shift_start = OLD.shift_start AND signed_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'duty-desk: shift signed'); END;
CREATE TRIGGER log_entry_signed_delete BEFORE DELETE ON log_entry
WHEN EXISTS (SELECT 1 FROM handover WHERE shift_start = OLD.shift_start AND signed_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'duty-desk: shift signed'); END;
CREATE TRIGGER handover_signed_update BEFORE UPDATE ON handover
WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'duty-desk: shift signed'); END;
CREATE TRIGGER handover_signed_delete BEFORE DELETE ON handover
WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'duty-desk: shift signed'); END;

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    operator TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_subject ON audit(subject, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'duty-desk: audit log is append-only'); END;
