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
    CallRow, ContactRow, ImportSummary, Listed, NewContact, PersonRow, Recorded,
};
use crate::domain::people::{
    CONCERN_HOURS, Cadence, Level, Sex, WeekRow, standing, week_days, week_rows,
};
use crate::domain::privacy::mask_name;
use crate::domain::roles::Permission;
use crate::domain::text::entry;
use crate::domain::time::{from_db, local_date, local_instant, to_db};
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

/// Counted contacts (not unreachable) per person with `from <= at < to`: one range read.
pub fn contacts_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<HashMap<i64, i64>> {
    let mut stmt = conn.prepare_cached(
        // the week's range of the time index: with statistics at 10,000 people the planner
        // preferred a skip-scan of the person index, ten times slower (bench, issue 15)
        "SELECT person, COUNT(*) FROM person_contact INDEXED BY person_contact_by_at
         WHERE at >= ?1 AND at < ?2 AND outcome <> 'unreachable' GROUP BY person",
    )?;
    let mut out = HashMap::new();
    for r in stmt.query_map(params![to_db(from), to_db(to)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (p, n) = r?;
        out.insert(p, n);
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

/// Every person on the register as they stand on `date` (town time): the last contact
/// counted is the newest on or before that day, the week's count is that day's ISO week up
/// to and including that day.
/// In town order, red first, then by id.
pub fn standings(conn: &Connection, town: &Town, date: NaiveDate) -> Result<Vec<Listed>> {
    let cadence = cadence(conn)?;
    let end = date
        .succ_opt()
        .map(|d| day_start(town, d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let week = crate::domain::people::week_of(date);
    let counts = match week_bounds(town, week) {
        // the week so far: a call after the asked day counts no more than it moves next_due
        Some((from, to)) => contacts_between(conn, from, to.min(end))?,
        None => HashMap::new(),
    };
    let off = town.info.offset;
    let order: HashMap<&str, usize> = town
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.code.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for p in people(conn)? {
        // a contact after the asked day does not count on it (one seek, rare)
        let last = match p.last_contact {
            Some(t) if t >= end => last_contact_before(conn, p.id, end)?,
            other => other,
        };
        let s = standing(
            &cadence,
            p.level,
            last.map(|t| local_date(t, off)),
            p.imported_on,
            date,
        );
        out.push(Listed {
            id: p.id,
            village: p.village,
            name: p.name,
            age: p.age,
            level: p.level,
            cadre: p.cadre,
            doctor: p.doctor,
            phone: p.phone,
            last_contact: last.map(to_db),
            next_due: s.next_due,
            overdue: s.overdue,
            contacts_this_week: counts.get(&p.id).copied().unwrap_or(0),
            required_per_week: s.required,
            due: s.due,
            address: p.address,
            conditions: p.conditions,
        });
    }
    out.sort_by_key(|a| {
        (
            order.get(a.village.as_str()).copied().unwrap_or(usize::MAX),
            a.level,
            a.id,
        )
    });
    Ok(out)
}

/// The weekly figures of an ISO week: per village and level, people, required, done.
pub fn week(conn: &Connection, town: &Town, week: IsoWeek) -> Result<Vec<WeekRow>> {
    let cadence = cadence(conn)?;
    let counts = match week_bounds(town, week) {
        Some((from, to)) => contacts_between(conn, from, to)?,
        None => HashMap::new(),
    };
    let order: Vec<String> = town.villages.iter().map(|v| v.code.clone()).collect();
    let people = people(conn)?;
    Ok(week_rows(
        &cadence,
        &order,
        people.into_iter().map(|p| {
            let done = counts.get(&p.id).copied().unwrap_or(0);
            (p.village, p.level, done)
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
    for l in standings(conn, town, date)?
        .into_iter()
        .filter(|l| l.overdue)
    {
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
        let p = NewPerson {
            name: clean(&p.name),
            phone: clean(&p.phone),
            address: clean(&p.address),
            conditions: clean(&p.conditions),
            cadre: clean(&p.cadre),
            doctor: clean(&p.doctor),
            ..p.clone()
        };
        match find_known(w, &p)? {
            None => {
                add_person(w, &p, today)?;
                sum.new += 1;
            }
            Some((old, retired)) => {
                if update_person(w, &old, retired, &p)? {
                    sum.updated += 1;
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
               "demo_retired": sum.demo_retired}),
    )?;
    Ok(sum)
}

/// The person already on the register with this village, name and phone, and whether
/// they are retired.
fn find_known(w: &mut Writer<'_>, p: &NewPerson) -> Result<Option<(PersonRow, bool)>> {
    Ok(w.tx
        .prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS}, retired FROM person
         WHERE village = ?1 AND name = ?2 AND phone = ?3"
        ))?
        .query_row(params![p.village, p.name, p.phone], |r| {
            Ok((read_person(r)?, r.get::<_, i64>(13)? != 0))
        })
        .optional()?)
}

/// Adds a person new to the register, imported `today`, audited.
fn add_person(w: &mut Writer<'_>, p: &NewPerson, today: NaiveDate) -> Result<()> {
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
               "phone": p.phone, "level": p.level.as_str(), "line": p.line}),
    )?;
    Ok(())
}

/// Updates a known person from the file (and brings them back if retired), with the old
/// and new values in the audit and a level change recorded; `false` when nothing changed.
fn update_person(
    w: &mut Writer<'_>,
    old: &PersonRow,
    retired: bool,
    p: &NewPerson,
) -> Result<bool> {
    let same = old.age == p.age
        && old.sex == p.sex
        && old.address == p.address
        && old.conditions == p.conditions
        && old.level == p.level
        && old.cadre == p.cadre
        && old.doctor == p.doctor
        && !retired;
    if same {
        return Ok(false);
    }
    let sex = p.sex.map(|s| s.as_str());
    w.tx.prepare_cached(
        "UPDATE person SET age = ?2, sex = ?3, address = ?4, conditions = ?5,
           level = ?6, cadre = ?7, doctor = ?8, retired = 0, demo = 0 WHERE id = ?1",
    )?
    .execute(params![
        old.id,
        p.age,
        sex,
        p.address,
        p.conditions,
        p.level.as_str(),
        p.cadre,
        p.doctor
    ])?;
    if old.level != p.level {
        insert_level(w, old.id, old.level, p.level, "import")?;
    }
    w.audit(
        AuditAction::PeopleUpdate,
        &format!("person:{}", old.id),
        json!({
            "before": {"age": old.age, "sex": old.sex.map(|s| s.as_str()),
                       "address": old.address, "conditions": old.conditions,
                       "level": old.level.as_str(), "cadre": old.cadre,
                       "doctor": old.doctor, "retired": retired},
            "after": {"age": p.age, "sex": sex, "address": p.address,
                      "conditions": p.conditions, "level": p.level.as_str(),
                      "cadre": p.cadre, "doctor": p.doctor},
            "line": p.line
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
    let p = known(w, id)?;
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
    if p.level == Level::Red && c.outcome.concerns_red() {
        let title = Msg::new("people.concern_title")
            .arg("id", p.id)
            .arg("name", mask_name(&p.name))
            .arg("village", town.place_name(&p.village, c.lang))
            .label("outcome", c.outcome.label_key())
            .render(c.lang);
        concern = Some(raise(
            w,
            &NewEscalation {
                kind: Kind::Concern,
                title,
                village: Some(p.village.clone()),
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
/// order, the overdue first, red first, then by id.
pub fn call_list(conn: &Connection, town: &Town, date: NaiveDate) -> Result<Vec<CallRow>> {
    let order: HashMap<&str, usize> = town
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.code.as_str(), i))
        .collect();
    let mut rows: Vec<CallRow> = standings(conn, town, date)?
        .into_iter()
        .filter(|l| l.due)
        .map(|l| CallRow {
            spelled: crate::domain::people::search::spell(&l.name),
            listed: l,
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            order
                .get(r.listed.village.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            !r.listed.overdue,
            r.listed.level,
            r.listed.id,
        )
    });
    Ok(rows)
}
