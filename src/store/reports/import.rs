//! Importing a report CSV all-or-nothing: every problem of every line, in one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::{SaveOutcome, stored_row, write_row};
use crate::domain::report::{Field, Figures, parse_cell};
use crate::domain::report_csv::{CsvRow, LineProblem};
use crate::domain::text::{QUOTE_MAX, quote};
use crate::domain::time::{date_range_msg, local_date, parse_date};
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::{Ctx, Result, Store, StoreError};

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
        let mut parsed = Vec::with_capacity(rows.len());
        let mut seen: HashMap<(NaiveDate, String), u64> = HashMap::new();
        for row in rows {
            let mut ok = true;
            let date = parse_date(&row.date);
            if date.is_none() {
                // a real calendar day outside the window (year 0000, 9999) says so
                let msg = match chrono::NaiveDate::parse_from_str(row.date.trim(), "%Y-%m-%d") {
                    Ok(_) => date_range_msg(&row.date),
                    Err(_) => {
                        Msg::new("csv.err.bad_date").arg("value", quote(&row.date, QUOTE_MAX))
                    }
                };
                report.problems.push(problem(row.line, "date", msg));
                ok = false;
            }
            let village = town.village(&row.village);
            if village.is_none() {
                report.problems.push(problem(
                    row.line,
                    "village",
                    Msg::new("err.unknown_village").arg("value", quote(&row.village, QUOTE_MAX)),
                ));
                ok = false;
            }
            let mut fig = Figures::default();
            for f in Field::ALL {
                match parse_cell(&row.cells[f.index()]) {
                    Ok(v) => fig.set(f, v),
                    Err(m) => {
                        report.problems.push(problem(row.line, f.as_str(), m));
                        ok = false;
                    }
                }
            }
            if ok && fig.is_empty() {
                report
                    .problems
                    .push(problem(row.line, "-", Msg::new("report.err.no_figures")));
                ok = false;
            }
            let first = match (date, village) {
                (Some(d), Some(v)) => Some(*seen.entry((d, v.code.clone())).or_insert(row.line)),
                _ => None,
            };
            if let Some(first) = first
                && first != row.line
            {
                report.problems.push(problem(
                    row.line,
                    "village",
                    Msg::new("csv.err.duplicate_row").arg("line", first),
                ));
                ok = false;
            }
            if let (true, Some(d), Some(v)) = (ok, date, village) {
                parsed.push((row.line, d, v, fig));
            }
        }
        parsed.sort_by_key(|(line, d, _, _)| (*d, *line));
        // a day's sign-off is read once, not once per row
        let mut signed: HashMap<NaiveDate, bool> = HashMap::new();
        for (line, date, village, fig) in parsed {
            let old = stored_row(w.tx, &village.code, date)?;
            if old.as_ref().is_some_and(|o| o.figures == fig) {
                report.changes.push(ImportChange {
                    line,
                    village: village.code.clone(),
                    date,
                    outcome: SaveOutcome::Unchanged,
                    warnings: Vec::new(),
                });
                continue;
            }
            let day_signed = match signed.get(&date) {
                Some(s) => *s,
                None => {
                    let s = super::is_signed(w.tx, date)?;
                    signed.insert(date, s);
                    s
                }
            };
            let cx = super::check_context_signed(w.tx, village, date, today, day_signed)?;
            let checked = crate::domain::report::check(&fig, &cx);
            if !checked.errors.is_empty() {
                for e in &checked.errors {
                    let col = e.field.map_or("date", |f| f.as_str());
                    report.problems.push(problem(line, col, e.msg.clone()));
                }
                continue;
            }
            match write_row(
                w,
                town,
                village,
                date,
                &fig,
                &checked,
                old.as_ref(),
                opts.replace,
            ) {
                Ok(outcome) => report.changes.push(ImportChange {
                    line,
                    village: village.code.clone(),
                    date,
                    outcome,
                    warnings: checked
                        .warnings
                        .iter()
                        .map(|f| (f.field, f.msg.clone()))
                        .collect(),
                }),
                Err(StoreError::Conflict(m)) | Err(StoreError::Invalid(m)) => {
                    report.problems.push(problem(line, "-", m));
                }
                Err(e) => return Err(e),
            }
        }
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
                "report.import",
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
