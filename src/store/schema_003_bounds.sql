-- duty-desk schema, version 3: bounds on every figure (issue 12).
-- Every count in a daily report is a whole number from 0 to 10,000,000 (CHECK) and at most
-- the village's population (trigger); the day totals can then never overflow, and their
-- columns refuse anything but an integer, so a sum can never turn into a REAL again.
-- The report table is rebuilt to carry the CHECKs: its rows are kept, a stored figure
-- outside 0..10,000,000 or not a whole number (possible before this version) becomes
-- "not reported" (NULL), and the day totals are recomputed from the rows.
-- A village's population is a whole number from 1 to 10,000,000 from now on (triggers).

CREATE TABLE daily_report_bounded (
    date                  TEXT NOT NULL,
    village               TEXT NOT NULL REFERENCES village(code),
    new_infections        INTEGER CHECK (new_infections IS NULL OR (typeof(new_infections) = 'integer' AND new_infections BETWEEN 0 AND 10000000)),
    cumulative_infections INTEGER CHECK (cumulative_infections IS NULL OR (typeof(cumulative_infections) = 'integer' AND cumulative_infections BETWEEN 0 AND 10000000)),
    outpatients           INTEGER CHECK (outpatients IS NULL OR (typeof(outpatients) = 'integer' AND outpatients BETWEEN 0 AND 10000000)),
    inpatients            INTEGER CHECK (inpatients IS NULL OR (typeof(inpatients) = 'integer' AND inpatients BETWEEN 0 AND 10000000)),
    severe                INTEGER CHECK (severe IS NULL OR (typeof(severe) = 'integer' AND severe BETWEEN 0 AND 10000000)),
    deaths                INTEGER CHECK (deaths IS NULL OR (typeof(deaths) = 'integer' AND deaths BETWEEN 0 AND 10000000)),
    emergency_visits      INTEGER CHECK (emergency_visits IS NULL OR (typeof(emergency_visits) = 'integer' AND emergency_visits BETWEEN 0 AND 10000000)),
    referrals             INTEGER CHECK (referrals IS NULL OR (typeof(referrals) = 'integer' AND referrals BETWEEN 0 AND 10000000)),
    entered_at            TEXT NOT NULL,
    entered_by            TEXT NOT NULL,
    late                  INTEGER NOT NULL DEFAULT 0,
    warnings              TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (date, village)
) WITHOUT ROWID;

INSERT INTO daily_report_bounded (date, village, new_infections, cumulative_infections, outpatients, inpatients, severe, deaths, emergency_visits, referrals, entered_at, entered_by, late, warnings)
SELECT date, village, CASE WHEN typeof(new_infections) = 'integer' AND new_infections BETWEEN 0 AND 10000000 THEN new_infections END, CASE WHEN typeof(cumulative_infections) = 'integer' AND cumulative_infections BETWEEN 0 AND 10000000 THEN cumulative_infections END, CASE WHEN typeof(outpatients) = 'integer' AND outpatients BETWEEN 0 AND 10000000 THEN outpatients END, CASE WHEN typeof(inpatients) = 'integer' AND inpatients BETWEEN 0 AND 10000000 THEN inpatients END, CASE WHEN typeof(severe) = 'integer' AND severe BETWEEN 0 AND 10000000 THEN severe END, CASE WHEN typeof(deaths) = 'integer' AND deaths BETWEEN 0 AND 10000000 THEN deaths END, CASE WHEN typeof(emergency_visits) = 'integer' AND emergency_visits BETWEEN 0 AND 10000000 THEN emergency_visits END, CASE WHEN typeof(referrals) = 'integer' AND referrals BETWEEN 0 AND 10000000 THEN referrals END, entered_at, entered_by, late, warnings
FROM daily_report;

DROP TABLE daily_report;
ALTER TABLE daily_report_bounded RENAME TO daily_report;
CREATE INDEX daily_report_by_village ON daily_report(village, date);

CREATE TRIGGER daily_report_signed_insert BEFORE INSERT ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = NEW.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER daily_report_signed_update BEFORE UPDATE ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date IN (OLD.date, NEW.date) AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;
CREATE TRIGGER daily_report_signed_delete BEFORE DELETE ON daily_report
WHEN EXISTS (SELECT 1 FROM day_signoff WHERE date = OLD.date AND signed = 1)
BEGIN SELECT RAISE(ABORT, 'duty-desk: day signed'); END;

-- no figure above the village's population
CREATE TRIGGER daily_report_population_insert BEFORE INSERT ON daily_report
WHEN max(COALESCE(NEW.new_infections, 0), COALESCE(NEW.cumulative_infections, 0), COALESCE(NEW.outpatients, 0), COALESCE(NEW.inpatients, 0), COALESCE(NEW.severe, 0), COALESCE(NEW.deaths, 0), COALESCE(NEW.emergency_visits, 0), COALESCE(NEW.referrals, 0)) > (SELECT population FROM village WHERE code = NEW.village)
BEGIN SELECT RAISE(ABORT, 'duty-desk: figure above population'); END;
CREATE TRIGGER daily_report_population_update BEFORE UPDATE ON daily_report
WHEN max(COALESCE(NEW.new_infections, 0), COALESCE(NEW.cumulative_infections, 0), COALESCE(NEW.outpatients, 0), COALESCE(NEW.inpatients, 0), COALESCE(NEW.severe, 0), COALESCE(NEW.deaths, 0), COALESCE(NEW.emergency_visits, 0), COALESCE(NEW.referrals, 0)) > (SELECT population FROM village WHERE code = NEW.village)
BEGIN SELECT RAISE(ABORT, 'duty-desk: figure above population'); END;

CREATE TRIGGER village_population_insert BEFORE INSERT ON village
WHEN typeof(NEW.population) <> 'integer' OR NEW.population NOT BETWEEN 1 AND 10000000
BEGIN SELECT RAISE(ABORT, 'duty-desk: population out of range'); END;
CREATE TRIGGER village_population_update BEFORE UPDATE OF population ON village
WHEN typeof(NEW.population) <> 'integer' OR NEW.population NOT BETWEEN 1 AND 10000000
BEGIN SELECT RAISE(ABORT, 'duty-desk: population out of range'); END;

DROP TABLE day_totals;
CREATE TABLE day_totals (
    date TEXT PRIMARY KEY,
    reported INTEGER NOT NULL DEFAULT 0 CHECK (typeof(reported) = 'integer'),
    population_reported INTEGER NOT NULL DEFAULT 0 CHECK (typeof(population_reported) = 'integer'),
    s_new_infections INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_new_infections) = 'integer'),
    n_new_infections INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_new_infections) = 'integer'),
    s_cumulative_infections INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_cumulative_infections) = 'integer'),
    n_cumulative_infections INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_cumulative_infections) = 'integer'),
    s_outpatients INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_outpatients) = 'integer'),
    n_outpatients INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_outpatients) = 'integer'),
    s_inpatients INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_inpatients) = 'integer'),
    n_inpatients INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_inpatients) = 'integer'),
    s_severe INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_severe) = 'integer'),
    n_severe INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_severe) = 'integer'),
    s_deaths INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_deaths) = 'integer'),
    n_deaths INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_deaths) = 'integer'),
    s_emergency_visits INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_emergency_visits) = 'integer'),
    n_emergency_visits INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_emergency_visits) = 'integer'),
    s_referrals INTEGER NOT NULL DEFAULT 0 CHECK (typeof(s_referrals) = 'integer'),
    n_referrals INTEGER NOT NULL DEFAULT 0 CHECK (typeof(n_referrals) = 'integer')
) WITHOUT ROWID;

INSERT INTO day_totals (date, reported, population_reported, s_new_infections, n_new_infections, s_cumulative_infections, n_cumulative_infections, s_outpatients, n_outpatients, s_inpatients, n_inpatients, s_severe, n_severe, s_deaths, n_deaths, s_emergency_visits, n_emergency_visits, s_referrals, n_referrals)
SELECT r.date, COUNT(*), COALESCE(SUM(CASE WHEN r.cumulative_infections IS NOT NULL THEN v.population END), 0), COALESCE(SUM(r.new_infections), 0), COUNT(r.new_infections), COALESCE(SUM(r.cumulative_infections), 0), COUNT(r.cumulative_infections), COALESCE(SUM(r.outpatients), 0), COUNT(r.outpatients), COALESCE(SUM(r.inpatients), 0), COUNT(r.inpatients), COALESCE(SUM(r.severe), 0), COUNT(r.severe), COALESCE(SUM(r.deaths), 0), COUNT(r.deaths), COALESCE(SUM(r.emergency_visits), 0), COUNT(r.emergency_visits), COALESCE(SUM(r.referrals), 0), COUNT(r.referrals)
FROM daily_report r JOIN village v ON v.code = r.village
GROUP BY r.date;

CREATE TRIGGER day_totals_insert AFTER INSERT ON daily_report
BEGIN
    INSERT INTO day_totals (date, reported, population_reported, s_new_infections, n_new_infections, s_cumulative_infections, n_cumulative_infections, s_outpatients, n_outpatients, s_inpatients, n_inpatients, s_severe, n_severe, s_deaths, n_deaths, s_emergency_visits, n_emergency_visits, s_referrals, n_referrals)
    VALUES (NEW.date, 1, CASE WHEN NEW.cumulative_infections IS NOT NULL THEN (SELECT population FROM village WHERE code = NEW.village) ELSE 0 END, COALESCE(NEW.new_infections, 0), (NEW.new_infections IS NOT NULL), COALESCE(NEW.cumulative_infections, 0), (NEW.cumulative_infections IS NOT NULL), COALESCE(NEW.outpatients, 0), (NEW.outpatients IS NOT NULL), COALESCE(NEW.inpatients, 0), (NEW.inpatients IS NOT NULL), COALESCE(NEW.severe, 0), (NEW.severe IS NOT NULL), COALESCE(NEW.deaths, 0), (NEW.deaths IS NOT NULL), COALESCE(NEW.emergency_visits, 0), (NEW.emergency_visits IS NOT NULL), COALESCE(NEW.referrals, 0), (NEW.referrals IS NOT NULL))
    ON CONFLICT (date) DO UPDATE SET
        reported = reported + excluded.reported,
        population_reported = population_reported + excluded.population_reported,
        s_new_infections = s_new_infections + excluded.s_new_infections,
        n_new_infections = n_new_infections + excluded.n_new_infections,
        s_cumulative_infections = s_cumulative_infections + excluded.s_cumulative_infections,
        n_cumulative_infections = n_cumulative_infections + excluded.n_cumulative_infections,
        s_outpatients = s_outpatients + excluded.s_outpatients,
        n_outpatients = n_outpatients + excluded.n_outpatients,
        s_inpatients = s_inpatients + excluded.s_inpatients,
        n_inpatients = n_inpatients + excluded.n_inpatients,
        s_severe = s_severe + excluded.s_severe,
        n_severe = n_severe + excluded.n_severe,
        s_deaths = s_deaths + excluded.s_deaths,
        n_deaths = n_deaths + excluded.n_deaths,
        s_emergency_visits = s_emergency_visits + excluded.s_emergency_visits,
        n_emergency_visits = n_emergency_visits + excluded.n_emergency_visits,
        s_referrals = s_referrals + excluded.s_referrals,
        n_referrals = n_referrals + excluded.n_referrals;
END;

CREATE TRIGGER day_totals_delete AFTER DELETE ON daily_report
BEGIN
    UPDATE day_totals SET
        reported = reported - 1,
        population_reported = population_reported - (CASE WHEN OLD.cumulative_infections IS NOT NULL THEN (SELECT population FROM village WHERE code = OLD.village) ELSE 0 END),
        s_new_infections = s_new_infections - COALESCE(OLD.new_infections, 0),
        n_new_infections = n_new_infections - (OLD.new_infections IS NOT NULL),
        s_cumulative_infections = s_cumulative_infections - COALESCE(OLD.cumulative_infections, 0),
        n_cumulative_infections = n_cumulative_infections - (OLD.cumulative_infections IS NOT NULL),
        s_outpatients = s_outpatients - COALESCE(OLD.outpatients, 0),
        n_outpatients = n_outpatients - (OLD.outpatients IS NOT NULL),
        s_inpatients = s_inpatients - COALESCE(OLD.inpatients, 0),
        n_inpatients = n_inpatients - (OLD.inpatients IS NOT NULL),
        s_severe = s_severe - COALESCE(OLD.severe, 0),
        n_severe = n_severe - (OLD.severe IS NOT NULL),
        s_deaths = s_deaths - COALESCE(OLD.deaths, 0),
        n_deaths = n_deaths - (OLD.deaths IS NOT NULL),
        s_emergency_visits = s_emergency_visits - COALESCE(OLD.emergency_visits, 0),
        n_emergency_visits = n_emergency_visits - (OLD.emergency_visits IS NOT NULL),
        s_referrals = s_referrals - COALESCE(OLD.referrals, 0),
        n_referrals = n_referrals - (OLD.referrals IS NOT NULL)
    WHERE date = OLD.date;
END;

CREATE TRIGGER day_totals_update AFTER UPDATE ON daily_report
BEGIN
    UPDATE day_totals SET
        reported = reported - 1,
        population_reported = population_reported - (CASE WHEN OLD.cumulative_infections IS NOT NULL THEN (SELECT population FROM village WHERE code = OLD.village) ELSE 0 END),
        s_new_infections = s_new_infections - COALESCE(OLD.new_infections, 0),
        n_new_infections = n_new_infections - (OLD.new_infections IS NOT NULL),
        s_cumulative_infections = s_cumulative_infections - COALESCE(OLD.cumulative_infections, 0),
        n_cumulative_infections = n_cumulative_infections - (OLD.cumulative_infections IS NOT NULL),
        s_outpatients = s_outpatients - COALESCE(OLD.outpatients, 0),
        n_outpatients = n_outpatients - (OLD.outpatients IS NOT NULL),
        s_inpatients = s_inpatients - COALESCE(OLD.inpatients, 0),
        n_inpatients = n_inpatients - (OLD.inpatients IS NOT NULL),
        s_severe = s_severe - COALESCE(OLD.severe, 0),
        n_severe = n_severe - (OLD.severe IS NOT NULL),
        s_deaths = s_deaths - COALESCE(OLD.deaths, 0),
        n_deaths = n_deaths - (OLD.deaths IS NOT NULL),
        s_emergency_visits = s_emergency_visits - COALESCE(OLD.emergency_visits, 0),
        n_emergency_visits = n_emergency_visits - (OLD.emergency_visits IS NOT NULL),
        s_referrals = s_referrals - COALESCE(OLD.referrals, 0),
        n_referrals = n_referrals - (OLD.referrals IS NOT NULL)
    WHERE date = OLD.date;
    INSERT INTO day_totals (date, reported, population_reported, s_new_infections, n_new_infections, s_cumulative_infections, n_cumulative_infections, s_outpatients, n_outpatients, s_inpatients, n_inpatients, s_severe, n_severe, s_deaths, n_deaths, s_emergency_visits, n_emergency_visits, s_referrals, n_referrals)
    VALUES (NEW.date, 1, CASE WHEN NEW.cumulative_infections IS NOT NULL THEN (SELECT population FROM village WHERE code = NEW.village) ELSE 0 END, COALESCE(NEW.new_infections, 0), (NEW.new_infections IS NOT NULL), COALESCE(NEW.cumulative_infections, 0), (NEW.cumulative_infections IS NOT NULL), COALESCE(NEW.outpatients, 0), (NEW.outpatients IS NOT NULL), COALESCE(NEW.inpatients, 0), (NEW.inpatients IS NOT NULL), COALESCE(NEW.severe, 0), (NEW.severe IS NOT NULL), COALESCE(NEW.deaths, 0), (NEW.deaths IS NOT NULL), COALESCE(NEW.emergency_visits, 0), (NEW.emergency_visits IS NOT NULL), COALESCE(NEW.referrals, 0), (NEW.referrals IS NOT NULL))
    ON CONFLICT (date) DO UPDATE SET
        reported = reported + excluded.reported,
        population_reported = population_reported + excluded.population_reported,
        s_new_infections = s_new_infections + excluded.s_new_infections,
        n_new_infections = n_new_infections + excluded.n_new_infections,
        s_cumulative_infections = s_cumulative_infections + excluded.s_cumulative_infections,
        n_cumulative_infections = n_cumulative_infections + excluded.n_cumulative_infections,
        s_outpatients = s_outpatients + excluded.s_outpatients,
        n_outpatients = n_outpatients + excluded.n_outpatients,
        s_inpatients = s_inpatients + excluded.s_inpatients,
        n_inpatients = n_inpatients + excluded.n_inpatients,
        s_severe = s_severe + excluded.s_severe,
        n_severe = n_severe + excluded.n_severe,
        s_deaths = s_deaths + excluded.s_deaths,
        n_deaths = n_deaths + excluded.n_deaths,
        s_emergency_visits = s_emergency_visits + excluded.s_emergency_visits,
        n_emergency_visits = n_emergency_visits + excluded.n_emergency_visits,
        s_referrals = s_referrals + excluded.s_referrals,
        n_referrals = n_referrals + excluded.n_referrals;
END;
