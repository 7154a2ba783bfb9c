-- duty-desk schema, roster plan (issue 11): who is on duty on which day, and how long a
-- shift may stay unsigned after its end before the duty leader is told.

CREATE TABLE roster_plan (
    date  TEXT NOT NULL,
    staff TEXT NOT NULL REFERENCES staff(name),
    duty  TEXT NOT NULL CHECK (duty IN ('leader','officer')),
    seq   INTEGER NOT NULL,
    PRIMARY KEY (date, staff)
) WITHOUT ROWID;
-- one leader a day
CREATE UNIQUE INDEX roster_plan_one_leader ON roster_plan(date) WHERE duty = 'leader';

-- the open shift follows the latest signed one: found by one index seek
CREATE INDEX handover_signed ON handover(shift_start) WHERE signed_at IS NOT NULL;

ALTER TABLE town ADD COLUMN handover_grace_minutes INTEGER NOT NULL DEFAULT 30;
