//! `county report --dir DIR [--date D] [--format md|csv|json]`: the county desk's roll-up
//! of the towns' `report --format json` files. It reads files only, never a database.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::{CliError, CliResult, Env};
use crate::domain::county::{self, FIGURES, Rollup, TownReport, ratio};
use crate::domain::text::layout::{num, percent};
use crate::domain::text::{display, display_md};
use crate::i18n::{Lang, Msg};

/// Output formats of the county roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CountyFormat {
    /// Markdown.
    #[default]
    Md,
    /// CSV, a row per town (missing ones too) and a total row.
    Csv,
    /// JSON.
    Json,
}

/// `county` subcommands.
#[derive(Debug, Subcommand)]
pub enum CountyCmd {
    /// Roll up the towns' daily reports (`report --format json` files in DIR).
    Report {
        /// The directory of the towns' JSON reports; an optional `county.toml` there
        /// (`towns = ["…"]`) names the towns expected.
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The day (default: the newest day any file reports).
        #[arg(long, value_name = "D")]
        date: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: CountyFormat,
    },
}

fn bad(env: &Env, path: &Path, msg: Msg) -> CliError {
    let name = display(&path.display().to_string()).into_owned();
    CliError::Input(vec![format!("{name}: {}", env.say(&msg))])
}

/// Every `*.json` in `dir`, in name order, parsed.
fn read_dir(env: &Env, dir: &Path) -> Result<Vec<(PathBuf, serde_json::Value)>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        bad(
            env,
            dir,
            Msg::new("err.read_file")
                .arg("path", dir.display())
                .arg("detail", e),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for p in paths {
        let text = std::fs::read(&p).map_err(|e| {
            bad(
                env,
                &p,
                Msg::new("err.read_file")
                    .arg("path", p.display())
                    .arg("detail", e),
            )
        })?;
        let v: serde_json::Value = serde_json::from_slice(&text)
            .map_err(|e| bad(env, &p, Msg::new("county.err.not_json").arg("detail", e)))?;
        out.push((p, v));
    }
    Ok(out)
}

/// The towns the county waits for: `county.toml`'s `towns`, else every town in the files.
fn expected(
    env: &Env,
    dir: &Path,
    files: &[(PathBuf, serde_json::Value)],
) -> Result<Vec<String>, CliError> {
    let roster = dir.join("county.toml");
    if roster.exists() {
        let text = std::fs::read_to_string(&roster).map_err(|e| {
            bad(
                env,
                &roster,
                Msg::new("err.read_file")
                    .arg("path", roster.display())
                    .arg("detail", e),
            )
        })?;
        let t: toml::Table = toml::from_str(&text).map_err(|e| {
            bad(
                env,
                &roster,
                Msg::new("county.err.roster").arg("detail", e.message()),
            )
        })?;
        let towns = t.get("towns").and_then(|v| v.as_array()).ok_or_else(|| {
            bad(
                env,
                &roster,
                Msg::new("county.err.roster").arg("detail", "towns = [\"…\"]"),
            )
        })?;
        return Ok(towns
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect());
    }
    let mut names = Vec::new();
    for (_, v) in files {
        let days: Vec<&serde_json::Value> = match v.as_array() {
            Some(a) => a.iter().collect(),
            None => vec![v],
        };
        for d in days {
            if let Some(t) = d.get("town").and_then(|t| t.as_str()) {
                names.push(t.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

fn newest_date(files: &[(PathBuf, serde_json::Value)]) -> Option<String> {
    files
        .iter()
        .flat_map(|(_, v)| match v.as_array() {
            Some(a) => a.iter().collect::<Vec<_>>(),
            None => vec![v],
        })
        .filter_map(|d| d.get("date").and_then(|x| x.as_str()))
        .filter(|d| crate::domain::time::parse_date(d).is_some())
        .max()
        .map(str::to_string)
}

/// `duty-desk county report …`.
pub fn county(env: &Env, cmd: CountyCmd) -> CliResult {
    let CountyCmd::Report { dir, date, format } = cmd;
    let files = read_dir(env, &dir)?;
    let date = match date {
        Some(d) => super::date_arg(env, &d, "--date")?.to_string(),
        None => newest_date(&files).ok_or_else(|| bad(env, &dir, Msg::new("county.err.empty")))?,
    };
    let mut towns: Vec<TownReport> = Vec::new();
    for (p, v) in &files {
        let file = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        match county::read(v, &file, &date) {
            Ok(Some(t)) => towns.push(t),
            Ok(None) => {}
            Err(county::NotAReport::Field(f)) => {
                return Err(bad(
                    env,
                    p,
                    Msg::new("county.err.not_report").arg("field", f),
                ));
            }
        }
    }
    let expected = expected(env, &dir, &files)?;
    let r = Rollup::new(&date, towns, &expected);
    let out = match format {
        CountyFormat::Json => {
            let mut s = serde_json::to_string_pretty(&r.to_json()).unwrap_or_default();
            s.push('\n');
            s
        }
        CountyFormat::Csv => to_csv(&r),
        CountyFormat::Md => to_md(&r, env.lang),
    };
    print!("{out}");
    Ok(())
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn ratio_cell(f: &[Option<i64>; 9]) -> String {
    ratio(f).map(|r| format!("{r:.6}")).unwrap_or_default()
}

fn to_csv(r: &Rollup) -> String {
    let mut o = String::from("date,town,status,villages_expected,villages_reported");
    for k in FIGURES {
        o.push(',');
        o.push_str(k);
    }
    o.push_str(",infection_ratio\n");
    let cells = |f: &[Option<i64>; 9]| -> String {
        f.iter()
            .map(|v| v.map(|x| x.to_string()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(",")
    };
    for t in &r.towns {
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{}",
            r.date,
            csv_cell(&t.town),
            if t.signed { "signed" } else { "draft" },
            t.villages_expected,
            t.villages_reported,
            cells(&t.figures),
            ratio_cell(&t.figures)
        );
    }
    for m in &r.missing {
        let _ = writeln!(
            o,
            "{},{},missing,,,{},",
            r.date,
            csv_cell(m),
            cells(&[None; 9])
        );
    }
    let _ = writeln!(
        o,
        "{},,total,,,{},{}",
        r.date,
        cells(&r.totals),
        ratio_cell(&r.totals)
    );
    o
}

fn to_md(r: &Rollup, lang: Lang) -> String {
    let mut o = String::new();
    md_head(&mut o, r, lang);
    md_table(&mut o, r, lang);
    let reasons: Vec<&TownReport> = r
        .towns
        .iter()
        .filter(|t| t.missing_reason.is_some())
        .collect();
    if !reasons.is_empty() {
        let _ = writeln!(o, "\n## {}\n", lang.t("county.reasons"));
        for t in reasons {
            let _ = writeln!(
                o,
                "- {}: {}",
                display_md(&t.town),
                display_md(t.missing_reason.as_deref().unwrap_or(""))
            );
        }
    }
    o
}

/// The title, how many towns reported, and which are missing or unsigned.
fn md_head(o: &mut String, r: &Rollup, lang: Lang) {
    let _ = writeln!(o, "# {}\n", lang.fmt("county.title", &[("date", &r.date)]));
    let _ = writeln!(
        o,
        "{}\n",
        lang.fmt(
            "county.reported",
            &[
                ("n", &r.towns.len().to_string()),
                ("expected", &(r.towns.len() + r.missing.len()).to_string()),
            ]
        )
    );
    let list = |v: Vec<&str>| -> String {
        v.iter()
            .map(|s| display_md(s))
            .collect::<Vec<_>>()
            .join(lang.t("export.list_sep"))
    };
    if !r.missing.is_empty() {
        let missing = list(r.missing.iter().map(String::as_str).collect());
        let _ = writeln!(o, "- {}", lang.fmt("county.missing", &[("list", &missing)]));
    }
    if !r.unsigned().is_empty() {
        let _ = writeln!(
            o,
            "- {}",
            lang.fmt("county.unsigned", &[("list", &list(r.unsigned()))])
        );
    }
    if !r.missing.is_empty() || !r.unsigned().is_empty() {
        o.push('\n');
    }
}

/// The table: a row per town, one per missing town, the totals.
fn md_table(o: &mut String, r: &Rollup, lang: Lang) {
    let mut head = vec![
        lang.t("county.town").to_string(),
        lang.t("county.status").to_string(),
        lang.t("county.villages").to_string(),
    ];
    head.extend((0..FIGURES.len()).map(|i| lang.t(county::label_key(i)).to_string()));
    head.push(lang.t("county.ratio").to_string());
    let _ = writeln!(o, "| {} |", head.join(" | "));
    let _ = writeln!(o, "|---|---|---:|{}---:|", "---:|".repeat(FIGURES.len()));
    for t in &r.towns {
        let status = if t.signed {
            "county.signed"
        } else {
            "county.draft"
        };
        let mut cells = vec![
            display_md(&t.town),
            lang.t(status).to_string(),
            format!("{}/{}", t.villages_reported, t.villages_expected),
        ];
        cells.extend(t.figures.iter().map(|v| num(*v)));
        cells.push(percent(ratio(&t.figures)));
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    for m in &r.missing {
        let mut cells = vec![
            display_md(m),
            lang.t("county.missing_status").to_string(),
            String::new(),
        ];
        cells.extend(std::iter::repeat_n(String::new(), FIGURES.len() + 1));
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    let mut cells = vec![
        format!("**{}**", lang.t("county.total")),
        String::new(),
        String::new(),
    ];
    cells.extend(r.totals.iter().map(|v| num(*v)));
    cells.push(percent(r.infection_ratio()));
    let _ = writeln!(o, "| {} |", cells.join(" | "));
}
