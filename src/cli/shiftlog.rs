//! `log …` and `handover …`: the shift log and the 24-hour handover from the command line.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::handover_doc::{DocCtx, markdown};
use crate::domain::shift::LogCategory;
use crate::domain::shift::LogRow;
use crate::domain::text::layout::{day_time_db, pad, pad_left};
use crate::domain::time::to_db;
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::handover::{self, Filed};
use crate::store::shiftlog;
use crate::store::{Store, StoreError};

/// Which shift a reading command looks at (the current one by default).
#[derive(Debug, Args, Clone, Default)]
pub struct ShiftPick {
    /// Any instant in the shift (RFC 3339), e.g. its start.
    #[arg(long, value_name = "START", conflicts_with = "date")]
    pub shift: Option<String>,
    /// The shift that starts on this day (YYYY-MM-DD, the town's calendar).
    #[arg(long, value_name = "D")]
    pub date: Option<String>,
}

/// `log` subcommands.
#[derive(Debug, Subcommand)]
pub enum LogCmd {
    /// Add a manual entry to the current shift's log; prints its id.
    Add {
        /// The entry.
        text: String,
        /// call, dispatch, report, escalation or note.
        #[arg(long, default_value = "note", value_name = "C")]
        category: String,
    },
    /// The shift's log.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
        /// Which shift.
        #[command(flatten)]
        pick: ShiftPick,
    },
    /// Add an amendment linked to an entry (the only change a signed shift accepts).
    Amend {
        /// The entry amended.
        id: i64,
        /// The amendment.
        text: String,
    },
    /// Change an entry's text (refused once the shift is handed over).
    Edit {
        /// The entry.
        id: i64,
        /// The new text.
        text: String,
    },
}

/// Output formats of the handover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum HandoverFormat {
    /// Markdown, as filed or sent.
    #[default]
    Md,
    /// JSON.
    Json,
}

/// `handover` subcommands.
#[derive(Debug, Subcommand)]
pub enum HandoverCmd {
    /// Print the shift's handover (compiled live until signed, frozen after).
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: HandoverFormat,
        /// Which shift.
        #[command(flatten)]
        pick: ShiftPick,
        /// Print patients' names whole (masked by default: 张*明).
        #[arg(long)]
        with_names: bool,
    },
    /// The incoming person signs the open shift over; it becomes read-only. The operator
    /// is the incoming person.
    Sign {
        /// The incoming person; if given, it must name the operator (`--operator`).
        #[arg(long, value_name = "NAME")]
        incoming: Option<String>,
    },
    /// Set the outgoing team's notes for the current shift's handover.
    Notes {
        /// The notes.
        text: String,
    },
}

fn store_err(env: &Env) -> impl Fn(StoreError) -> CliError + '_ {
    move |e| CliError::store(e, env.lang)
}

/// The shift a command looks at: `--shift`, `--date`, or the current one.
fn pick_shift(
    env: &Env,
    store: &Store,
    town: &Town,
    pick: &ShiftPick,
) -> Result<DateTime<Utc>, CliError> {
    if let Some(s) = &pick.shift {
        let t = DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .filter(|t| crate::domain::time::date_in_range(t.date_naive()))
            .ok_or_else(|| {
                CliError::input(
                    Msg::new("err.bad_instant")
                        .quoted("value", s)
                        .context("--shift"),
                    env.lang,
                )
            })?;
        return Ok(town.shift_containing(t.with_timezone(&Utc)));
    }
    if let Some(d) = &pick.date {
        let date = super::date_arg(env, d, "--date")?;
        return Ok(town.shift_on(date));
    }
    shiftlog::current_shift_start(store.conn(), env.clock.now()).map_err(store_err(env))
}

fn entry_json(e: &LogRow, env: &Env, town: &Town) -> Value {
    json!({
        "id": e.id,
        "at": e.at,
        "category": e.category.as_str(),
        "author": e.author,
        "text": e.text_for(env.lang, town),
        "amends": e.amends,
        "automatic": e.auto_msg.is_some(),
    })
}

/// `duty-desk log …`.
pub fn log(env: &Env, cmd: LogCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    match cmd {
        LogCmd::Add { text, category } => {
            let cat = LogCategory::parse(&category).ok_or_else(|| {
                CliError::input(
                    Msg::new("err.bad_category")
                        .quoted("value", &category)
                        .context("--category"),
                    env.lang,
                )
            })?;
            let id = store
                .write(&env.ctx(), |w| shiftlog::add_entry(w, cat, &text))
                .map_err(store_err(env))?;
            println!("{id}");
        }
        LogCmd::Amend { id, text } => {
            let new = store
                .write(&env.ctx(), |w| shiftlog::amend_entry(w, id, &text))
                .map_err(store_err(env))?;
            println!("{new}");
        }
        LogCmd::Edit { id, text } => {
            store
                .write(&env.ctx(), |w| shiftlog::edit_entry(w, id, &text))
                .map_err(store_err(env))?;
            println!("{}", env.say(&Msg::new("status.log_edited").arg("id", id)));
        }
        LogCmd::List { format, pick } => return list_log(env, &store, &town, format, &pick),
    }
    Ok(())
}

/// `duty-desk log list`: a shift's entries, written as read (issue 18), text with a header
/// row whose time column is named with the town's offset (issue 19).
fn list_log(
    env: &Env,
    store: &Store,
    town: &Town,
    format: ListFormat,
    pick: &ShiftPick,
) -> CliResult {
    let shift = pick_shift(env, store, town, pick)?;
    let mut out = super::stream::Out::stdout();
    let mut json = super::stream::JsonArray::new(true);
    let offset = crate::domain::time::format_offset(town.info.offset);
    let time_title = env.lang.fmt("cli_text.time", &[("offset", &offset)]);
    let time_w = unicode_width::UnicodeWidthStr::width(time_title.as_str()).max(11);
    let mut header = true;
    shiftlog::each_entry(store.conn(), shift, |e| match format {
        ListFormat::Json => out.put(|w| json.push(w, &entry_json(&e, env, town))),
        ListFormat::Text => {
            if std::mem::take(&mut header)
                && !out.put(|w| {
                    writeln!(
                        w,
                        "{} {} {} {} {}",
                        pad_left(env.lang.t("cli_text.id"), 5),
                        pad(&time_title, time_w),
                        pad(env.lang.t("log.col_category"), 10),
                        pad(env.lang.t("log.col_author"), 8),
                        env.lang.t("log.col_text")
                    )
                })
            {
                return false;
            }
            out.put(|w| log_text_row(w, &e, env, town, time_w))
        }
    })
    .map_err(store_err(env))?;
    if format == ListFormat::Json {
        out.put(|w| json.finish(w));
    }
    out.finish()
}

/// One entry of `log list` as a text row; an amendment names the entry it amends.
fn log_text_row(
    w: &mut dyn std::io::Write,
    e: &LogRow,
    env: &Env,
    town: &Town,
    time_w: usize,
) -> std::io::Result<()> {
    let text = match e.amends {
        Some(id) => env.lang.fmt(
            "log.amends",
            &[
                ("id", &id.to_string()),
                ("text", &e.text_for(env.lang, town)),
            ],
        ),
        None => e.text_for(env.lang, town),
    };
    writeln!(
        w,
        "{:>5} {} {} {} {}",
        e.id,
        pad(&day_time_db(&e.at, town.info.offset), time_w),
        pad(env.lang.t(e.category.label_key()), 10),
        pad(&e.author, 8),
        crate::domain::text::display(&text)
    )
}

/// The handover JSON: the compiled handover plus its sign-over.
pub fn filed_json(f: &Filed) -> Value {
    let mut v = serde_json::to_value(&f.handover).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("signed_by".into(), json!(f.signed.as_ref().map(|s| &s.by)));
        m.insert("signed_at".into(), json!(f.signed.as_ref().map(|s| &s.at)));
        m.insert("handed_over_by".into(), json!(f.outgoing));
    }
    v
}

/// `duty-desk handover …`.
pub fn handover(env: &Env, cmd: HandoverCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    match cmd {
        HandoverCmd::Show {
            format,
            pick,
            with_names,
        } => {
            let shift = pick_shift(env, &store, &town, &pick)?;
            let mut f = handover::filed(store.conn(), &town, shift, env.clock.now())
                .map_err(store_err(env))?;
            if !with_names {
                crate::domain::privacy::mask_handover(&mut f.handover);
            }
            match format {
                HandoverFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&filed_json(&f)).unwrap_or_default()
                ),
                HandoverFormat::Md => {
                    let place = |c: &str| town.place_name(c, env.lang);
                    let ctx = DocCtx {
                        lang: env.lang,
                        offset: town.info.offset,
                        town: town.name(env.lang),
                        place: &place,
                        signed: f.signed.clone(),
                    };
                    print!("{}", markdown(&f.handover, &ctx));
                }
            }
        }
        HandoverCmd::Sign { incoming } => {
            // the signature is the operator's own: nobody signs "for" someone else
            if let Some(name) = &incoming
                && name.trim() != env.operator.trim()
            {
                return Err(CliError::input(
                    Msg::new("shift.err.incoming_not_operator")
                        .quoted("name", name.trim())
                        .quoted("operator", env.operator.trim())
                        .context("--incoming"),
                    env.lang,
                ));
            }
            let incoming = env.operator.trim().to_string();
            let (shift, _) = store
                .write(&env.ctx(), |w| handover::sign(w, &town, None))
                .map_err(store_err(env))?;
            println!(
                "{}",
                env.say(
                    &Msg::new("status.handed_over")
                        .arg("start", day_time_db(&to_db(shift), town.info.offset))
                        .arg("name", crate::domain::text::display(&incoming))
                )
            );
        }
        HandoverCmd::Notes { text } => {
            let shift = shiftlog::current_shift_start(store.conn(), env.clock.now())
                .map_err(store_err(env))?;
            store
                .write(&env.ctx(), |w| shiftlog::set_notes(w, shift, text.trim()))
                .map_err(store_err(env))?;
            println!("{}", env.say(&Msg::new("status.notes_saved")));
        }
    }
    Ok(())
}
