//! The key-population register (issue 15): import, contacts, level changes, and the reads
//! behind the call list, `people due`, `people week`, the daily report's follow-up section
//! and the `overdue_contact` rule. Each person row keeps its newest counted contact
//! (`last_contact`), written in the contact's transaction, so the call list reads 10,000
//! rows and never the years of contacts behind them.

use std::collections::HashMap;

use chrono::{DateTime, Duration, IsoWeek, NaiveDate, NaiveTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

use super::escalations::{NewEscalation, raise};
use super::{Result, StoreError, Writer};
use crate::domain::audit_action::AuditAction;
use crate::domain::escalation::Kind;
use crate::domain::people::csv::NewPerson;
pub use crate::domain::people::rows::{
    CallRow, ContactRow, ImportSummary, Listed, NewContact, PersonDetails, PersonRow, Recorded,
};
use crate::domain::people::{
    CONCERN_HOURS, Cadence, Level, Sex, WeekRow, standing, week_days, week_rows,
};
use crate::domain::privacy::mask_name;
use crate::domain::roles::Permission;
use crate::domain::text::entry;
use crate::domain::time::{from_db, local_date, local_instant, to_db, unix_local_date};
use crate::domain::town::Town;
use crate::i18n::Msg;

const PERSON_COLUMNS: &str = "id, village, name, age, sex, phone, address, conditions, level, \
     cadre, doctor, imported_on, last_contact";

fn read_person(r: &Row<'_>) -> rusqlite::Result<PersonRow> {
    let sex: Option<String> = r.get(4)?;
    let level: String = r.get(8)?;
    let imported: String = r.get(11)?;
    let last: Option<String> = r.get(12)?;
    Ok(PersonRow {
        id: r.get(0)?,
        details: PersonDetails {
            village: r.get(1)?,
            name: r.get(2)?,
            age: r.get(3)?,
            sex: sex.as_deref().and_then(Sex::parse),
            phone: r.get(5)?,
            address: r.get(6)?,
            conditions: r.get(7)?,
            level: Level::parse(&level).unwrap_or(Level::Red),
            cadre: r.get(9)?,
            doctor: r.get(10)?,
        },
        imported_on: NaiveDate::parse_from_str(&imported, "%Y-%m-%d").unwrap_or_default(),
        last_contact: last.as_deref().and_then(from_db),
    })
}

/// The town's cadence (`[key_populations]`, defaults 3/2/1).
pub fn cadence(conn: &Connection) -> Result<Cadence> {
    Ok(conn
        .prepare_cached("SELECT red_per_week, yellow_per_week, green_per_week FROM town")?
        .query_row([], |r| {
            Ok(Cadence {
                red_per_week: r.get(0)?,
                yellow_per_week: r.get(1)?,
                green_per_week: r.get(2)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// Every person still on the register, by id (callers order by the town's villages).
pub fn people(conn: &Connection) -> Result<Vec<PersonRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS} FROM person WHERE retired = 0 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([], read_person)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One person by id (retired ones too).
pub fn person(conn: &Connection, id: i64) -> Result<Option<PersonRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM person WHERE id = ?1"
        ))?
        .query_row([id], read_person)
        .optional()?)
}

/// A person's contacts, newest first (at most `limit`).
pub fn contacts_of(conn: &Connection, person: i64, limit: i64) -> Result<Vec<ContactRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, method, outcome, note, operator FROM person_contact
         WHERE person = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![person, limit], |r| {
            Ok(ContactRow {
                id: r.get(0)?,
                at: r.get(1)?,
                method: r.get(2)?,
                outcome: r.get(3)?,
                note: r.get(4)?,
                operator: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Counted contacts (not unreachable) per person id in a range of time: by index for the
/// ids a register has (small, dense), a map beyond.
#[derive(Default)]
struct Counts {
    dense: Vec<u32>,
    sparse: HashMap<i64, i64>,
}

/// Ids below this are counted by index.
const DENSE_IDS: i64 = 1 << 20;

impl Counts {
    fn add(&mut self, id: i64) {
        match usize::try_from(id) {
            Ok(i) if id < DENSE_IDS => {
                if self.dense.len() <= i {
                    self.dense.resize(i + 1, 0);
                }
                if let Some(n) = self.dense.get_mut(i) {
                    *n += 1;
                }
            }
            _ => *self.sparse.entry(id).or_insert(0) += 1,
        }
    }

    fn get(&self, id: i64) -> i64 {
        match usize::try_from(id) {
            Ok(i) if id < DENSE_IDS => self.dense.get(i).map_or(0, |n| i64::from(*n)),
            _ => self.sparse.get(&id).copied().unwrap_or(0),
        }
    }
}

/// Counted contacts per person with `from <= at < to`: one range read of the time index,
/// counted here (a `GROUP BY person` over the range sorted it in a temporary b-tree: 4 of
/// the call list's milliseconds at 10,000 people, issue 15).
fn week_counts(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Counts> {
    let mut stmt = conn.prepare_cached(
        // the week's range of the time index: with statistics at 10,000 people the planner
        // preferred a skip-scan of the person index, ten times slower (bench, issue 15)
        "SELECT person FROM person_contact INDEXED BY person_contact_by_at
         WHERE at >= ?1 AND at < ?2 AND outcome <> 'unreachable'",
    )?;
    let mut out = Counts::default();
    let mut rows = stmt.query(params![to_db(from), to_db(to)])?;
    while let Some(r) = rows.next()? {
        out.add(r.get::<_, i64>(0)?);
    }
    Ok(out)
}

/// The newest counted contact of `person` before `before`: one index seek.
fn last_contact_before(
    conn: &Connection,
    person: i64,
    before: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .prepare_cached(
            "SELECT at FROM person_contact WHERE person = ?1 AND at < ?2
               AND outcome <> 'unreachable' ORDER BY at DESC LIMIT 1",
        )?
        .query_row(params![person, to_db(before)], |r| r.get(0))
        .optional()?;
    Ok(at.as_deref().and_then(from_db))
}

/// The first instant of a town date.
fn day_start(town: &Town, date: NaiveDate) -> DateTime<Utc> {
    local_instant(date, NaiveTime::MIN, town.info.offset)
}

/// The instants bounding an ISO week in town time: Monday 00:00 to the next Monday 00:00.
pub fn week_bounds(town: &Town, week: IsoWeek) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (monday, sunday) = week_days(week)?;
    Some((day_start(town, monday), day_start(town, sunday.succ_opt()?)))
}

/// The list's columns, with the dates as Unix seconds worked out by SQLite (no date text
/// parsed per person: 10,000 rows under 10 ms); the detail's address and conditions are
/// the two last, read only when asked for.
const LISTED_COLUMNS: &str = "id, village, name, age, level, cadre, doctor, phone, \
     last_contact, unixepoch(imported_on), unixepoch(last_contact), retired";

/// What [`read_standings`] reads besides the list's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Reading {
    /// The address and conditions too (the console's detail lines).
    detail: bool,
    /// The retired too (`people list --all`).
    all: bool,
    /// Only those due on the day: SQLite leaves out whoever cannot be (see [`DUE_SQL`]).
    due_only: bool,
    /// Only this person (`people show`).
    id: Option<i64>,
}

/// Who may be due on a day, as SQLite can tell from the stored text without parsing it:
/// never contacted and imported on or before the day (`?1`, `YYYY-MM-DD`); a last contact
/// before the level's threshold (`?3` red, `?4` yellow, `?5` green: the town's midnight
/// the day after the last day a contact may be on and leave them due); a last contact
/// after the day (`?2`, worked out again from the history); or text not in the stored
/// forms. A superset: the rule itself ([`standing`]) decides for each one read.
const DUE_SQL: &str = "(last_contact IS NULL AND imported_on <= ?1) \
     OR last_contact >= ?2 \
     OR (level = 'red' AND last_contact < ?3) \
     OR (level = 'yellow' AND last_contact < ?4) \
     OR (level = 'green' AND last_contact < ?5) \
     OR length(imported_on) <> 10 OR length(last_contact) <> 20 \
     OR level NOT IN ('red', 'yellow', 'green')";

impl Reading {
    fn sql(self) -> String {
        let retired = if self.all { "1" } else { "retired = 0" };
        let due = if self.due_only { DUE_SQL } else { "1" };
        let one = self
            .id
            .map_or_else(|| "1".to_string(), |id| format!("id = {id}"));
        format!(
            "SELECT {LISTED_COLUMNS}{} FROM person WHERE ({retired}) AND ({due}) AND ({one}) ORDER BY id",
            if self.detail {
                ", address, conditions"
            } else {
                ""
            },
        )
    }
}

/// The parameters of [`DUE_SQL`] for `date`.
fn due_params(town: &Town, cadence: &Cadence, date: NaiveDate) -> Vec<String> {
    let midnight =
        |d: Option<NaiveDate>| d.map_or_else(|| "9999".to_string(), |d| to_db(day_start(town, d)));
    let mut out = vec![date.to_string(), midnight(date.succ_opt())];
    for level in Level::ALL {
        // due when the last contact's date + interval <= date, i.e. before the midnight
        // that starts (date - interval + 1)
        let k = cadence.interval_days(level);
        out.push(midnight(
            date.checked_sub_signed(Duration::days(k - 1))
                .filter(|d| crate::domain::time::date_in_range(*d)),
        ));
    }
    out
}

/// One person as read for the lists, before the cadence is applied.
struct Raw {
    listed: Listed,
    imported: Option<i64>,
    last: Option<i64>,
}

fn read_raw(r: &Row<'_>, detail: bool) -> rusqlite::Result<Raw> {
    let retired = r.get::<_, i64>(11)? != 0;
    let level = r
        .get_ref(4)?
        .as_str()
        .ok()
        .and_then(Level::parse)
        .unwrap_or(Level::Red);
    let text = |i: usize| -> rusqlite::Result<String> {
        if detail { r.get(i) } else { Ok(String::new()) }
    };
    Ok(Raw {
        listed: Listed {
            id: r.get(0)?,
            village: r.get(1)?,
            name: r.get(2)?,
            age: r.get(3)?,
            level,
            cadre: r.get(5)?,
            doctor: r.get(6)?,
            phone: r.get(7)?,
            last_contact: r.get(8)?,
            next_due: NaiveDate::default(),
            overdue: false,
            contacts_this_week: 0,
            required_per_week: 0,
            due: false,
            address: text(12)?,
            conditions: text(13)?,
            retired,
        },
        imported: r.get(9)?,
        last: r.get(10)?,
    })
}

/// Everyone on the register as they stand on `date`, in id order, each with the place
/// of their village in the town's order (`None`: a village the town no longer lists).
fn read_standings(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    reading: Reading,
) -> Result<Vec<(Option<usize>, Listed)>> {
    let cadence = cadence(conn)?;
    let end = date
        .succ_opt()
        .map(|d| day_start(town, d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let end_secs = end.timestamp();
    let counts = match week_bounds(town, crate::domain::people::week_of(date)) {
        // the week so far: a call after the asked day counts no more than it moves next_due
        Some((from, to)) => week_counts(conn, from, to.min(end))?,
        None => Counts::default(),
    };
    let off = i64::from(town.info.offset.local_minus_utc());
    let order: HashMap<&str, usize> = town
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.code.as_str(), i))
        .collect();
    let mut stmt = conn.prepare_cached(&reading.sql())?;
    let params = if reading.due_only {
        due_params(town, &cadence, date)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    let mut later = Vec::new();
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        read_raw(r, reading.detail)
    })?;
    for raw in rows {
        let Raw {
            mut listed,
            imported,
            last,
        } = raw?;
        let imported = imported
            .and_then(|s| unix_local_date(s, 0))
            .unwrap_or_default();
        // a contact after the asked day does not count on it: looked up below (rare)
        let last_day = match last {
            Some(t) if t >= end_secs => {
                later.push((out.len(), imported));
                None
            }
            Some(t) => unix_local_date(t, off),
            None => {
                listed.last_contact = None;
                None
            }
        };
        let s = standing(&cadence, listed.level, last_day, imported, date);
        let done = counts.get(listed.id);
        place(&mut listed, &s, done);
        out.push((order.get(listed.village.as_str()).copied(), listed));
    }
    for (i, imported) in later {
        let Some((_, l)) = out.get_mut(i) else {
            continue;
        };
        let last = last_contact_before(conn, l.id, end)?;
        let s = standing(
            &cadence,
            l.level,
            last.map(|t| local_date(t, town.info.offset)),
            imported,
            date,
        );
        l.last_contact = last.map(to_db);
        let done = l.contacts_this_week;
        place(l, &s, done);
    }
    if reading.due_only {
        out.retain(|(_, l)| l.due);
    }
    Ok(out)
}

/// Writes a standing into a listed person (a retired person is never due).
fn place(l: &mut Listed, s: &crate::domain::people::Standing, done: i64) {
    l.next_due = s.next_due;
    l.overdue = s.overdue && !l.retired;
    l.due = s.due && !l.retired;
    l.required_per_week = s.required;
    l.contacts_this_week = done;
}

/// Orders rows by village (the town's order, villages it no longer lists last), then by
/// `rank` (a small number, below `ranks`), then as they come: each row's place worked out
/// once and the rows moved once (a stable sort of the places, not of the rows).
fn by_village<T>(
    mut rows: Vec<(Option<usize>, T)>,
    villages: usize,
    ranks: usize,
    rank: impl Fn(&T) -> usize,
) -> Vec<T> {
    rows.sort_by_cached_key(|(v, row)| {
        v.unwrap_or(villages).min(villages) * ranks + rank(row).min(ranks - 1)
    });
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Every person on the register as they stand on `date` (town time): the last contact
/// counted is the newest on or before that day, the week's count is that day's ISO week up
/// to and including that day. In town order, red first, then by id. The detail's address
/// and conditions are left
/// empty (`person` has them).
pub fn standings(conn: &Connection, town: &Town, date: NaiveDate) -> Result<Vec<Listed>> {
    standings_of(conn, town, date, false)
}

/// [`standings`] of the retired too (`all`), never due, marked `retired`: `people list
/// --all`.
pub fn standings_of(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    all: bool,
) -> Result<Vec<Listed>> {
    let reading = Reading {
        all,
        ..Reading::default()
    };
    listed_in_order(conn, town, date, reading)
}

/// One person on the register as they stand on `date`, as [`standings`] lists them (`None`
/// for an unknown or retired one): `people show` reads one row, not the register.
pub fn standing_of(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    id: i64,
) -> Result<Option<Listed>> {
    let reading = Reading {
        id: Some(id),
        ..Reading::default()
    };
    Ok(read_standings(conn, town, date, reading)?
        .into_iter()
        .next()
        .map(|(_, l)| l))
}

/// What `reading` reads, in town order, red first, then by id.
fn listed_in_order(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    reading: Reading,
) -> Result<Vec<Listed>> {
    let rows = read_standings(conn, town, date, reading)?;
    Ok(by_village(rows, town.villages.len(), 3, |l: &Listed| {
        l.level as usize
    }))
}

/// Those due on `date` (next due on or before it), as [`standings`] lists them: SQLite
/// reads only who may be due, the rule decides (`people due`, the `overdue_contact` rule).
pub fn due(conn: &Connection, town: &Town, date: NaiveDate) -> Result<Vec<Listed>> {
    let reading = Reading {
        due_only: true,
        ..Reading::default()
    };
    listed_in_order(conn, town, date, reading)
}

/// The weekly figures of an ISO week: per village and level, people, required, done.
pub fn week(conn: &Connection, town: &Town, week: IsoWeek) -> Result<Vec<WeekRow>> {
    let cadence = cadence(conn)?;
    let counts = match week_bounds(town, week) {
        Some((from, to)) => week_counts(conn, from, to)?,
        None => Counts::default(),
    };
    let order: Vec<String> = town.villages.iter().map(|v| v.code.clone()).collect();
    // only the three columns the figures need (not the whole person); someone retired
    // after the week's Sunday still counts in it (the weeks before they left)
    let sunday = week_days(week).map_or_else(String::new, |(_, sunday)| sunday.to_string());
    let mut stmt = conn.prepare_cached(
        "SELECT id, village, level FROM person WHERE retired = 0 OR retired_on > ?1",
    )?;
    let people = stmt
        .query_map([sunday], |r| {
            let id: i64 = r.get(0)?;
            let level = r.get_ref(2)?.as_str().ok().and_then(Level::parse);
            Ok((id, r.get::<_, String>(1)?, level.unwrap_or(Level::Red)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(week_rows(
        &cadence,
        &order,
        people.into_iter().map(|(id, village, level)| {
            let done = counts.get(id);
            (village, level, done)
        }),
    ))
}

/// Villages with people overdue on `date`: (village, how many, their cadres).
pub fn overdue_by_village(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
) -> Result<Vec<(String, i64, Vec<String>)>> {
    let mut out: Vec<(String, i64, Vec<String>)> = Vec::new();
    for l in due(conn, town, date)?.into_iter().filter(|l| l.overdue) {
        match out.iter_mut().find(|(v, _, _)| *v == l.village) {
            Some((_, n, cadres)) => {
                *n += 1;
                if !l.cadre.is_empty() && !cadres.contains(&l.cadre) {
                    cadres.push(l.cadre);
                }
            }
            None => {
                let cadres = if l.cadre.is_empty() {
                    vec![]
                } else {
                    vec![l.cadre]
                };
                out.push((l.village, 1, cadres));
            }
        }
    }
    Ok(out)
}

fn clean(s: &str) -> String {
    entry(s).trim().to_string()
}

/// Imports a register in one transaction: a known person (village + name + phone) is
/// updated (old and new values in the audit), a new one added with today's town date as
/// the import date. A level changed by the file is recorded as a level change too.
pub fn import(w: &mut Writer<'_>, town: &Town, rows: &[NewPerson]) -> Result<ImportSummary> {
    w.permit(Permission::ManageRegister)?;
    let today = local_date(w.ctx.now, town.info.offset);
    // the demo town's invented register gives way to the first real one: a town trying the
    // desk with its own people must not find invented ones in its call list and figures
    let demo_retired =
        w.tx.prepare_cached("UPDATE person SET retired = 1 WHERE demo = 1 AND retired = 0")?
            .execute([])?;
    let mut sum = ImportSummary {
        demo_retired,
        ..ImportSummary::default()
    };
    for p in rows {
        let d = &p.details;
        let p = NewPerson {
            line: p.line,
            details: PersonDetails {
                name: clean(&d.name),
                phone: clean(&d.phone),
                address: clean(&d.address),
                conditions: clean(&d.conditions),
                cadre: clean(&d.cadre),
                doctor: clean(&d.doctor),
                ..d.clone()
            },
        };
        match find_known(w, &p)? {
            None => {
                add_person(w, &p, today)?;
                sum.new += 1;
            }
            Some((old, retired, by_hand)) => {
                if update_person(w, &old, retired, &p)? {
                    sum.updated += 1;
                    sum.restored += usize::from(by_hand);
                } else {
                    sum.unchanged += 1;
                }
            }
        }
    }
    w.audit(
        AuditAction::PeopleImport,
        "people",
        json!({"new": sum.new, "updated": sum.updated, "unchanged": sum.unchanged,
               "demo_retired": sum.demo_retired, "restored": sum.restored}),
    )?;
    Ok(sum)
}

/// The person already on the register with this village, name and phone, whether they
/// are retired, and whether by `people retire` (a day is kept; the demo's invented people
/// retired by this same first import have none, so they are not "back").
fn find_known(w: &mut Writer<'_>, p: &NewPerson) -> Result<Option<(PersonRow, bool, bool)>> {
    Ok(w.tx
        .prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS}, retired, retired_on IS NOT NULL FROM person
         WHERE village = ?1 AND name = ?2 AND phone = ?3"
        ))?
        .query_row(
            params![p.details.village, p.details.name, p.details.phone],
            |r| {
                let retired = r.get::<_, i64>(13)? != 0;
                Ok((read_person(r)?, retired, retired && r.get::<_, bool>(14)?))
            },
        )
        .optional()?)
}

/// Adds a person new to the register, imported `today`, audited.
fn add_person(w: &mut Writer<'_>, new: &NewPerson, today: NaiveDate) -> Result<()> {
    let p = &new.details;
    let sex = p.sex.map(|s| s.as_str());
    w.tx.prepare_cached(
        "INSERT INTO person (village, name, age, sex, phone, address, conditions,
           level, cadre, doctor, imported_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        p.village,
        p.name,
        p.age,
        sex,
        p.phone,
        p.address,
        p.conditions,
        p.level.as_str(),
        p.cadre,
        p.doctor,
        today.to_string()
    ])?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        AuditAction::PeopleAdd,
        &format!("person:{id}"),
        json!({"village": p.village, "name": p.name, "age": p.age, "sex": sex,
               "phone": p.phone, "level": p.level.as_str(), "line": new.line}),
    )?;
    Ok(())
}

/// Updates a known person from the file (and brings them back if retired), with the old
/// and new values in the audit and a level change recorded; `false` when nothing changed.
fn update_person(
    w: &mut Writer<'_>,
    old: &PersonRow,
    retired: bool,
    new: &NewPerson,
) -> Result<bool> {
    // found by village, name and phone: the same details are the same person unchanged
    let p = &new.details;
    if old.details == *p && !retired {
        return Ok(false);
    }
    let id = old.id;
    let old = &old.details;
    let sex = p.sex.map(|s| s.as_str());
    w.tx.prepare_cached(
        "UPDATE person SET age = ?2, sex = ?3, address = ?4, conditions = ?5,
           level = ?6, cadre = ?7, doctor = ?8, retired = 0, demo = 0, retired_on = NULL,
           retired_reason = '' WHERE id = ?1",
    )?
    .execute(params![
        id,
        p.age,
        sex,
        p.address,
        p.conditions,
        p.level.as_str(),
        p.cadre,
        p.doctor
    ])?;
    if old.level != p.level {
        insert_level(w, id, old.level, p.level, "import")?;
    }
    w.audit(
        AuditAction::PeopleUpdate,
        &format!("person:{id}"),
        json!({
            "before": {"age": old.age, "sex": old.sex.map(|s| s.as_str()),
                       "address": old.address, "conditions": old.conditions,
                       "level": old.level.as_str(), "cadre": old.cadre,
                       "doctor": old.doctor, "retired": retired},
            "after": {"age": p.age, "sex": sex, "address": p.address,
                      "conditions": p.conditions, "level": p.level.as_str(),
                      "cadre": p.cadre, "doctor": p.doctor},
            "line": new.line
        }),
    )?;
    Ok(true)
}

/// Marks everyone now on the register as the demo town's invented people (the demo build
/// calls this right after importing them, in the same transaction).
pub fn mark_demo(w: &mut Writer<'_>) -> Result<()> {
    w.tx.prepare_cached("UPDATE person SET demo = 1")?
        .execute([])?;
    Ok(())
}

fn insert_level(w: &mut Writer<'_>, id: i64, from: Level, to: Level, reason: &str) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO person_level (person, at, from_level, to_level, reason, operator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        w.now_db(),
        from.as_str(),
        to.as_str(),
        reason,
        w.ctx.operator
    ])?;
    Ok(())
}

fn known(w: &Writer<'_>, id: i64) -> Result<PersonRow> {
    let retired: Option<i64> =
        w.tx.prepare_cached("SELECT retired FROM person WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
    match (retired, person(w.tx, id)?) {
        (Some(0), Some(p)) => Ok(p),
        _ => Err(StoreError::Invalid(
            Msg::new("people.err.unknown").arg("id", id),
        )),
    }
}

/// Changes a person's level, with a reason (audited and kept in `person_level`).
pub fn change_level(w: &mut Writer<'_>, id: i64, level: Level, reason: &str) -> Result<()> {
    w.permit(Permission::ManageRegister)?;
    let reason = clean(reason);
    if reason.is_empty() {
        return Err(StoreError::Invalid(
            Msg::new("err.required").context("--reason"),
        ));
    }
    let p = known(w, id)?.details;
    if p.level == level {
        return Err(StoreError::Invalid(
            Msg::new("people.err.same_level").label("level", level.label_key()),
        ));
    }
    w.tx.execute(
        "UPDATE person SET level = ?2 WHERE id = ?1",
        params![id, level.as_str()],
    )?;
    insert_level(w, id, p.level, level, &reason)?;
    w.audit(
        AuditAction::PeopleLevel,
        &format!("person:{id}"),
        json!({"from": p.level.as_str(), "to": level.as_str(), "reason": reason}),
    )
}

/// Takes a person off the register from today (town date), with a reason: gone from the
/// call list, `people due`, the `overdue_contact` rule's counts and the weekly figures
/// from this week on; their row, contacts and level changes stay (`people list --all`,
/// `people show`). Importing them again brings them back. Audited.
pub fn retire(w: &mut Writer<'_>, town: &Town, id: i64, reason: &str) -> Result<PersonRow> {
    w.permit(Permission::ManageRegister)?;
    let reason = clean(reason);
    if reason.is_empty() {
        return Err(StoreError::Invalid(
            Msg::new("err.required").context("--reason"),
        ));
    }
    let retired: Option<i64> =
        w.tx.prepare_cached("SELECT retired FROM person WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
    let p = match (retired, person(w.tx, id)?) {
        (Some(0), Some(p)) => p,
        (Some(1), _) => {
            return Err(StoreError::Conflict(
                Msg::new("people_isp.err.already_retired").arg("id", id),
            ));
        }
        _ => {
            return Err(StoreError::Invalid(
                Msg::new("people.err.unknown").arg("id", id),
            ));
        }
    };
    let today = local_date(w.ctx.now, town.info.offset);
    let d = &p.details;
    w.tx.prepare_cached(
        "UPDATE person SET retired = 1, retired_on = ?2, retired_reason = ?3 WHERE id = ?1",
    )?
    .execute(params![id, today.to_string(), reason])?;
    w.audit(
        AuditAction::PeopleRetire,
        &format!("person:{id}"),
        json!({"reason": reason, "on": today.to_string(), "village": d.village,
               "level": d.level.as_str()}),
    )?;
    Ok(p)
}

/// When and why a person left the register (`None` while they are on it; the date is
/// empty for the demo's invented people, retired by the first real register).
pub fn retirement(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    let row: Option<(i64, Option<String>, String)> = conn
        .prepare_cached("SELECT retired, retired_on, retired_reason FROM person WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(row
        .filter(|(retired, _, _)| *retired != 0)
        .map(|(_, on, reason)| (on.unwrap_or_default(), reason)))
}

/// Records a contact; a reached person's `last_contact` moves forward in the same
/// transaction; `worse` or `unreachable` for a red-level person raises a `concern`
/// escalation due in 2 hours.
pub fn record_contact(w: &mut Writer<'_>, town: &Town, c: &NewContact) -> Result<Recorded> {
    w.permit(Permission::RecordContact)?;
    let p = known(w, c.person)?;
    let now = w.ctx.now;
    let at = c.at.unwrap_or(now);
    if at > now {
        return Err(StoreError::Invalid(
            Msg::new("people.err.future").context("--at"),
        ));
    }
    let note = clean(&c.note);
    w.tx.prepare_cached(
        "INSERT INTO person_contact (person, at, method, outcome, note, operator, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        p.id,
        to_db(at),
        c.method.as_str(),
        c.outcome.as_str(),
        note,
        w.ctx.operator,
        w.now_db()
    ])?;
    let id = w.tx.last_insert_rowid();
    if c.outcome.counts() && p.last_contact.is_none_or(|l| at > l) {
        w.tx.execute(
            "UPDATE person SET last_contact = ?2 WHERE id = ?1",
            params![p.id, to_db(at)],
        )?;
    }
    w.audit(
        AuditAction::PeopleContact,
        &format!("person:{}", p.id),
        json!({"contact": id, "at": to_db(at), "method": c.method.as_str(),
               "outcome": c.outcome.as_str(), "note": note}),
    )?;
    let mut concern = None;
    let d = &p.details;
    if d.level == Level::Red && c.outcome.concerns_red() {
        let title = Msg::new("people.concern_title")
            .arg("id", p.id)
            .arg("name", mask_name(&d.name))
            .arg("village", town.place_name(&d.village, c.lang))
            .label("outcome", c.outcome.label_key())
            .render(c.lang);
        concern = Some(raise(
            w,
            &NewEscalation {
                kind: Kind::Concern,
                title,
                village: Some(d.village.clone()),
                place: None,
                details: format!("person:{} contact:{id} {}", p.id, c.outcome.as_str()),
                direct: false,
                subject: None,
                due: crate::domain::time::plus(now, Duration::hours(CONCERN_HOURS)),
                grace_minutes: town.info.escalation_grace_minutes,
            },
        )?);
    }
    Ok(Recorded {
        id,
        concern,
        person: p,
    })
}

/// The call list of `date`: everyone due (next due on or before it), by village in town
/// order, the overdue first, red first, then by id; with the detail's address and
/// conditions, and each name spelled in pinyin for the search.
pub fn call_list(conn: &Connection, town: &Town, date: NaiveDate) -> Result<Vec<CallRow>> {
    let reading = Reading {
        detail: true,
        due_only: true,
        ..Reading::default()
    };
    let due: Vec<(Option<usize>, CallRow)> = read_standings(conn, town, date, reading)?
        .into_iter()
        .map(|(v, l)| {
            (
                v,
                CallRow {
                    spelled: crate::domain::people::search::spell(&l.name),
                    listed: l,
                },
            )
        })
        .collect();
    Ok(by_village(due, town.villages.len(), 6, |r: &CallRow| {
        usize::from(!r.listed.overdue) * 3 + r.listed.level as usize
    }))
}

/// The console's call list, kept between refreshes: read again only when the day or the
/// register's data changed (any write: each leaves an audit row).
#[derive(Debug, Clone, Default)]
pub struct CallListCache {
    key: Option<(NaiveDate, i64)>,
    rows: std::sync::Arc<Vec<CallRow>>,
}

impl CallListCache {
    /// The call list of `date`, read again only when the day or the data changed since
    /// the last call (the newest audit row tells: every write appends one).
    pub fn get(
        &mut self,
        conn: &Connection,
        town: &Town,
        date: NaiveDate,
    ) -> Result<std::sync::Arc<Vec<CallRow>>> {
        let stamp: i64 = conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM audit")?
            .query_row([], |r| r.get(0))?;
        let key = Some((date, stamp));
        if self.key != key {
            self.rows = std::sync::Arc::new(call_list(conn, town, date)?);
            self.key = key;
        }
        Ok(self.rows.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::{Counts, DENSE_IDS};

    #[test]
    fn counts_by_index_and_beyond_it() {
        let mut c = Counts::default();
        for id in [
            3,
            3,
            1,
            DENSE_IDS,
            DENSE_IDS + 7,
            DENSE_IDS + 7,
            -4,
            i64::MAX,
        ] {
            c.add(id);
        }
        let got: Vec<i64> = [0, 1, 2, 3, 9, DENSE_IDS, DENSE_IDS + 7, -4, i64::MAX, 77]
            .iter()
            .map(|id| c.get(*id))
            .collect();
        assert_eq!(got, [0, 1, 0, 2, 0, 1, 2, 1, 1, 0]);
        assert!(c.dense.len() <= 4, "only as long as the largest id seen");
    }
}
