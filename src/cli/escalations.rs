//! `escalation …` and `stock …`. `escalation list` runs the automatic rules first, so its
//! answer does not depend on whether a console happens to be running.

use clap::Subcommand;
use serde_json::{Value, json};

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::escalation::EscalationRow;
use crate::domain::escalation::display_title;
use crate::domain::escalation::{Kind, StockItem};
use crate::domain::rules::{reserve_line, served_population};
use crate::domain::text::layout::{pad, pad_left};
use crate::domain::time::{parse_due, to_db};
use crate::domain::town::Town;
use crate::i18n::{Lang, Msg};
use crate::store::escalations::{self, NewEscalation};
use crate::store::rules::{self as auto, Marks};

/// Escalation commands.
#[derive(Debug, Subcommand)]
pub enum EscalationCmd {
    /// Raise an escalation; prints its id.
    Add {
        /// referral, concern or other.
        #[arg(long)]
        kind: String,
        /// What must be done.
        #[arg(long)]
        title: String,
        /// Village code or name.
        #[arg(long)]
        village: Option<String>,
        /// Details.
        #[arg(long)]
        details: Option<String>,
        /// A direct referral (elderly or child with a tendency to severe illness).
        #[arg(long)]
        direct: bool,
        /// Deadline: a duration (2h, 30m), HH:MM, or an RFC 3339 time.
        #[arg(long, value_name = "WHEN")]
        due: String,
    },
    /// Take an escalation in hand.
    Ack {
        /// Escalation id.
        id: i64,
    },
    /// Resolve an escalation with a note.
    Resolve {
        /// Escalation id.
        id: i64,
        /// What was done (required).
        #[arg(long)]
        note: String,
    },
    /// Open (or all) escalations, most urgent first; runs the automatic rules first.
    List {
        /// Include resolved ones.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// Stock commands.
#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Record a count of drug packs or antigen kits at a health center or village clinic.
    Set {
        /// Health center or village code.
        #[arg(long)]
        place: String,
        /// drug_packs or antigen_kits.
        #[arg(long)]
        item: String,
        /// Quantity on hand.
        #[arg(long)]
        quantity: i64,
    },
    /// Every count with its reserve line.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// The JSON contract of DESIGN.md, with a few more fields.
pub fn escalation_json(
    e: &EscalationRow,
    town: &Town,
    lang: Lang,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    json!({
        "id": e.id,
        "kind": e.kind.as_str(),
        "title": display_title(e, town, lang),
        "village": e.village,
        "place": e.place,
        "due": to_db(e.due),
        "state": e.state.as_str(),
        "overdue": e.overdue(now),
        "direct": e.direct,
        "details": e.details,
        "subject": e.subject,
        "raised_at": e.raised_at,
        "raised_by": e.raised_by,
        "owner": if e.owner.is_empty() { Value::Null } else { json!(e.owner) },
        "resolution_note": e.resolution_note,
        "escalated_at": e.escalated_at,
    })
}

/// `duty-desk escalation …`.
pub fn escalation(env: &Env, cmd: EscalationCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    let fail = |e| CliError::store(e, env.lang);
    let ctx = env.ctx();
    match cmd {
        EscalationCmd::Add {
            kind,
            title,
            village,
            details,
            direct,
            due,
        } => {
            let new = checked_escalation(env, &town, ctx.now, &kind, title, village, &due)?;
            let new = NewEscalation {
                details: details.unwrap_or_default(),
                direct,
                ..new
            };
            let id = store
                .write(&ctx, |w| escalations::raise(w, &new))
                .map_err(fail)?;
            println!("{id}");
            Ok(())
        }
        EscalationCmd::Ack { id } => {
            store
                .write(&ctx, |w| escalations::acknowledge(w, id))
                .map_err(fail)?;
            println!("{}", env.say(&Msg::new("esc.acked_ok").arg("id", id)));
            Ok(())
        }
        EscalationCmd::Resolve { id, note } => {
            store
                .write(&ctx, |w| escalations::resolve(w, id, &note))
                .map_err(fail)?;
            println!("{}", env.say(&Msg::new("esc.resolved_ok").arg("id", id)));
            Ok(())
        }
        EscalationCmd::List { all, format } => {
            auto::run(&mut store, &town, &ctx, Marks::No).map_err(fail)?;
            // written as read, in the queue's order (issue 18)
            let mut out = super::stream::Out::stdout();
            let mut json = super::stream::JsonArray::new(true);
            // a header row before the first row (issue 19); times are the town's own
            let mut header = format == ListFormat::Text;
            escalations::each_escalation_queued(store.conn(), all, ctx.now, |e| {
                if std::mem::take(&mut header)
                    && !out.put(|w| writeln!(w, "{}", escalation_header(env.lang, &town)))
                {
                    return false;
                }
                print_escalation(env, &town, &e, format, ctx.now, &mut out, &mut json)
            })
            .map_err(fail)?;
            if format == ListFormat::Json {
                out.put(|w| json.finish(w));
            }
            out.finish()
        }
    }
}

/// The header row of `escalation list` text, aligned with its rows.
fn escalation_header(lang: crate::i18n::Lang, town: &Town) -> String {
    format!(
        "{} {} {} {} {} {}",
        pad_left(lang.t("cli_text.id"), 5),
        pad(&deadline_title(lang, town), deadline_width(lang, town)),
        pad(lang.t("esc.col_kind"), 15),
        pad(lang.t("esc.col_state"), 8),
        pad(lang.t("esc.col_place"), 16),
        lang.t("esc.col_title")
    )
}

/// The deadline column's title: "Deadline (UTC+08:00)".
fn deadline_title(lang: crate::i18n::Lang, town: &Town) -> String {
    let offset = crate::domain::time::format_offset(town.info.offset);
    lang.fmt("cli_text.deadline", &[("offset", &offset)])
}

/// The deadline column's width: its title's, or 14 (`overdue 3h30m`, `11-26 18:00`).
fn deadline_width(lang: crate::i18n::Lang, town: &Town) -> usize {
    unicode_width::UnicodeWidthStr::width(deadline_title(lang, town).as_str()).max(14)
}

/// `escalation add`'s options checked, every problem at once (details and `--direct`
/// are filled in by the caller).
fn checked_escalation(
    env: &Env,
    town: &Town,
    now: chrono::DateTime<chrono::Utc>,
    kind: &str,
    title: String,
    village: Option<String>,
    due: &str,
) -> Result<NewEscalation, CliError> {
    let mut problems = Vec::new();
    let kind_ok = Kind::parse(kind).filter(|k| k.is_manual());
    if kind_ok.is_none() {
        problems.push(
            Msg::new("err.esc.bad_kind")
                .quoted("value", kind)
                .context("--kind"),
        );
    }
    let village_code = match village.as_deref() {
        Some(v) => match town.village(v) {
            Some(v) => Some(v.code.clone()),
            None => {
                problems.push(
                    Msg::new("err.unknown_village")
                        .quoted("value", v)
                        .context("--village"),
                );
                None
            }
        },
        None => None,
    };
    let due_at = parse_due(due, now, town.info.offset);
    if due_at.is_none() {
        problems.push(
            Msg::new("err.esc.bad_due")
                .quoted("value", due)
                .context("--due"),
        );
    }
    if title.trim().is_empty() {
        problems.push(Msg::new("err.required").context("--title"));
    }
    let (Some(kind), Some(due_at), true) = (kind_ok, due_at, problems.is_empty()) else {
        return Err(CliError::Input(
            problems.iter().map(|p| env.say(p)).collect(),
        ));
    };
    Ok(NewEscalation {
        kind,
        title,
        village: village_code,
        place: None,
        details: String::new(),
        direct: false,
        subject: None,
        due: due_at,
        grace_minutes: town.info.escalation_grace_minutes,
    })
}

/// Writes one escalation of a listing; false once the output is closed.
fn print_escalation(
    env: &Env,
    town: &Town,
    e: &EscalationRow,
    format: ListFormat,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut super::stream::Out,
    json: &mut super::stream::JsonArray,
) -> bool {
    match format {
        ListFormat::Json => out.put(|w| json.push(w, &escalation_json(e, town, env.lang, now))),
        ListFormat::Text => {
            let when = if e.overdue(now) {
                env.lang.fmt(
                    "esc.overdue_by",
                    &[(
                        "d",
                        &crate::domain::time::duration_text(now - e.due, env.lang),
                    )],
                )
            } else {
                crate::domain::text::layout::day_time_db(&to_db(e.due), town.info.offset)
            };
            let place = e
                .place
                .as_deref()
                .or(e.village.as_deref())
                .map(|c| town.place_name(c, env.lang))
                .unwrap_or_default();
            let direct = if e.direct {
                format!("[{}] ", env.lang.t("esc.direct"))
            } else {
                String::new()
            };
            out.put(|w| {
                writeln!(
                    w,
                    "{} {} {} {} {} {direct}{}",
                    pad_left(&format!("#{}", e.id), 5),
                    pad(&when, deadline_width(env.lang, town)),
                    pad(env.lang.t(e.kind.label_key()), 15),
                    pad(env.lang.t(e.state.label_key()), 8),
                    pad(&place, 16),
                    crate::domain::text::display(&display_title(e, town, env.lang))
                )
            })
        }
    }
}

/// `duty-desk stock …`.
pub fn stock(env: &Env, cmd: StockCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    let fail = |e| CliError::store(e, env.lang);
    match cmd {
        StockCmd::Set {
            place,
            item,
            quantity,
        } => {
            let Some(it) = StockItem::parse(&item) else {
                return Err(CliError::input(
                    Msg::new("err.esc.bad_item")
                        .quoted("value", &item)
                        .context("--item"),
                    env.lang,
                ));
            };
            if quantity < 0 {
                return Err(CliError::input(
                    Msg::new("err.esc.bad_quantity")
                        .arg("value", quantity)
                        .context("--quantity"),
                    env.lang,
                ));
            }
            let place = place.trim().to_string();
            store
                .write(&env.ctx(), |w| {
                    escalations::set_stock(w, &place, it, quantity)
                })
                .map_err(fail)?;
            println!(
                "{}",
                env.say(
                    &Msg::new("esc.stock_ok")
                        .arg("place", town.place_name(&place, env.lang))
                        .arg("item", env.lang.t(it.label_key()))
                        .arg("quantity", quantity)
                )
            );
            Ok(())
        }
        StockCmd::List { format } => {
            let rows = escalations::stock(store.conn()).map_err(fail)?;
            match format {
                ListFormat::Json => {
                    let v: Vec<Value> = rows.iter().map(|s| stock_json(&town, s)).collect();
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
                ListFormat::Text => {
                    for s in &rows {
                        println!("{}", stock_text(env.lang, &town, s));
                    }
                }
            }
            Ok(())
        }
    }
}

/// A count's reserve line at the line in effect: (served population, line).
fn stock_line(town: &Town, place: &str) -> (Option<i64>, Option<i64>) {
    let served = served_population(place, &town.villages);
    let pct = town.info.stock_threshold_in_effect();
    (served, served.map(|p| reserve_line(p, pct)))
}

/// One count of `stock list --format json`.
fn stock_json(town: &Town, s: &crate::domain::escalation::StockRow) -> Value {
    let (served, line) = stock_line(town, &s.place);
    json!({
        "place": s.place,
        "item": s.item.as_str(),
        "quantity": s.quantity,
        "served_population": served,
        "line": line,
        "below": line.is_some_and(|l| s.quantity < l),
        "updated_at": s.updated_at,
        "updated_by": s.updated_by,
    })
}

/// One count of `stock list` as a line.
fn stock_text(lang: Lang, town: &Town, s: &crate::domain::escalation::StockRow) -> String {
    let (_, line) = stock_line(town, &s.place);
    let below = line.is_some_and(|l| s.quantity < l);
    format!(
        "{} {} {} {} {}",
        pad(&town.place_name(&s.place, lang), 24),
        pad(lang.t(s.item.label_key()), 16),
        pad_left(&s.quantity.to_string(), 7),
        pad_left(&line.map(|l| l.to_string()).unwrap_or_default(), 7),
        if below { lang.t("stock.col.below") } else { "" }
    )
}
