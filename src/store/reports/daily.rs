//! Town totals over days and a day's whole report, as the shift lead sends it upward.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use std::collections::HashMap;

use super::{SignInfo, day_rows, sign_info};
use crate::domain::day_summary::{DaySummary, Place, summarize};
use crate::domain::report::StoredRow;
use crate::domain::report::{Field, Figures, Totals};
use crate::domain::town::Town;
use crate::domain::town::Village;
use crate::store::Result;

/// A stored count as an integer; anything else (a REAL from an old overflow, text) is `None`.
fn int(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<i64>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Integer(v) => Some(v),
        _ => None,
    })
}

/// Town totals for each day in `from..=to` that has at least one row (one indexed query).
pub fn totals_range(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Totals>> {
    // day_totals is kept by triggers on daily_report (migration 2): one row per day
    let mut cols = String::new();
    for f in Field::ALL {
        cols.push_str(&format!(", s_{0}, n_{0}", f.as_str()));
    }
    let sql = format!(
        "SELECT date, reported, population_reported {cols} FROM day_totals
         WHERE date BETWEEN ?1 AND ?2 AND reported > 0 ORDER BY date"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![from.to_string(), to.to_string()], |r| {
            let date: String = r.get(0)?;
            let mut t = Totals {
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok(),
                reported: int(r, 1)?.unwrap_or(0),
                population_reported: int(r, 2)?.unwrap_or(0),
                ..Default::default()
            };
            for (i, s) in t.sums.iter_mut().enumerate() {
                // a total that is not a whole number (an overflow stored by a version
                // before the bounds) is unknown, never a reason to fail the whole day
                let sum = int(r, 3 + 2 * i)?;
                let count = int(r, 4 + 2 * i)?.unwrap_or(0);
                *s = sum.filter(|_| count > 0);
            }
            Ok(t)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Town totals for one day (empty totals when nobody reported).
pub fn totals_for(conn: &Connection, date: NaiveDate) -> Result<Totals> {
    Ok(totals_range(conn, date, date)?
        .into_iter()
        .next()
        .unwrap_or(Totals {
            date: Some(date),
            ..Default::default()
        }))
}

/// The latest date with any report row.
pub fn latest_date(conn: &Connection) -> Result<Option<NaiveDate>> {
    let d: Option<String> =
        conn.query_row("SELECT MAX(date) FROM daily_report", [], |r| r.get(0))?;
    Ok(d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// A day's report as the shift lead sends it: per-village rows, totals, change, status.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyReport {
    /// The day.
    pub date: NaiveDate,
    /// Sign-off, if any.
    pub sign: Option<SignInfo>,
    /// Every village with its row (if it reported).
    pub rows: Vec<(Village, Option<StoredRow>)>,
    /// Town totals for the day.
    pub totals: Totals,
    /// Town totals for the day before.
    pub before: Totals,
    /// Town population (all villages).
    pub population: i64,
    /// The last 7 days' emergency visits and referrals (the weekly figures).
    pub week: Totals,
    /// The honest figures: like-for-like change, carried cumulative, whole-town ratio.
    pub summary: DaySummary,
    /// The shift lead's analysis (研判), if written.
    pub note: Option<super::DayNote>,
    /// The health centers' facilities and reserve (their latest recorded state).
    pub facilities: Vec<crate::domain::facility::FacilityRow>,
    /// The weekly follow-up mechanism (issue 15): the ISO week of the day, and per village
    /// and level the key-population people, contacts required and done that week.
    pub follow_up: (chrono::IsoWeek, Vec<crate::domain::people::WeekRow>),
}

impl DailyReport {
    /// Village codes with no row.
    pub fn missing(&self) -> Vec<&str> {
        self.rows
            .iter()
            .filter(|(_, r)| r.is_none())
            .map(|(v, _)| v.code.as_str())
            .collect()
    }

    /// True when signed.
    pub fn signed(&self) -> bool {
        self.sign.as_ref().is_some_and(|s| s.signed)
    }
}

/// True when the village `code` was retired on a later (town) day than `date`.
fn retired_after(conn: &Connection, town: &Town, code: &str, date: NaiveDate) -> Result<bool> {
    let at: Option<String> = conn
        .prepare_cached("SELECT retired_at FROM village WHERE code = ?1")?
        .query_row([code], |r| r.get(0))?;
    Ok(at
        .as_deref()
        .and_then(crate::domain::time::from_db)
        .is_some_and(|at| crate::domain::time::local_date(at, town.info.offset) > date))
}

/// Reads a day's report.
pub fn daily_report(conn: &Connection, town: &Town, date: NaiveDate) -> Result<DailyReport> {
    let by_village = day_rows(conn, date)?;
    let summary = summary_from(conn, town, date, &by_village)?;
    assemble(conn, town, date, by_village, summary)
}

/// A day's report from its rows and its already computed summary.
fn assemble(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    mut by_village: HashMap<String, StoredRow>,
    summary: DaySummary,
) -> Result<DailyReport> {
    let mut rows: Vec<(Village, Option<StoredRow>)> = town
        .villages
        .iter()
        .map(|v| (v.clone(), by_village.remove(&v.code)))
        .collect();
    // a village retired since (issue 16) still shows on the days it reported before its
    // retirement: history is never lost, and those days' rows add up to their totals
    for v in &town.retired.villages {
        if !retired_after(conn, town, &v.code, date)? {
            continue;
        }
        if let Some(r) = by_village.remove(&v.code) {
            rows.push((v.clone(), Some(r)));
        }
    }
    let week_days = totals_range(conn, date - chrono::Duration::days(6), date)?;
    let mut week = Totals::default();
    for t in &week_days {
        for f in [Field::EmergencyVisits, Field::Referrals] {
            if let Some(v) = t.get(f) {
                let s = week.sums[f.index()].get_or_insert(0);
                *s = s.saturating_add(v);
            }
        }
        week.reported += 1;
    }
    Ok(DailyReport {
        date,
        sign: sign_info(conn, date)?,
        rows,
        totals: totals_for(conn, date)?,
        before: totals_for(conn, date - chrono::Duration::days(1))?,
        population: town
            .villages
            .iter()
            .fold(0i64, |a, v| a.saturating_add(v.population)),
        week,
        summary,
        note: super::day_note(conn, date)?,
        facilities: crate::store::facility::facilities(conn, town)?,
        follow_up: {
            let week = crate::domain::people::week_of(date);
            (week, follow_up(conn, town, week)?)
        },
    })
}

/// The report's follow-up section (issue 15): what `store::people::week` gives, counted
/// by one grouped query instead of reading every person on the register into memory (a
/// third of a county report's time at 10,000 people, issue 18). Groups come in the order
/// of their first person, as `week` reads people, so rows are named alike.
fn follow_up(
    conn: &Connection,
    town: &Town,
    week: chrono::IsoWeek,
) -> Result<Vec<crate::domain::people::WeekRow>> {
    use crate::domain::people::{Level, week_rows_grouped};
    use crate::domain::time::to_db;
    let cadence = crate::store::people::cadence(conn)?;
    // a week the calendar does not have counts no contacts (an empty range)
    let (from, to) = crate::store::people::week_bounds(town, week)
        .map(|(f, t)| (to_db(f), to_db(t)))
        .unwrap_or_default();
    // someone retired after the week's Sunday still counts in it, as in `people::week`
    let sunday = crate::domain::people::week_days(week)
        .map_or_else(String::new, |(_, sunday)| sunday.to_string());
    let mut stmt = conn.prepare_cached(
        // the week's contacts by the time index, as `contacts_between` reads them
        "SELECT p.village, p.level, COUNT(*), COALESCE(SUM(c.n), 0) FROM person p
         LEFT JOIN (SELECT person, COUNT(*) AS n FROM person_contact
                      INDEXED BY person_contact_by_at
                    WHERE at >= ?1 AND at < ?2 AND outcome <> 'unreachable'
                    GROUP BY person) c ON c.person = p.id
         WHERE p.retired = 0 OR p.retired_on > ?3
         GROUP BY p.village, p.level ORDER BY MIN(p.id)",
    )?;
    let groups = stmt
        .query_map(params![from, to, sunday], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let order: Vec<String> = town.villages.iter().map(|v| v.code.clone()).collect();
    Ok(week_rows_grouped(
        &cadence,
        &order,
        groups.into_iter().map(|(village, level, n, done)| {
            // read as `store::people` reads a stored level
            (village, Level::parse(&level).unwrap_or(Level::Red), n, done)
        }),
    ))
}

/// The villages as the summary sees them.
pub fn places(town: &Town) -> Vec<Place> {
    town.villages
        .iter()
        .map(|v| Place {
            code: v.code.clone(),
            population: v.population,
        })
        .collect()
}

/// Each village's last reported cumulative count on a day before `date`.
pub fn last_cumulative_before(conn: &Connection, date: NaiveDate) -> Result<HashMap<String, i64>> {
    // the newest non-empty cumulative per village, found through daily_report_by_village
    let mut stmt = conn.prepare_cached(
        "SELECT v.code,
                (SELECT r.cumulative_infections FROM daily_report r
                 WHERE r.village = v.code AND r.date < ?1 AND r.cumulative_infections IS NOT NULL
                 ORDER BY r.date DESC LIMIT 1)
         FROM village v",
    )?;
    let rows = stmt.query_map([date.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        if let (code, Some(c)) = row? {
            out.insert(code, c);
        }
    }
    Ok(out)
}

fn figures_of(rows: &HashMap<String, StoredRow>) -> HashMap<String, Figures> {
    rows.iter().map(|(k, r)| (k.clone(), r.figures)).collect()
}

/// A day's honest figures from its rows, already read (the console's refresh has them).
pub fn summary_from(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    today: &HashMap<String, StoredRow>,
) -> Result<DaySummary> {
    let before = figures_of(&day_rows(conn, date - chrono::Duration::days(1))?);
    Ok(summarize(
        date,
        &places(town),
        &figures_of(today),
        &before,
        &last_cumulative_given(conn, town, date, &before)?,
    ))
}

/// [`last_cumulative_before`] when the day before's rows are already read: a village
/// whose row that day gives a cumulative figure needs no look further back (the newest
/// before `date` can only be that day's), so only the others are sought, one indexed seek
/// each (issue 18: the report sought all 200 of a county's villages every time).
fn last_cumulative_given(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    day_before: &HashMap<String, Figures>,
) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::with_capacity(town.villages.len() + town.retired.villages.len());
    let mut stmt = conn.prepare_cached(
        "SELECT cumulative_infections FROM daily_report
         WHERE village = ?1 AND date < ?2 AND cumulative_infections IS NOT NULL
         ORDER BY date DESC LIMIT 1",
    )?;
    let d = date.to_string();
    for v in town.villages.iter().chain(town.retired.villages.iter()) {
        let known = day_before
            .get(&v.code)
            .and_then(|f| f.get(Field::CumulativeInfections));
        let found = match known {
            Some(c) => Some(c),
            None => stmt
                .query_row(params![v.code, d], |r| r.get::<_, i64>(0))
                .optional()?,
        };
        if let Some(c) = found {
            out.insert(v.code.clone(), c);
        }
    }
    Ok(out)
}

/// A day's honest figures (the console's Overview and report screen read this).
pub fn day_summary(conn: &Connection, town: &Town, date: NaiveDate) -> Result<DaySummary> {
    summary_from(conn, town, date, &day_rows(conn, date)?)
}

/// Walks the days `from..=to` in order, handing each day's report to `each` (its first
/// write error stops the walk and is returned); the carried
/// counts and the day before's rows are kept from one day to the next, so memory is one
/// day's worth whatever the range (a three-year export streams).
pub fn for_each_day(
    conn: &Connection,
    town: &Town,
    from: NaiveDate,
    to: NaiveDate,
    mut each: impl FnMut(DailyReport) -> std::io::Result<()>,
) -> Result<Option<std::io::Error>> {
    let places = places(town);
    let mut last = last_cumulative_before(conn, from)?;
    let mut before = figures_of(&day_rows(conn, from - chrono::Duration::days(1))?);
    let mut date = from;
    while date <= to {
        let rows = day_rows(conn, date)?;
        let today = figures_of(&rows);
        let summary = summarize(date, &places, &today, &before, &last);
        crate::domain::day_summary::carry(&mut last, &today);
        if let Err(e) = each(assemble(conn, town, date, rows, summary)?) {
            return Ok(Some(e));
        }
        before = today;
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    Ok(None)
}

/// Hands every stored row of `from..=to` to `each` (until it fails) in date then village order, straight
/// from the query (nothing is collected: memory does not grow with the range).
pub fn for_each_row(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    mut each: impl FnMut(&str, &str, &Figures) -> std::io::Result<()>,
) -> Result<Option<std::io::Error>> {
    // the primary key (date, village) gives this order without a sort
    let mut stmt = conn.prepare(&format!(
        "SELECT date, village, {} FROM daily_report
         WHERE date BETWEEN ?1 AND ?2 ORDER BY date, village",
        super::FIELD_COLS
    ))?;
    let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let village: String = r.get(1)?;
        let fig = super::read_figures(r, 2)?;
        if let Err(e) = each(&date, &village, &fig) {
            return Ok(Some(e));
        }
    }
    Ok(None)
}
