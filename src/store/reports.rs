//! Daily village reports: the checks against stored history, saving one row, importing
//! a file all-or-nothing, town totals, sign-off.

use crate::domain::audit_action::AuditAction;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::{Result, StoreError, Writer};
use crate::domain::report::{CheckContext, Checked, Field, Figures, N_FIELDS, StoredRow, check};
use crate::domain::time::{local_date, local_instant};
use crate::domain::town::Town;
use crate::domain::town::Village;
use crate::i18n::Msg;

mod daily;
mod import;

pub use daily::{
    DailyReport, daily_report, day_summary, for_each_day, for_each_row, last_cumulative_before,
    latest_date, places, summary_from, totals_for, totals_range,
};
pub use import::{ImportChange, ImportOptions, ImportReport, import};

const FIELD_COLS: &str = "new_infections, cumulative_infections, outpatients, inpatients, severe, deaths, emergency_visits, referrals";

fn read_figures(r: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Figures> {
    let mut f = Figures::default();
    for (i, v) in f.values.iter_mut().enumerate() {
        *v = r.get(start + i)?;
    }
    Ok(f)
}

/// A day's sign-off state.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInfo {
    /// Signed now (false after a reopen).
    pub signed: bool,
    /// Who signed (or reopened) last.
    pub by: String,
    /// When.
    pub at: String,
    /// Why it was reopened, if it was.
    pub reopen_reason: String,
    /// Why it was signed with villages missing (empty when none was missing).
    pub missing_reason: String,
}

/// The sign-off row of a day, if it was ever signed.
pub fn sign_info(conn: &Connection, date: NaiveDate) -> Result<Option<SignInfo>> {
    Ok(conn
        .prepare_cached(
            "SELECT signed, signed_by, signed_at, reopen_reason, missing_reason
             FROM day_signoff WHERE date = ?1",
        )?
        .query_row([date.to_string()], |r| {
            Ok(SignInfo {
                signed: r.get(0)?,
                by: r.get(1)?,
                at: r.get(2)?,
                reopen_reason: r.get(3)?,
                missing_reason: r.get(4)?,
            })
        })
        .optional()?)
}

/// True when the day is signed (read-only).
pub fn is_signed(conn: &Connection, date: NaiveDate) -> Result<bool> {
    Ok(sign_info(conn, date)?.is_some_and(|s| s.signed))
}

fn parse_warnings(text: &str) -> Vec<(Option<Field>, Msg)> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap_or(json!([]));
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|w| {
                    let field = w
                        .get("field")
                        .and_then(|f| f.as_str())
                        .and_then(Field::parse);
                    Msg::from_json(w.get("msg")?).map(|m| (field, m))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The stored row of one village for one day.
pub fn stored_row(conn: &Connection, village: &str, date: NaiveDate) -> Result<Option<StoredRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {FIELD_COLS}, late, warnings, entered_at, entered_by FROM daily_report
             WHERE date = ?1 AND village = ?2"
        ))?
        .query_row(params![date.to_string(), village], |r| {
            Ok(StoredRow {
                figures: read_figures(r, 0)?,
                late: r.get(8)?,
                warnings: parse_warnings(&r.get::<_, String>(9)?),
                entered_at: r.get(10)?,
                entered_by: r.get(11)?,
            })
        })
        .optional()?)
}

/// True when the village has a row stored from `from` to `to` (both included).
pub(crate) fn stored_between(
    conn: &Connection,
    village: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM daily_report
                            WHERE village = ?1 AND date BETWEEN ?2 AND ?3)",
        )?
        .query_row(params![village, from.to_string(), to.to_string()], |r| {
            r.get(0)
        })?)
}

/// Every village's row for a day, keyed by village code (villages without a row are absent).
pub fn day_rows(conn: &Connection, date: NaiveDate) -> Result<HashMap<String, StoredRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT village, {FIELD_COLS}, late, warnings, entered_at, entered_by FROM daily_report
         WHERE date = ?1"
    ))?;
    let rows = stmt
        .query_map([date.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                StoredRow {
                    figures: read_figures(r, 1)?,
                    late: r.get(9)?,
                    warnings: parse_warnings(&r.get::<_, String>(10)?),
                    entered_at: r.get(11)?,
                    entered_by: r.get(12)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(rows)
}

/// What the checks need from history for one village and day.
pub fn check_context(
    conn: &Connection,
    village: &Village,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<CheckContext> {
    let signed = is_signed(conn, date)?;
    check_context_signed(conn, village, date, today, signed)
}

/// [`check_context`] when the day's sign-off is already known (imports check it once a day).
pub fn check_context_signed(
    conn: &Connection,
    village: &Village,
    date: NaiveDate,
    today: NaiveDate,
    day_signed: bool,
) -> Result<CheckContext> {
    let (rows, previous_cumulative) = recent_rows(conn, &village.code, date)?;
    Ok(context_of(
        village,
        &rows,
        previous_cumulative,
        date,
        today,
        day_signed,
    ))
}

/// What the checks read of a village's history before `date`: its last seven rows, newest
/// first, and its newest cumulative figure (looked for further back when none of the seven
/// has it).
pub(crate) fn recent_rows(
    conn: &Connection,
    village: &str,
    date: NaiveDate,
) -> Result<(Vec<Figures>, Option<i64>)> {
    let d = date.to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FIELD_COLS} FROM daily_report WHERE village = ?1 AND date < ?2
         ORDER BY date DESC LIMIT 7"
    ))?;
    let rows = stmt
        .query_map(params![village, d], |r| read_figures(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut previous_cumulative = rows.iter().find_map(|f| f.get(Field::CumulativeInfections));
    if previous_cumulative.is_none() {
        // none of the last seven rows gave it: look further back
        previous_cumulative = conn
            .prepare_cached(
                "SELECT cumulative_infections FROM daily_report
                 WHERE village = ?1 AND date < ?2 AND cumulative_infections IS NOT NULL
                 ORDER BY date DESC LIMIT 1",
            )?
            .query_row(params![village, d], |r| r.get(0))
            .optional()?;
    }
    Ok((rows, previous_cumulative))
}

/// A check context from a village's last rows before `date` (newest first, at most the
/// seven the checks use) and its newest cumulative figure before it.
pub(crate) fn context_of<'a>(
    village: &Village,
    rows: impl IntoIterator<Item = &'a Figures>,
    previous_cumulative: Option<i64>,
    date: NaiveDate,
    today: NaiveDate,
    day_signed: bool,
) -> CheckContext {
    let mut history: [Vec<i64>; N_FIELDS] = Default::default();
    for f in rows.into_iter().take(7) {
        for field in Field::ALL {
            if let Some(v) = f.get(field) {
                history[field.index()].push(v);
            }
        }
    }
    CheckContext {
        population: village.population,
        previous_cumulative,
        history,
        in_future: date > today,
        day_signed,
    }
}

/// Checks one row against the rules and the stored history (the form uses this to show
/// findings before saving; saving runs it again).
pub fn evaluate(
    conn: &Connection,
    village: &Village,
    date: NaiveDate,
    today: NaiveDate,
    fig: &Figures,
) -> Result<Checked> {
    let cx = check_context(conn, village, date, today)?;
    Ok(check(fig, &cx))
}

/// What saving a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new row.
    New,
    /// A stored row was replaced (its old values are in the audit log).
    Replaced,
    /// The stored row was identical; nothing written.
    Unchanged,
}

fn warnings_json(c: &Checked) -> String {
    let v: Vec<serde_json::Value> = c
        .warnings
        .iter()
        .map(|w| json!({"field": w.field.map(|f| f.as_str()), "msg": w.msg.to_json()}))
        .collect();
    serde_json::Value::Array(v).to_string()
}

fn figures_json(f: &Figures) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for field in Field::ALL {
        m.insert(field.as_str().into(), json!(f.get(field)));
    }
    serde_json::Value::Object(m)
}

/// Renders the first hard finding as one refusal naming its field.
pub fn refusal(c: &Checked) -> Option<Msg> {
    let first = c.errors.first()?;
    Some(match first.field {
        Some(f) => first.msg.clone().context(f.as_str()),
        None => first.msg.clone(),
    })
}

/// Saves one village's figures for a day: refuses hard-rule violations, keeps warnings.
/// A differing stored row is replaced only when `replace` is set.
pub fn save(
    w: &mut Writer<'_>,
    town: &Town,
    village: &Village,
    date: NaiveDate,
    fig: &Figures,
    replace: bool,
) -> Result<(SaveOutcome, Checked)> {
    w.permit(crate::domain::roles::Permission::EnterReport)?;
    let today = local_date(w.ctx.now, town.info.offset);
    let old = stored_row(w.tx, &village.code, date)?;
    if old.as_ref().is_some_and(|o| o.figures == *fig) {
        return Ok((SaveOutcome::Unchanged, Checked::default()));
    }
    if fig.is_empty() {
        // a row with no figure would count the village as reported
        return Err(StoreError::Invalid(Msg::new("report.err.no_figures")));
    }
    let checked = evaluate(w.tx, village, date, today, fig)?;
    if let Some(m) = refusal(&checked) {
        if checked.errors.iter().any(|e| e.msg.key == "err.day_signed") {
            return Err(StoreError::Conflict(Msg::new("err.day_signed")));
        }
        return Err(StoreError::Invalid(m));
    }
    let outcome = write_row(w, town, village, date, fig, &checked, old.as_ref(), replace)?;
    Ok((outcome, checked))
}

/// Writes a checked row (no hard findings) unless it is identical to the stored one.
#[allow(clippy::too_many_arguments)]
fn write_row(
    w: &mut Writer<'_>,
    town: &Town,
    village: &Village,
    date: NaiveDate,
    fig: &Figures,
    checked: &Checked,
    old: Option<&StoredRow>,
    replace: bool,
) -> Result<SaveOutcome> {
    if let Some(old) = old {
        if old.figures == *fig {
            return Ok(SaveOutcome::Unchanged);
        }
        if !replace {
            return Err(StoreError::Conflict(
                Msg::new("report.err.differs")
                    .arg("village", &village.code)
                    .arg("date", date),
            ));
        }
    }
    let late = w.ctx.now > local_instant(date, town.info.report_cutoff, town.info.offset);
    let mut stmt = w.tx.prepare_cached(&format!(
        "INSERT INTO daily_report (date, village, {FIELD_COLS}, entered_at, entered_by, late, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (date, village) DO UPDATE SET
           new_infections = excluded.new_infections,
           cumulative_infections = excluded.cumulative_infections,
           outpatients = excluded.outpatients, inpatients = excluded.inpatients,
           severe = excluded.severe, deaths = excluded.deaths,
           emergency_visits = excluded.emergency_visits, referrals = excluded.referrals,
           entered_at = excluded.entered_at, entered_by = excluded.entered_by,
           late = excluded.late, warnings = excluded.warnings"
    ))?;
    let v = &fig.values;
    stmt.execute(params![
        date.to_string(),
        village.code,
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        v[5],
        v[6],
        v[7],
        w.now_db(),
        w.ctx.operator,
        late,
        warnings_json(checked),
    ])?;
    drop(stmt);
    let subject = format!("report:{date}:{}", village.code);
    match old {
        Some(old) => {
            w.audit(
                AuditAction::ReportReplace,
                &subject,
                json!({"old": figures_json(&old.figures), "new": figures_json(fig)}),
            )?;
            Ok(SaveOutcome::Replaced)
        }
        None => {
            w.audit(
                AuditAction::ReportSave,
                &subject,
                json!({"new": figures_json(fig)}),
            )?;
            Ok(SaveOutcome::New)
        }
    }
}

/// Saves an operator's edit from the console: refused as a conflict when the stored row
/// is no longer what the form was opened on (another operator saved in between).
pub fn save_edit(
    w: &mut Writer<'_>,
    town: &Town,
    village: &Village,
    date: NaiveDate,
    fig: &Figures,
    expected: Option<&Figures>,
) -> Result<(SaveOutcome, Checked)> {
    let stored = stored_row(w.tx, &village.code, date)?.map(|r| r.figures);
    if stored.as_ref() != expected {
        return Err(StoreError::Conflict(
            Msg::new("report.err.changed_meanwhile")
                .arg("village", &village.code)
                .arg("date", date),
        ));
    }
    save(w, town, village, date, fig, true)
}

/// Villages of the town (not retired: the report no longer lists them) with no row on a
/// day, in the town's order.
pub fn missing_villages(conn: &Connection, date: NaiveDate) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code FROM village v WHERE v.retired_at IS NULL AND NOT EXISTS
           (SELECT 1 FROM daily_report r WHERE r.date = ?1 AND r.village = v.code)
         ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([date.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

/// Signs a day: from now on its rows and its note are read-only (the store's triggers
/// refuse changes). With villages missing, a reason is required and kept with the
/// signature (a reason given when none is missing is kept as well).
pub fn sign_day(w: &mut Writer<'_>, date: NaiveDate, reason: Option<&str>) -> Result<()> {
    w.permit(crate::domain::roles::Permission::SignReport)?;
    if is_signed(w.tx, date)? {
        return Err(StoreError::Conflict(
            Msg::new("err.already_signed").arg("date", date),
        ));
    }
    let missing = missing_villages(w.tx, date)?;
    let cleaned = reason.map(crate::domain::text::entry);
    let reason = cleaned.as_ref().map_or("", |c| c.as_ref().trim());
    if !missing.is_empty() && reason.is_empty() {
        return Err(StoreError::Invalid(
            Msg::new("daily.err.reason_for_missing")
                .arg("n", missing.len())
                .list("list", &missing),
        ));
    }
    let reopened = sign_info(w.tx, date)?.is_some();
    w.tx.execute(
        "INSERT INTO day_signoff (date, signed, signed_by, signed_at, missing_reason)
         VALUES (?1, 1, ?2, ?3, ?4)
         ON CONFLICT (date) DO UPDATE SET signed = 1, signed_by = excluded.signed_by,
           signed_at = excluded.signed_at, missing_reason = excluded.missing_reason",
        params![date.to_string(), w.ctx.operator, w.now_db(), reason],
    )?;
    let action = if reopened {
        AuditAction::ReportResign
    } else {
        AuditAction::ReportSign
    };
    w.audit(
        action,
        &format!("day:{date}"),
        json!({"missing": missing, "reason": reason}),
    )?;
    super::shiftlog::log_auto(
        w,
        crate::domain::shift::LogCategory::Report,
        Msg::new("log.auto.report_signed").arg("date", date),
    )?;
    Ok(())
}

/// The shift lead's analysis (研判) of a day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayNote {
    /// The text as stored.
    pub text: String,
    /// Who wrote it last.
    pub by: String,
    /// When.
    pub at: String,
}

/// A day's analysis, if one was written.
pub fn day_note(conn: &Connection, date: NaiveDate) -> Result<Option<DayNote>> {
    Ok(conn
        .prepare_cached("SELECT note, written_by, written_at FROM day_note WHERE date = ?1")?
        .query_row([date.to_string()], |r| {
            Ok(DayNote {
                text: r.get(0)?,
                by: r.get(1)?,
                at: r.get(2)?,
            })
        })
        .optional()?)
}

/// Writes (or rewrites) a day's analysis. A signed day's note is frozen with it: to
/// change it, the day is reopened first (the old text stays in the audit log).
pub fn set_note(w: &mut Writer<'_>, date: NaiveDate, text: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::SignReport)?;
    let cleaned = crate::domain::text::entry(text);
    let text = cleaned.as_ref().trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(Msg::new("daily.err.note_empty")));
    }
    if is_signed(w.tx, date)? {
        return Err(StoreError::Conflict(Msg::new("err.day_signed")));
    }
    let old = day_note(w.tx, date)?;
    w.tx.execute(
        "INSERT INTO day_note (date, note, written_by, written_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (date) DO UPDATE SET note = excluded.note,
           written_by = excluded.written_by, written_at = excluded.written_at",
        params![date.to_string(), text, w.ctx.operator, w.now_db()],
    )?;
    w.audit(
        AuditAction::ReportNote,
        &format!("day:{date}"),
        json!({"old": old.map(|n| n.text), "new": text}),
    )?;
    Ok(())
}

/// Reopens a signed day, with a reason (a duty leader's decision).
pub fn reopen_day(w: &mut Writer<'_>, date: NaiveDate, reason: &str) -> Result<()> {
    w.permit(crate::domain::roles::Permission::ReopenReport)?;
    let cleaned = crate::domain::text::entry(reason);
    let reason = cleaned.as_ref();
    if reason.trim().is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.reason_required")));
    }
    if !is_signed(w.tx, date)? {
        return Err(StoreError::Conflict(
            Msg::new("err.not_signed").arg("date", date),
        ));
    }
    w.tx.execute(
        "UPDATE day_signoff SET signed = 0, signed_by = ?2, signed_at = ?3, reopen_reason = ?4
         WHERE date = ?1",
        params![date.to_string(), w.ctx.operator, w.now_db(), reason.trim()],
    )?;
    w.audit(
        AuditAction::ReportReopen,
        &format!("day:{date}"),
        json!({"reason": reason.trim()}),
    )?;
    super::shiftlog::log_auto(
        w,
        crate::domain::shift::LogCategory::Report,
        Msg::new("log.auto.report_reopened")
            .arg("date", date)
            .arg("reason", reason.trim()),
    )?;
    Ok(())
}

/// Each village's check context for a day, so the console's form can show the store's
/// own findings while the operator types.
pub fn check_contexts(
    conn: &Connection,
    town: &Town,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<HashMap<String, CheckContext>> {
    // one range read of the last two weeks serves nearly every village; a village with
    // fewer rows in that window falls back to its own exact queries
    const WINDOW_DAYS: i64 = 14;
    let signed = is_signed(conn, date)?;
    let mut recent: HashMap<String, Vec<Figures>> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT village, {FIELD_COLS} FROM daily_report
         WHERE date >= ?1 AND date < ?2 ORDER BY date DESC"
    ))?;
    let rows = stmt.query_map(
        params![
            (date - chrono::Duration::days(WINDOW_DAYS)).to_string(),
            date.to_string()
        ],
        |r| Ok((r.get::<_, String>(0)?, read_figures(r, 1)?)),
    )?;
    for row in rows {
        let (village, fig) = row?;
        recent.entry(village).or_default().push(fig);
    }
    let mut out = HashMap::with_capacity(town.villages.len());
    for v in &town.villages {
        let days = recent.get(&v.code).map(Vec::as_slice).unwrap_or(&[]);
        let previous_cumulative = days.iter().find_map(|f| f.get(Field::CumulativeInfections));
        let cx = if days.len() >= 7 && previous_cumulative.is_some() {
            let mut history: [Vec<i64>; N_FIELDS] = Default::default();
            for f in days.iter().take(7) {
                for field in Field::ALL {
                    if let Some(x) = f.get(field) {
                        history[field.index()].push(x);
                    }
                }
            }
            CheckContext {
                population: v.population,
                previous_cumulative,
                history,
                in_future: date > today,
                day_signed: signed,
            }
        } else {
            check_context(conn, v, date, today)?
        };
        out.insert(v.code.clone(), cx);
    }
    Ok(out)
}
