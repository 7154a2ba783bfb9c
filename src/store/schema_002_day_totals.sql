-- duty-desk schema, version 2: town totals per day, kept by triggers in the same
-- transaction as every report write, so the screens and `report` read 30 rows instead of
-- aggregating thousands (cost must not grow with history).

CREATE TABLE day_totals (
    date TEXT PRIMARY KEY,
    reported INTEGER NOT NULL DEFAULT 0,
    population_reported INTEGER NOT NULL DEFAULT 0,
    s_new_infections INTEGER NOT NULL DEFAULT 0,
    n_new_infections INTEGER NOT NULL DEFAULT 0,
    s_cumulative_infections INTEGER NOT NULL DEFAULT 0,
    n_cumulative_infections INTEGER NOT NULL DEFAULT 0,
    s_outpatients INTEGER NOT NULL DEFAULT 0,
    n_outpatients INTEGER NOT NULL DEFAULT 0,
    s_inpatients INTEGER NOT NULL DEFAULT 0,
    n_inpatients INTEGER NOT NULL DEFAULT 0,
    s_severe INTEGER NOT NULL DEFAULT 0,
    n_severe INTEGER NOT NULL DEFAULT 0,
    s_deaths INTEGER NOT NULL DEFAULT 0,
    n_deaths INTEGER NOT NULL DEFAULT 0,
    s_emergency_visits INTEGER NOT NULL DEFAULT 0,
    n_emergency_visits INTEGER NOT NULL DEFAULT 0,
    s_referrals INTEGER NOT NULL DEFAULT 0,
    n_referrals INTEGER NOT NULL DEFAULT 0
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
