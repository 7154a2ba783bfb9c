//! `import reports`, `report`, `report sign`, `report reopen`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::args::{ReportAction, ReportCmd, ReportFormat};
use super::{CliError, CliResult, Env};
use crate::domain::report::{Field, change};
use crate::domain::report_csv;
use crate::domain::time::{local_date, local_instant, parse_date};
use crate::i18n::{Lang, Msg};
use crate::store::reports::{
    self, DailyReport, ImportOptions, SaveOutcome, daily_report, reopen_day, sign_day,
};

/// `duty-desk import reports FILE.csv [--dry-run] [--replace]`.
pub fn import(env: &Env, file: &Path, dry_run: bool, replace: bool) -> CliResult {
    let bytes = std::fs::read(file).map_err(|e| {
        CliError::input(
            Msg::new("err.read_file")
                .arg("path", file.display())
                .arg("detail", e),
            env.lang,
        )
    })?;
    let name = file.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::Input(vec![format!(
            "{name}:1: -: {}",
            env.say(&Msg::new("csv.err.not_utf8"))
        )])
    })?;
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
        let mut lines: Vec<String> = report
            .problems
            .iter()
            .map(|p| format!("{name}:{}: {}: {}", p.line, p.column, env.say(&p.msg)))
            .collect();
        let refused = env.say(&Msg::new("import.refused").arg("n", report.problems.len()));
        // a signed day is a lock, not a typo: exit 3 like every other locked record
        if report
            .problems
            .iter()
            .any(|p| p.msg.key == "err.day_signed")
        {
            for l in &lines {
                eprintln!("{l}");
            }
            return Err(CliError::Conflict(refused));
        }
        lines.push(refused);
        return Err(CliError::Input(lines));
    }
    for c in &report.changes {
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

fn day(
    env: &Env,
    text: Option<&str>,
    offset: chrono::FixedOffset,
) -> Result<chrono::NaiveDate, CliError> {
    match text {
        None => Ok(local_date(env.clock.now(), offset)),
        Some(t) => parse_date(t).ok_or_else(|| {
            CliError::input(
                Msg::new("err.bad_date").arg("value", t).context("--date"),
                env.lang,
            )
        }),
    }
}

/// `duty-desk report …`.
pub fn report(env: &Env, cmd: ReportCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    match cmd.action {
        Some(ReportAction::Sign { date }) => {
            let date = day(
                env,
                date.as_deref().or(cmd.date.as_deref()),
                town.info.offset,
            )?;
            store
                .write(&env.ctx(), |w| sign_day(w, date))
                .map_err(|e| CliError::store(e, env.lang))?;
            println!(
                "{}",
                env.say(&Msg::new("report.signed_ok").arg("date", date))
            );
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
        None => {
            let date = day(env, cmd.date.as_deref(), town.info.offset)?;
            let r = daily_report(store.conn(), &town, date)
                .map_err(|e| CliError::store(e, env.lang))?;
            let past =
                env.clock.now() > local_instant(date, town.info.report_cutoff, town.info.offset);
            let out = match cmd.format {
                ReportFormat::Json => {
                    serde_json::to_string_pretty(&to_json(&r, &town, env.lang, past))
                        .unwrap_or_default()
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

fn figures_map(get: impl Fn(Field) -> Option<i64>) -> Map<String, Value> {
    let mut m = Map::new();
    for f in Field::ALL {
        m.insert(f.as_str().into(), json!(get(f)));
    }
    m
}

fn ratio(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |r| {
        json!((r * 1_000_000.0).round() / 1_000_000.0)
    })
}

/// The report as the JSON contract of DESIGN.md (`past_cutoff`: the missing are late).
pub fn to_json(
    r: &DailyReport,
    town: &crate::store::town::Town,
    lang: Lang,
    past_cutoff: bool,
) -> Value {
    let mut totals = figures_map(|f| r.totals.get(f));
    totals.insert("population".into(), json!(r.population));
    totals.insert("infection_ratio".into(), ratio(r.totals.infection_ratio()));
    let mut ch = figures_map(|f| change(&r.totals, &r.before, f));
    ch.insert("population".into(), json!(0));
    ch.insert(
        "infection_ratio".into(),
        match (r.totals.infection_ratio(), r.before.infection_ratio()) {
            (Some(a), Some(b)) => ratio(Some(a - b)),
            _ => Value::Null,
        },
    );
    let villages: Vec<Value> = r
        .rows
        .iter()
        .map(|(v, row)| {
            let mut m = figures_map(|f| row.as_ref().and_then(|x| x.figures.get(f)));
            m.insert("code".into(), json!(v.code));
            m.insert("name".into(), json!(town.place_name(&v.code, lang)));
            m.insert("population".into(), json!(v.population));
            m.insert("reported".into(), json!(row.is_some()));
            m.insert("late".into(), json!(row.as_ref().is_some_and(|x| x.late)));
            m.insert(
                "warnings".into(),
                json!(row
                    .as_ref()
                    .map(|x| x
                        .warnings
                        .iter()
                        .map(|(f, w)| json!({"field": f.map(|f| f.as_str()), "message": w.render(lang)}))
                        .collect::<Vec<_>>())
                    .unwrap_or_default()),
            );
            Value::Object(m)
        })
        .collect();
    json!({
        "date": r.date.to_string(),
        "town": town.name(lang),
        "status": if r.signed() { "signed" } else { "draft" },
        "villages_expected": r.rows.len(),
        "villages_reported": r.rows.iter().filter(|(_, x)| x.is_some()).count(),
        "missing": r.missing(),
        "cutoff": town.info.report_cutoff.format("%H:%M").to_string(),
        "missing_late": past_cutoff && !r.missing().is_empty(),
        "totals": totals,
        "change": ch,
        "week": {
            "emergency_visits": r.week.get(Field::EmergencyVisits),
            "referrals": r.week.get(Field::Referrals),
        },
        "villages": villages,
    })
}

fn to_csv(r: &DailyReport) -> String {
    let mut out = String::from(report_csv::HEADER);
    out.push('\n');
    for (v, row) in &r.rows {
        let Some(row) = row else { continue };
        let _ = write!(out, "{},{}", r.date, v.code);
        for f in Field::ALL {
            let _ = write!(
                out,
                ",{}",
                row.figures
                    .get(f)
                    .map(|x| x.to_string())
                    .unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out
}

fn n(v: Option<i64>) -> String {
    crate::ui::widgets::num(v)
}

fn to_text(
    r: &DailyReport,
    town: &crate::store::town::Town,
    lang: Lang,
    past_cutoff: bool,
    md: bool,
) -> String {
    let mut o = String::new();
    let title = lang.fmt(
        "export.title",
        &[("town", town.name(lang)), ("date", &r.date.to_string())],
    );
    let status = if r.signed() {
        lang.fmt(
            "export.signed",
            &[("name", r.sign.as_ref().map(|s| s.by.as_str()).unwrap_or(""))],
        )
    } else {
        lang.t("export.draft").to_string()
    };
    if md {
        let _ = writeln!(o, "# {title}\n\n*{status}*\n");
    } else {
        let _ = writeln!(o, "{title}\n{status}\n");
    }
    let reported = r.rows.iter().filter(|(_, x)| x.is_some()).count();
    let _ = writeln!(
        o,
        "{}",
        lang.fmt(
            "export.completeness",
            &[
                ("reported", &reported.to_string()),
                ("expected", &r.rows.len().to_string())
            ]
        )
    );
    let missing: Vec<String> = r
        .missing()
        .iter()
        .map(|c| format!("{} {}", c, town.place_name(c, lang)))
        .collect();
    if !missing.is_empty() {
        let cutoff = town.info.report_cutoff.format("%H:%M").to_string();
        let key = if past_cutoff {
            "export.missing_late"
        } else {
            "export.missing"
        };
        let _ = writeln!(
            o,
            "{}",
            lang.fmt(key, &[("list", &missing.join(", ")), ("cutoff", &cutoff)])
        );
    }
    o.push('\n');
    if md {
        let _ = writeln!(o, "## {}\n", lang.t("export.headline"));
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            lang.t("export.figure"),
            lang.t("export.value"),
            lang.t("export.change")
        );
        let _ = writeln!(o, "|---|---:|---:|");
    } else {
        let _ = writeln!(o, "{}", lang.t("export.headline"));
    }
    for f in Field::ALL {
        let label = lang.t(f.label_key());
        let v = n(r.totals.get(f));
        let c = crate::ui::widgets::change(change(&r.totals, &r.before, f));
        if md {
            let _ = writeln!(o, "| {label} | {v} | {c} |");
        } else {
            let _ = writeln!(
                o,
                "  {} {:>8} {:>8}",
                crate::ui::widgets::pad(label, 24),
                v,
                c
            );
        }
    }
    let ratio = crate::ui::widgets::percent(r.totals.infection_ratio());
    let label = lang.t("overview.infection_ratio");
    if md {
        let _ = writeln!(o, "| {label} | {ratio} | |");
    } else {
        let _ = writeln!(o, "  {} {:>8}", crate::ui::widgets::pad(label, 24), ratio);
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "{}",
        lang.fmt(
            "export.week",
            &[
                ("emergency", &n(r.week.get(Field::EmergencyVisits))),
                ("referrals", &n(r.week.get(Field::Referrals))),
            ]
        )
    );
    let warnings: Vec<String> = r
        .rows
        .iter()
        .filter_map(|(v, row)| row.as_ref().map(|x| (v, x)))
        .flat_map(|(v, x)| {
            x.warnings.iter().map(move |(f, w)| {
                format!(
                    "{} {}: {}",
                    v.code,
                    f.map_or("-", |f| f.as_str()),
                    w.render(lang)
                )
            })
        })
        .collect();
    if !warnings.is_empty() {
        o.push('\n');
        let _ = writeln!(
            o,
            "{}{}",
            if md { "## " } else { "" },
            lang.t("export.warnings")
        );
        if md {
            o.push('\n');
        }
        for w in warnings {
            let _ = writeln!(o, "{}{w}", if md { "- " } else { "  " });
        }
    }
    o.push('\n');
    let heads: Vec<&str> = Field::ALL.iter().map(|f| lang.t(f.short_key())).collect();
    if md {
        let _ = writeln!(o, "## {}\n", lang.t("export.villages"));
        let _ = writeln!(
            o,
            "| {} | {} |",
            lang.t("report.col_village"),
            heads.join(" | ")
        );
        let _ = writeln!(o, "|---|{}", "---:|".repeat(heads.len()));
    } else {
        let _ = writeln!(o, "{}", lang.t("export.villages"));
        let mut line = format!(
            "  {}",
            crate::ui::widgets::pad(lang.t("report.col_village"), 22)
        );
        for h in &heads {
            line.push_str(&crate::ui::widgets::pad_left(h, 8));
        }
        let _ = writeln!(o, "{line}");
    }
    for (v, row) in &r.rows {
        let name = format!("{} {}", v.code, town.place_name(&v.code, lang));
        let cells: Vec<String> = Field::ALL
            .iter()
            .map(|f| match row {
                Some(x) => n(x.figures.get(*f)),
                None => String::new(),
            })
            .collect();
        let tail = match row {
            None if past_cutoff => lang.t("report.missing_late"),
            None => lang.t("report.missing"),
            Some(x) if x.late => lang.t("report.late"),
            Some(_) => "",
        };
        if md {
            let _ = writeln!(o, "| {name} {tail} | {} |", cells.join(" | "));
        } else {
            let mut line = format!("  {}", crate::ui::widgets::pad(&name, 22));
            for c in &cells {
                line.push_str(&crate::ui::widgets::pad_left(c, 8));
            }
            let _ = writeln!(o, "{line} {tail}");
        }
    }
    o
}
