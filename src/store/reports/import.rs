//! Importing a report CSV all-or-nothing: every problem of every line, in one transaction.

use crate::domain::audit_action::AuditAction;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::{SaveOutcome, stored_row, write_row};
use crate::domain::report::{CheckContext, Checked, Field, Figures, parse_cell};
use crate::domain::report_csv::{CsvRow, LineProblem};
use crate::domain::time::{date_range_msg, local_date, parse_date};
use crate::domain::town::{Town, Village};
use crate::i18n::Msg;
use crate::store::{Ctx, Result, Store, StoreError, Writer};

/// How an import should behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// Replace stored rows that differ (their old values stay in the audit log).
    pub replace: bool,
}

/// One row the import would write or did write.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportChange {
    /// Line in the file.
    pub line: u64,
    /// Village code.
    pub village: String,
    /// Day.
    pub date: NaiveDate,
    /// New, replaced or unchanged.
    pub outcome: SaveOutcome,
    /// Soft-rule warnings, with their column.
    pub warnings: Vec<(Option<Field>, Msg)>,
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    /// Every problem; when not empty nothing was imported.
    pub problems: Vec<LineProblem>,
    /// Every row, in file order.
    pub changes: Vec<ImportChange>,
}

impl ImportReport {
    /// Rows of one outcome.
    pub fn count(&self, o: SaveOutcome) -> usize {
        self.changes.iter().filter(|c| c.outcome == o).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.changes.iter().map(|c| c.warnings.len()).sum()
    }
}

fn problem(line: u64, column: &str, msg: Msg) -> LineProblem {
    LineProblem {
        line,
        column: column.to_string(),
        msg,
    }
}

/// A village's last rows before the day the import is at, newest first (at most the seven
/// the checks read), and its newest cumulative figure: the per-row checks of one import
/// read them from here instead of the database. Kept only for a village with no stored
/// row between its first and last imported days, so that what this import writes is all
/// that comes between what was read and the row checked (rows are checked in date
/// order); rows stored after its last imported day (a backfill) are never read by them.
struct Recent {
    rows: std::collections::VecDeque<Figures>,
    previous_cumulative: Option<i64>,
}

impl Recent {
    /// The village's history before `first`, its first day in the import, or `None` when a
    /// row is stored from then to `last`, its last (those villages read the database per
    /// row).
    fn read(
        conn: &rusqlite::Connection,
        village: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Option<Recent>> {
        if super::stored_between(conn, village, first, last)? {
            return Ok(None);
        }
        let (rows, previous_cumulative) = super::recent_rows(conn, village, first)?;
        Ok(Some(Recent {
            rows: rows.into(),
            previous_cumulative,
        }))
    }

    /// A row this import has just written (later than every row kept).
    fn push(&mut self, fig: &Figures) {
        self.rows.push_front(*fig);
        self.rows.truncate(7);
        if let Some(c) = fig.get(Field::CumulativeInfections) {
            self.previous_cumulative = Some(c);
        }
    }
}

/// Imports report rows all-or-nothing in one transaction: any problem, or a dry run,
/// rolls everything back. Rows are checked in date order so each sees the day before.
pub fn import(
    store: &mut Store,
    ctx: &Ctx,
    town: &Town,
    rows: &[CsvRow],
    opts: ImportOptions,
) -> Result<ImportReport> {
    store.write_or_rollback(ctx, |w| {
        let today = local_date(w.ctx.now, town.info.offset);
        let mut report = ImportReport::default();
        let mut parsed = read_rows(town, rows, &mut report.problems);
        parsed.sort_by_key(|p| (p.date, p.line));
        save_rows(w, town, today, parsed, opts, &mut report)?;
        report.problems.sort_by_key(|p| p.line);
        report.changes.sort_by_key(|c| c.line);
        let commit = report.problems.is_empty()
            && !opts.dry_run
            && report
                .changes
                .iter()
                .any(|c| c.outcome != SaveOutcome::Unchanged);
        if commit {
            w.audit(
                AuditAction::ReportImport,
                "reports",
                json!({
                    "rows": rows.len(),
                    "new": report.count(SaveOutcome::New),
                    "replaced": report.count(SaveOutcome::Replaced),
                    "unchanged": report.count(SaveOutcome::Unchanged),
                }),
            )?;
        }
        Ok((report, commit))
    })
}

/// A row that read well: its line, day, village and figures.
struct Parsed<'t> {
    line: u64,
    date: NaiveDate,
    village: &'t Village,
    figures: Figures,
}

/// Reads every row, noting each problem; returns the rows without one.
fn read_rows<'t>(
    town: &'t Town,
    rows: &[CsvRow],
    problems: &mut Vec<LineProblem>,
) -> Vec<Parsed<'t>> {
    let mut seen: HashMap<(NaiveDate, String), u64> = HashMap::new();
    rows.iter()
        .filter_map(|row| read_row(town, row, &mut seen, problems))
        .collect()
}

/// One row: a day, a known village, figures that read, not a second row for the same
/// village and day (`seen` holds the first line of each).
fn read_row<'t>(
    town: &'t Town,
    row: &CsvRow,
    seen: &mut HashMap<(NaiveDate, String), u64>,
    problems: &mut Vec<LineProblem>,
) -> Option<Parsed<'t>> {
    let before = problems.len();
    let date = parse_date(&row.date);
    if date.is_none() {
        // a real calendar day outside the window (year 0000, 9999) says so
        let msg = match chrono::NaiveDate::parse_from_str(row.date.trim(), "%Y-%m-%d") {
            Ok(_) => date_range_msg(&row.date),
            Err(_) => Msg::new("csv.err.bad_date").quoted("value", &row.date),
        };
        problems.push(problem(row.line, "date", msg));
    }
    let village = town.village(&row.village);
    if village.is_none() {
        let msg = Msg::new("err.unknown_village").quoted("value", &row.village);
        problems.push(problem(row.line, "village", msg));
    }
    let mut figures = Figures::default();
    for f in Field::ALL {
        match parse_cell(&row.cells[f.index()]) {
            Ok(v) => figures.set(f, v),
            Err(m) => problems.push(problem(row.line, f.as_str(), m)),
        }
    }
    if problems.len() == before && figures.is_empty() {
        problems.push(problem(row.line, "-", Msg::new("report.err.no_figures")));
    }
    let (date, village) = (date?, village?);
    let first = *seen.entry((date, village.code.clone())).or_insert(row.line);
    if first != row.line {
        let msg = Msg::new("csv.err.duplicate_row").arg("line", first);
        problems.push(problem(row.line, "village", msg));
    }
    (problems.len() == before).then_some(Parsed {
        line: row.line,
        date,
        village,
        figures,
    })
}

/// Each village's last day in the file.
fn last_days<'t>(parsed: &[Parsed<'t>]) -> HashMap<&'t str, NaiveDate> {
    let mut last_day: HashMap<&str, NaiveDate> = HashMap::new();
    for p in parsed {
        let d = last_day.entry(p.village.code.as_str()).or_insert(p.date);
        *d = (*d).max(p.date);
    }
    last_day
}

/// Whether a day is signed off, read once a day and kept in `signed`.
fn signed_on(
    w: &Writer<'_>,
    signed: &mut HashMap<NaiveDate, bool>,
    date: NaiveDate,
) -> Result<bool> {
    Ok(match signed.get(&date) {
        Some(s) => *s,
        None => *signed.entry(date).or_insert(super::is_signed(w.tx, date)?),
    })
}

/// A row's check context: from the village's rows kept in memory when there are, else
/// from the store.
fn row_context(
    w: &Writer<'_>,
    p: &Parsed<'_>,
    kept: Option<&Recent>,
    today: NaiveDate,
    day_signed: bool,
) -> Result<CheckContext> {
    Ok(match kept {
        Some(k) => super::context_of(
            p.village,
            &k.rows,
            k.previous_cumulative,
            p.date,
            today,
            day_signed,
        ),
        None => super::check_context_signed(w.tx, p.village, p.date, today, day_signed)?,
    })
}

/// A refused row's errors, each under its field's column (`date` for the row's own).
fn push_errors(report: &mut ImportReport, line: u64, checked: &Checked) {
    for e in &checked.errors {
        let col = e.field.map_or("date", |f| f.as_str());
        report.problems.push(problem(line, col, e.msg.clone()));
    }
}

/// Checks each read row against its day and village and saves it (unless unchanged).
fn save_rows(
    w: &mut Writer<'_>,
    town: &Town,
    today: NaiveDate,
    parsed: Vec<Parsed<'_>>,
    opts: ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    // a day's sign-off is read once, not once per row
    let mut signed: HashMap<NaiveDate, bool> = HashMap::new();
    // each village's last rows, kept as the import writes them (issue 18)
    let mut recent: HashMap<String, Option<Recent>> = HashMap::new();
    let last_day = last_days(&parsed);
    for p in parsed {
        if !recent.contains_key(&p.village.code) {
            let last = last_day
                .get(p.village.code.as_str())
                .copied()
                .unwrap_or(p.date);
            let read = Recent::read(w.tx, &p.village.code, p.date, last)?;
            recent.insert(p.village.code.clone(), read);
        }
        let kept = recent.get_mut(&p.village.code).and_then(Option::as_mut);
        // a village kept in memory has nothing stored on its imported days: no old row
        let old = match kept {
            Some(_) => None,
            None => stored_row(w.tx, &p.village.code, p.date)?,
        };
        let change = |outcome, warnings| ImportChange {
            line: p.line,
            village: p.village.code.clone(),
            date: p.date,
            outcome,
            warnings,
        };
        if old.as_ref().is_some_and(|o| o.figures == p.figures) {
            report
                .changes
                .push(change(SaveOutcome::Unchanged, Vec::new()));
            continue;
        }
        let day_signed = signed_on(w, &mut signed, p.date)?;
        let cx = row_context(w, &p, kept.as_deref(), today, day_signed)?;
        let checked = crate::domain::report::check(&p.figures, &cx);
        if !checked.errors.is_empty() {
            push_errors(report, p.line, &checked);
            continue;
        }
        let saved = write_row(
            w,
            town,
            p.village,
            p.date,
            &p.figures,
            &checked,
            old.as_ref(),
            opts.replace,
        );
        match saved {
            Ok(outcome) => {
                if let Some(k) = kept {
                    k.push(&p.figures);
                }
                let warnings = checked
                    .warnings
                    .iter()
                    .map(|f| (f.field, f.msg.clone()))
                    .collect();
                report.changes.push(change(outcome, warnings));
            }
            Err(StoreError::Conflict(m)) | Err(StoreError::Invalid(m)) => {
                report.problems.push(problem(p.line, "-", m));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
