//! `import reports`, `report`, `report sign`, `report reopen`.

mod export;
mod json;

use std::path::Path;

use export::{to_csv, to_text};

use super::args::{ReportAction, ReportCmd, ReportFormat};
use super::{CliError, CliResult, Env};
use crate::domain::report_csv;
use crate::domain::text::{QUOTE_MAX, display, quote};
use crate::domain::time::{local_date, local_instant};
use crate::i18n::Msg;
use crate::store::reports::{self, ImportOptions, SaveOutcome, daily_report, reopen_day, sign_day};

/// At most this many problems of an import are printed, then "… and N more": a file of a
/// million bad rows gives a screenful, not a million lines.
pub const MAX_PROBLEM_LINES: usize = 50;

/// `duty-desk import reports FILE.csv [--dry-run] [--replace]`.
pub fn import(env: &Env, file: &Path, dry_run: bool, replace: bool) -> CliResult {
    // the file name and every cell are printed as clean, bounded text
    let name = display(&file.display().to_string()).into_owned();
    let text = read_text(env, file, &name)?;
    let (rows, unreadable) = report_csv::parse_all(&text);
    let (mut store, town) = env.open()?;
    // rows that could not be read still let the others be checked (in a rolled-back
    // dry run), so that the operator sees every problem of the file at once
    let mut report = reports::import(
        &mut store,
        &env.ctx(),
        &town,
        &rows,
        ImportOptions {
            dry_run: dry_run || !unreadable.is_empty(),
            replace,
        },
    )
    .map_err(|e| CliError::store(e, env.lang))?;
    report.problems.extend(unreadable);
    report.problems.sort_by_key(|p| p.line);
    if !report.problems.is_empty() {
        return Err(refusal(env, &name, &report.problems));
    }
    print_changes(env, &name, &report.changes, dry_run);
    let key = if dry_run {
        "import.summary_dry"
    } else {
        "import.summary"
    };
    println!(
        "{}",
        env.say(
            &Msg::new(key)
                .arg("new", report.count(SaveOutcome::New))
                .arg("replaced", report.count(SaveOutcome::Replaced))
                .arg("unchanged", report.count(SaveOutcome::Unchanged))
                .arg("warnings", report.warnings())
        )
    );
    Ok(())
}

/// The file as UTF-8 text.
pub(super) fn read_text(env: &Env, file: &Path, name: &str) -> Result<String, CliError> {
    let bytes = std::fs::read(file).map_err(|e| {
        CliError::input(
            Msg::new("err.read_file")
                .arg("path", file.display())
                .arg("detail", e),
            env.lang,
        )
    })?;
    String::from_utf8(bytes).map_err(|_| {
        CliError::Input(vec![format!(
            "{name}:1: -: {}",
            env.say(&Msg::new("csv.err.not_utf8"))
        )])
    })
}

/// At most [`MAX_PROBLEM_LINES`] of an import's `total` problem lines, then how many more
/// (a file with a thousand bad rows is refused in a screenful).
pub(super) fn first_problems(
    env: &Env,
    lines: impl Iterator<Item = String>,
    total: usize,
) -> Vec<String> {
    let mut out: Vec<String> = lines.take(MAX_PROBLEM_LINES).collect();
    if total > MAX_PROBLEM_LINES {
        out.push(env.say(&Msg::new("bounds.more_problems").arg("n", total - MAX_PROBLEM_LINES)));
    }
    out
}

/// The import refused: at most [`MAX_PROBLEM_LINES`] problems, then how many more.
fn refusal(env: &Env, name: &str, problems: &[report_csv::LineProblem]) -> CliError {
    let mut lines = first_problems(
        env,
        problems.iter().map(|p| {
            let column = quote(&p.column, QUOTE_MAX);
            format!("{name}:{}: {column}: {}", p.line, env.say(&p.msg))
        }),
        problems.len(),
    );
    let refused = env.say(&Msg::new("import.refused").arg("n", problems.len()));
    // a signed day is a lock, not a typo: exit 3 like every other locked record
    if problems.iter().any(|p| p.msg.key == "err.day_signed") {
        for l in &lines {
            eprintln!("{l}");
        }
        return CliError::Conflict(refused);
    }
    lines.push(refused);
    CliError::Input(lines)
}

/// Each row's warnings, and in a dry run what it would add or replace.
fn print_changes(env: &Env, name: &str, changes: &[reports::ImportChange], dry_run: bool) {
    for c in changes {
        for (f, w) in &c.warnings {
            println!(
                "{name}:{}: {}: {} {}",
                c.line,
                f.map_or("-", |f| f.as_str()),
                env.say(&Msg::new("import.warning")),
                env.say(w)
            );
        }
        if dry_run && c.outcome != SaveOutcome::Unchanged {
            let key = if c.outcome == SaveOutcome::New {
                "import.would_add"
            } else {
                "import.would_replace"
            };
            println!(
                "{name}:{}: {}",
                c.line,
                env.say(&Msg::new(key).arg("village", &c.village).arg("date", c.date))
            );
        }
    }
}

/// The day of `--date` (`text`), today in the town when none is given.
fn day(
    env: &Env,
    text: Option<&str>,
    offset: chrono::FixedOffset,
) -> Result<chrono::NaiveDate, CliError> {
    match text {
        None => Ok(local_date(env.clock.now(), offset)),
        Some(t) => super::date_arg(env, t, "--date"),
    }
}

/// `duty-desk report …`.
pub fn report(env: &Env, cmd: ReportCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    match cmd.action {
        Some(ReportAction::Sign { date, reason }) => {
            let date = day(
                env,
                date.as_deref().or(cmd.date.as_deref()),
                town.info.offset,
            )?;
            if date > local_date(env.clock.now(), town.info.offset) {
                return Err(CliError::input(
                    Msg::new("report.err.future").context("--date"),
                    env.lang,
                ));
            }
            store
                .write(&env.ctx(), |w| sign_day(w, date, reason.as_deref()))
                .map_err(|e| CliError::store(e, env.lang))?;
            println!(
                "{}",
                env.say(&Msg::new("report.signed_ok").arg("date", date))
            );
            Ok(())
        }
        Some(ReportAction::Note { date, text }) => {
            let date = day(
                env,
                date.as_deref().or(cmd.date.as_deref()),
                town.info.offset,
            )?;
            store
                .write(&env.ctx(), |w| reports::set_note(w, date, &text))
                .map_err(|e| CliError::store(e, env.lang))?;
            println!("{}", env.say(&Msg::new("daily.note_ok").arg("date", date)));
            Ok(())
        }
        Some(ReportAction::Reopen { date, reason }) => {
            let date = day(
                env,
                date.as_deref().or(cmd.date.as_deref()),
                town.info.offset,
            )?;
            store
                .write(&env.ctx(), |w| reopen_day(w, date, &reason))
                .map_err(|e| CliError::store(e, env.lang))?;
            println!(
                "{}",
                env.say(&Msg::new("report.reopened_ok").arg("date", date))
            );
            Ok(())
        }
        None if cmd.from.is_some() => range(env, &store, &town, &cmd),
        None => {
            let date = day(env, cmd.date.as_deref(), town.info.offset)?;
            let r = daily_report(store.conn(), &town, date)
                .map_err(|e| CliError::store(e, env.lang))?;
            let past =
                env.clock.now() > local_instant(date, town.info.report_cutoff, town.info.offset);
            let out = match cmd.format {
                ReportFormat::Json => {
                    // written as serialized, no tree of values first (issue 18)
                    let mut out = super::stream::Out::stdout();
                    out.put(|w| json::write_pretty(w, &json::report(&r, &town, env.lang, past)));
                    return out.finish();
                }
                ReportFormat::Csv => to_csv(&r),
                ReportFormat::Text => to_text(&r, &town, env.lang, past, false),
                ReportFormat::Md => to_text(&r, &town, env.lang, past, true),
            };
            print!("{out}");
            if !out.ends_with('\n') {
                println!();
            }
            Ok(())
        }
    }
}

/// `report --from D1 --to D2 --format csv|json`: streamed day by day (CSV in the import
/// format, JSON an array of day reports), so memory does not grow with the range.
fn range(
    env: &Env,
    store: &crate::store::Store,
    town: &crate::domain::town::Town,
    cmd: &ReportCmd,
) -> CliResult {
    let parse = |t: Option<&str>, flag: &str| super::date_arg(env, t.unwrap_or(""), flag);
    let from = parse(cmd.from.as_deref(), "--from")?;
    let to = parse(cmd.to.as_deref(), "--to")?;
    if to < from {
        return Err(CliError::input(
            Msg::new("daily.err.range.order")
                .arg("from", from)
                .arg("to", to)
                .context("--to"),
            env.lang,
        ));
    }
    let now = env.clock.now();
    // written as read (issue 18): one buffered stdout, a closed pipe ends it quietly
    let mut out = super::stream::Out::stdout();
    match cmd.format {
        ReportFormat::Csv => {
            if out.put(|w| writeln!(w, "{}", report_csv::HEADER)) {
                reports::for_each_row(store.conn(), from, to, |date, village, fig| {
                    out.step(|w| {
                        write!(w, "{date},{village}")?;
                        for v in fig.values {
                            match v {
                                Some(v) => write!(w, ",{v}")?,
                                None => w.write_all(b",")?,
                            }
                        }
                        w.write_all(b"\n")
                    })
                })
                .map_err(|e| CliError::store(e, env.lang))?;
            }
        }
        ReportFormat::Json => {
            let mut array = super::stream::JsonArray::new(true);
            reports::for_each_day(store.conn(), town, from, to, |r| {
                let past = now > local_instant(r.date, town.info.report_cutoff, town.info.offset);
                out.step(|w| array.push(w, &json::report(&r, town, env.lang, past)))
            })
            .map_err(|e| CliError::store(e, env.lang))?;
            out.put(|w| array.finish(w));
        }
        ReportFormat::Text | ReportFormat::Md => {
            return Err(CliError::input(
                Msg::new("daily.err.range.format").context("--format"),
                env.lang,
            ));
        }
    }
    out.finish()
}
