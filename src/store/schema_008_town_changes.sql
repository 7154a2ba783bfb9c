-- duty-desk schema: the town after init (issue 16). Nothing in the town is ever deleted:
-- a village, vehicle, person, health center or hospital that leaves the town file is
-- retired (retired_at set), kept for history, and left out of boards, choosers and rules.
-- The surge settings: while `surge` is on, the rules use the surge thresholds.

ALTER TABLE village ADD COLUMN retired_at TEXT;
ALTER TABLE vehicle ADD COLUMN retired_at TEXT;
ALTER TABLE staff ADD COLUMN retired_at TEXT;
ALTER TABLE health_center ADD COLUMN retired_at TEXT;
ALTER TABLE hospital ADD COLUMN retired_at TEXT;

ALTER TABLE town ADD COLUMN surge INTEGER NOT NULL DEFAULT 0;
ALTER TABLE town ADD COLUMN surge_stock_threshold_percent REAL NOT NULL DEFAULT 30;
ALTER TABLE town ADD COLUMN surge_critical_wait_minutes INTEGER NOT NULL DEFAULT 5;
ALTER TABLE town ADD COLUMN surge_severe_wait_minutes INTEGER NOT NULL DEFAULT 15;
ALTER TABLE town ADD COLUMN surge_handover_grace_minutes INTEGER NOT NULL DEFAULT 15;
