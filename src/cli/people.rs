//! `people import|list|show|contact|level|due|week`: the key-population register and
//! its call list (issue 15). Text masks names and phones and leaves conditions to
//! `people show`; JSON carries the whole record, as `transport list` does.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use clap::Subcommand;
use serde_json::json;

use super::args::ListFormat;
use super::reports::{first_problems, read_text};
use super::{CliError, CliResult, Env};
use crate::domain::people::{
    Level, Method, Outcome, csv as register, parse_week, week_label, week_of,
};
use crate::domain::privacy::{mask_name, mask_phone};
use crate::domain::text::layout::{pad, pad_left};
use crate::domain::text::{QUOTE_MAX, display, quote};
use crate::domain::time::{from_db, local_date, parse_date};
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::people::{self, Listed, NewContact};

/// `people` subcommands.
#[derive(Debug, Subcommand)]
pub enum PeopleCmd {
    /// Import a village register CSV
    /// `village,name,age,sex,phone,address,conditions,level,cadre,doctor`, all or nothing
    /// (shift lead); a known person (village + name + phone) is updated.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Check and say what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The register: names and phones masked (JSON whole).
    List {
        /// Only this village (code or name).
        #[arg(long, value_name = "V")]
        village: Option<String>,
        /// Only this level: red, yellow or green.
        #[arg(long, value_name = "L")]
        level: Option<String>,
        /// The retired too (marked; JSON `"retired": true`).
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// One person whole: phone, address, conditions, cadre, doctor, recent contacts.
    Show {
        /// The person's id.
        id: i64,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Record a call or visit (duty officers and up).
    Contact {
        /// The person's id.
        id: i64,
        /// phone or visit.
        #[arg(long, value_parser = ["phone", "visit"])]
        method: String,
        /// stable, worse, unreachable or referred.
        #[arg(long, value_parser = ["stable", "worse", "unreachable", "referred"])]
        outcome: String,
        /// Note.
        #[arg(long, value_name = "T")]
        note: Option<String>,
        /// When it happened: RFC 3339, or `YYYY-MM-DD HH:MM` in town time (default now).
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
    },
    /// Change a person's level, with a reason (shift lead).
    Level {
        /// The person's id.
        id: i64,
        /// red, yellow or green.
        #[arg(value_parser = ["red", "yellow", "green"])]
        level: String,
        /// Why.
        #[arg(long, value_name = "T")]
        reason: String,
    },
    /// Take a person off the register, with a reason (shift lead): gone from the call list
    /// and the weekly figures from this week on; history kept; a re-import brings them back.
    Retire {
        /// The person's id.
        id: i64,
        /// Why.
        #[arg(long, value_name = "T")]
        reason: String,
    },
    /// Who is due on a day (next due on or before it), overdue first within each village.
    Due {
        /// The day (YYYY-MM-DD, town calendar; default today).
        #[arg(long, value_name = "D")]
        date: Option<String>,
        /// Only this village (code or name).
        #[arg(long, value_name = "V")]
        village: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// The week's follow-up per village and level: people, required, done.
    Week {
        /// The ISO week `YYYY-Www` (default this week, town time).
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

impl PeopleCmd {
    /// True for the commands that only read.
    pub fn reads_only(&self) -> bool {
        matches!(
            self,
            PeopleCmd::List { .. }
                | PeopleCmd::Show { .. }
                | PeopleCmd::Due { .. }
                | PeopleCmd::Week { .. }
        )
    }

    /// The permission a command needs (`None` for reading).
    pub fn permission(&self) -> Option<crate::domain::roles::Permission> {
        use crate::domain::roles::Permission;
        match self {
            PeopleCmd::Import { .. } | PeopleCmd::Level { .. } | PeopleCmd::Retire { .. } => {
                Some(Permission::ManageRegister)
            }
            PeopleCmd::Contact { .. } => Some(Permission::RecordContact),
            _ => None,
        }
    }
}

/// `duty-desk people …`.
pub fn people(env: &Env, cmd: PeopleCmd) -> CliResult {
    match cmd {
        PeopleCmd::Import { file, dry_run } => import(env, &file, dry_run),
        PeopleCmd::List {
            village,
            level,
            all,
            format,
        } => list_cmd(env, (village, level, all), format),
        PeopleCmd::Due {
            date,
            village,
            format,
        } => due_cmd(env, date, village, format),
        PeopleCmd::Week { week, format } => week_cmd(env, week, format),
        PeopleCmd::Show { id, format } => show(env, id, format),
        PeopleCmd::Contact {
            id,
            method,
            outcome,
            note,
            at,
        } => contact(env, id, &method, &outcome, note, at),
        PeopleCmd::Level { id, level, reason } => level_cmd(env, id, &level, &reason),
        PeopleCmd::Retire { id, reason } => retire_cmd(env, id, &reason),
    }
}

/// `people list`: the register with each person's standing, filtered.
fn list_cmd(
    env: &Env,
    (village, level, all): (Option<String>, Option<String>, bool),
    format: ListFormat,
) -> CliResult {
    let (store, town) = env.open()?;
    let village = village_arg(env, &town, village.as_deref())?;
    let level = match level.as_deref() {
        None => None,
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            CliError::input(
                Msg::new("people.err.level")
                    .arg("value", quote(l, QUOTE_MAX))
                    .context("--level"),
                env.lang,
            )
        })?),
    };
    let today = local_date(env.clock.now(), town.info.offset);
    let rows: Vec<Listed> = people::standings_of(store.conn(), &town, today, all)
        .map_err(|e| CliError::store(e, env.lang))?
        .into_iter()
        .filter(|p| village.as_ref().is_none_or(|v| p.village == *v))
        .filter(|p| level.is_none_or(|l| p.level == l))
        .collect();
    print_list(env, &town, &rows, format)
}

/// `people due`: who is due for a contact on a day.
fn due_cmd(
    env: &Env,
    date: Option<String>,
    village: Option<String>,
    format: ListFormat,
) -> CliResult {
    let (store, town) = env.open()?;
    let village = village_arg(env, &town, village.as_deref())?;
    let date = match date.as_deref() {
        Some(d) => parse_date(d).ok_or_else(|| {
            CliError::input(
                Msg::new("err.bad_date")
                    .arg("value", quote(d, QUOTE_MAX))
                    .context("--date"),
                env.lang,
            )
        })?,
        None => local_date(env.clock.now(), town.info.offset),
    };
    let rows: Vec<Listed> = people::due(store.conn(), &town, date)
        .map_err(|e| CliError::store(e, env.lang))?
        .into_iter()
        .filter(|p| village.as_ref().is_none_or(|v| p.village == *v))
        .collect();
    print_list(env, &town, &rows, format)
}

/// `people week`: the week's follow-up per village and level.
fn week_cmd(env: &Env, week: Option<String>, format: ListFormat) -> CliResult {
    let (store, town) = env.open()?;
    let week = match week.as_deref() {
        Some(w) => parse_week(w).ok_or_else(|| {
            CliError::input(
                Msg::new("people.err.week")
                    .arg("value", quote(w, QUOTE_MAX))
                    .context("--week"),
                env.lang,
            )
        })?,
        None => week_of(local_date(env.clock.now(), town.info.offset)),
    };
    let rows = people::week(store.conn(), &town, week).map_err(|e| CliError::store(e, env.lang))?;
    match format {
        ListFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({"week": week_label(week), "villages": rows}))
                .unwrap_or_default()
        ),
        ListFormat::Text => {
            println!(
                "{}",
                env.say(&Msg::new("people.week_title").arg("week", week_label(week)))
            );
            println!(
                "{} {} {} {} {}",
                pad(env.lang.t("people.col.village"), 14),
                pad(env.lang.t("people.col.level"), 6),
                pad_left(env.lang.t("people.col.people"), 6),
                pad_left(env.lang.t("people.col.required"), 8),
                pad_left(env.lang.t("people.col.done"), 6),
            );
            for r in &rows {
                println!(
                    "{} {} {:>6} {:>8} {:>6}",
                    pad(&display(&town.place_name(&r.code, env.lang)), 14),
                    pad(env.lang.t(r.level.label_key()), 6),
                    r.people,
                    r.required,
                    r.done
                );
            }
        }
    }
    Ok(())
}

/// `people level`: changes a person's risk level.
fn level_cmd(env: &Env, id: i64, level: &str, reason: &str) -> CliResult {
    let (mut store, _town) = env.open()?;
    let level = Level::parse(level).unwrap_or(Level::Red);
    store
        .write(&env.ctx(), |w| people::change_level(w, id, level, reason))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!(
        "{}",
        env.say(
            &Msg::new("people.level_changed")
                .arg("id", id)
                .label("level", level.label_key())
        )
    );
    Ok(())
}

/// `people retire`: takes a person off the register, with a reason.
fn retire_cmd(env: &Env, id: i64, reason: &str) -> CliResult {
    let (mut store, town) = env.open()?;
    let p = store
        .write(&env.ctx(), |w| people::retire(w, &town, id, reason))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!(
        "{}",
        env.say(
            &Msg::new("people_isp.retired")
                .arg("id", id)
                .arg("name", display(&mask_name(&p.details.name)))
                .arg("reason", display(&crate::domain::text::entry(reason)))
        )
    );
    Ok(())
}

fn village_arg(env: &Env, town: &Town, v: Option<&str>) -> Result<Option<String>, CliError> {
    match v {
        None => Ok(None),
        Some(v) => town
            .village(v)
            .map(|x| Some(x.code.clone()))
            .ok_or_else(|| {
                CliError::input(
                    Msg::new("err.unknown_village")
                        .arg("value", quote(v, QUOTE_MAX))
                        .context("--village"),
                    env.lang,
                )
            }),
    }
}

fn print_list(env: &Env, town: &Town, rows: &[Listed], format: ListFormat) -> CliResult {
    let mut out = super::stream::Out::stdout();
    match format {
        ListFormat::Json => {
            out.put(|w| {
                writeln!(
                    w,
                    "{}",
                    serde_json::to_string_pretty(rows).unwrap_or_default()
                )
            });
        }
        ListFormat::Text => {
            let l = env.lang;
            let offset = crate::domain::time::format_offset(town.info.offset);
            out.put(|w| {
                writeln!(
                    w,
                    "{} {} {} {} {} {} {} {} {}",
                    pad(l.t("people.col.id"), 6),
                    pad(l.t("people.col.village"), 12),
                    pad(l.t("people.col.name"), 8),
                    pad_left(l.t("people.col.age"), 4),
                    pad(l.t("people.col.level"), 6),
                    pad(l.t("people.col.phone"), 13),
                    pad(&l.fmt("people.col.last", &[("offset", &offset)]), 22),
                    pad(l.t("people.col.next_due"), 12),
                    pad_left(l.t("people.col.week"), 5),
                )
            });
            for p in rows {
                let next = if p.retired {
                    l.t("people_isp.retired_mark").to_string()
                } else if p.overdue {
                    format!("{} !", p.next_due)
                } else {
                    p.next_due.to_string()
                };
                let ok = out.put(|w| {
                    writeln!(
                        w,
                        "#{:<5} {} {} {:>4} {} {} {} {} {:>5}",
                        p.id,
                        pad(&display(&town.place_name(&p.village, l)), 12),
                        pad(&display(&mask_name(&p.name)), 8),
                        p.age,
                        pad(l.t(p.level.label_key()), 6),
                        pad(&display(&mask_phone(&p.phone)), 13),
                        pad(
                            &p.last_contact
                                .as_deref()
                                .map_or("-".to_string(), |t| super::town_time(t, town)),
                            22
                        ),
                        pad(&next, 12),
                        format!("{}/{}", p.contacts_this_week, p.required_per_week),
                    )
                });
                if !ok {
                    break;
                }
            }
            if rows.is_empty() {
                out.put(|w| writeln!(w, "{}", l.t("people.none")));
            }
        }
    }
    out.finish()
}

fn show(env: &Env, id: i64, format: ListFormat) -> CliResult {
    let (store, town) = env.open()?;
    let fail = |e| CliError::store(e, env.lang);
    let row = people::person(store.conn(), id)
        .map_err(fail)?
        .ok_or_else(|| CliError::input(Msg::new("people.err.unknown").arg("id", id), env.lang))?;
    let p = &row.details;
    let today = local_date(env.clock.now(), town.info.offset);
    let listed = people::standing_of(store.conn(), &town, today, id).map_err(fail)?;
    let contacts = people::contacts_of(store.conn(), id, 20).map_err(fail)?;
    let retired = people::retirement(store.conn(), id).map_err(fail)?;
    match format {
        ListFormat::Json => {
            let v = json!({
                "id": row.id, "village": p.village, "name": p.name, "age": p.age,
                "sex": p.sex.map(|s| s.as_str()), "phone": p.phone, "address": p.address,
                "conditions": p.conditions, "level": p.level, "cadre": p.cadre,
                "doctor": p.doctor, "imported_on": row.imported_on,
                "last_contact": listed.as_ref().and_then(|l| l.last_contact.clone()),
                "next_due": listed.as_ref().map(|l| l.next_due),
                "overdue": listed.as_ref().map(|l| l.overdue),
                "contacts_this_week": listed.as_ref().map(|l| l.contacts_this_week),
                "required_per_week": listed.as_ref().map(|l| l.required_per_week),
                "contacts": contacts,
                "retired": retired.as_ref().map(|(on, reason)| json!({"on": on, "reason": reason})),
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        ListFormat::Text => {
            let l = env.lang;
            let line = |key: &str, value: &str| println!("{}: {}", l.t(key), display(value));
            println!("#{} {}", row.id, display(&p.name));
            line("people.col.village", &town.place_name(&p.village, l));
            line("people.col.age", &p.age.to_string());
            line("people.col.sex", p.sex.map_or("-", |s| l.t(s.label_key())));
            line("people.col.level", l.t(p.level.label_key()));
            line("people.col.phone", &p.phone);
            line("people.col.address", &p.address);
            line("people.col.conditions", &p.conditions);
            line("people.col.cadre", &p.cadre);
            line("people.col.doctor", &p.doctor);
            if let Some((on, reason)) = &retired {
                let said = l.fmt("people_isp.retired_on", &[("on", on), ("reason", reason)]);
                println!("{}", display(&said));
            }
            if let Some(s) = &listed {
                let next = if s.overdue {
                    format!("{} ({})", s.next_due, l.t("people.overdue"))
                } else {
                    s.next_due.to_string()
                };
                line("people.col.next_due", &next);
                line(
                    "people.col.week",
                    &format!("{}/{}", s.contacts_this_week, s.required_per_week),
                );
            }
            println!("{}", l.t("people.contacts"));
            for c in &contacts {
                let method = Method::parse(&c.method).map_or("-", |m| l.t(m.label_key()));
                let outcome = Outcome::parse(&c.outcome).map_or("-", |o| l.t(o.label_key()));
                println!(
                    "  {} {} {} {} {}",
                    super::town_time(&c.at, &town),
                    method,
                    outcome,
                    display(&c.operator),
                    display(&c.note)
                );
            }
        }
    }
    Ok(())
}

/// Reads `--at`: RFC 3339, or a town-local `YYYY-MM-DD HH:MM` (or `T` between).
fn at_arg(env: &Env, town: &Town, s: &str) -> Result<DateTime<Utc>, CliError> {
    if let Some(t) = from_db(s.trim()) {
        return Ok(t);
    }
    let local = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s.trim(), f).ok());
    match local {
        Some(t) if crate::domain::time::date_in_range(t.date()) => Ok(
            crate::domain::time::local_instant(t.date(), t.time(), town.info.offset),
        ),
        _ => Err(CliError::input(
            Msg::new("people.err.at")
                .arg("value", quote(s, QUOTE_MAX))
                .context("--at"),
            env.lang,
        )),
    }
}

fn contact(
    env: &Env,
    id: i64,
    method: &str,
    outcome: &str,
    note: Option<String>,
    at: Option<String>,
) -> CliResult {
    let (mut store, town) = env.open()?;
    let at = at.as_deref().map(|s| at_arg(env, &town, s)).transpose()?;
    let c = NewContact {
        person: id,
        method: Method::parse(method).unwrap_or(Method::Phone),
        outcome: Outcome::parse(outcome).unwrap_or(Outcome::Stable),
        note: note.unwrap_or_default(),
        at,
        lang: env.lang,
    };
    let done = store
        .write(&env.ctx(), |w| people::record_contact(w, &town, &c))
        .map_err(|e| CliError::store(e, env.lang))?;
    let (id, p) = (done.person.id, &done.person.details);
    println!(
        "{}",
        env.say(
            &Msg::new("people.contact_recorded")
                .arg("contact", done.id)
                .arg("id", id)
                .arg("name", display(&mask_name(&p.name)))
                .label("outcome", c.outcome.label_key())
        )
    );
    if let Some(e) = done.concern {
        println!(
            "{}",
            env.say(&Msg::new("people.concern_raised").arg("id", e))
        );
    }
    // the console opens these forms itself; the command line says what to run
    match c.outcome {
        Outcome::Worse => println!(
            "{}",
            env.say(
                &Msg::new("people.hint.worse")
                    .arg("village", &p.village)
                    .arg("name", shell_word(&p.name))
                    .arg("age", p.age)
                    .arg(
                        "to",
                        town.village(&p.village)
                            .map_or("HC", |v| v.health_center.as_str())
                    )
            )
        ),
        Outcome::Referred => println!(
            "{}",
            env.say(
                &Msg::new("people.hint.referred")
                    .arg("village", &p.village)
                    .arg("id", id)
            )
        ),
        _ => {}
    }
    Ok(())
}

/// A value quoted for a shell command line the operator may copy.
fn shell_word(s: &str) -> String {
    let s = display(s);
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn import(env: &Env, file: &Path, dry_run: bool) -> CliResult {
    let name = display(&file.display().to_string()).into_owned();
    let text = read_text(env, file, &name)?;
    let (mut store, town) = env.open()?;
    let village = |s: &str| town.village(s).map(|v| v.code.clone());
    let rows = register::parse(&text, &village).map_err(|problems| {
        let mut lines = first_problems(
            env,
            problems
                .iter()
                .map(|p| format!("{name}:{}: {}: {}", p.line, p.column, env.say(&p.msg))),
            problems.len(),
        );
        lines.push(env.say(&Msg::new("import.refused").arg("n", problems.len())));
        CliError::Input(lines)
    })?;
    let sum = store
        .write_or_rollback(&env.ctx(), |w| {
            Ok((people::import(w, &town, &rows)?, !dry_run))
        })
        .map_err(|e| CliError::store(e, env.lang))?;
    let key = if dry_run {
        "people.import_dry_run"
    } else {
        "people.imported"
    };
    println!(
        "{}",
        env.say(
            &Msg::new(key)
                .arg("new", sum.new)
                .arg("updated", sum.updated)
                .arg("unchanged", sum.unchanged)
        )
    );
    if sum.restored > 0 {
        println!(
            "{}",
            env.say(&Msg::new("people_isp.restored").arg("n", sum.restored))
        );
    }
    if sum.demo_retired > 0 {
        println!(
            "{}",
            env.say(&Msg::new("people.demo_retired").arg("n", sum.demo_retired))
        );
    }
    Ok(())
}
