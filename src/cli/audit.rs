//! `duty-desk audit verify` / `audit list`: the audit log's hash chain checked, and the
//! log read with filters (the supervision view, 督查).

use chrono::{DateTime, NaiveTime, Utc};
use clap::Subcommand;

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::text::display;
use crate::domain::time::{local_instant, parse_date, parse_duration, to_db};
use crate::i18n::Msg;
use crate::store::audit::{self, Filter};

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check the hash chain and the guard triggers: exit 0 with the rows checked, or
    /// exit 3 naming the first row (or trigger) that does not fit.
    Verify,
    /// List audit rows, oldest first. `--operator NAME` typed here lists only that
    /// operator's rows (DUTY_DESK_OPERATOR does not filter).
    List {
        /// From this moment: a duration back from now (`24h`, `7d`), a date (town time,
        /// from midnight) or RFC 3339.
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only rows about this subject (`log:12`), or every subject of a kind (`log`).
        #[arg(long, value_name = "S")]
        subject: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// Runs an `audit` command.
pub fn audit(env: &Env, cmd: AuditCmd, operator_typed: bool) -> CliResult {
    match cmd {
        AuditCmd::Verify => verify(env),
        AuditCmd::List {
            since,
            subject,
            format,
        } => list(
            env,
            since,
            operator_typed.then(|| env.operator.clone()),
            subject,
            format,
        ),
    }
}

fn verify(env: &Env) -> CliResult {
    let (store, _) = env.open()?;
    let check = audit::verify(store.conn()).map_err(|e| CliError::store(e, env.lang))?;
    if let Some(f) = &check.fault {
        return Err(CliError::Conflict(env.say(&f.msg())));
    }
    println!(
        "{}",
        env.say(
            &Msg::new("operators.audit.verified")
                .arg("rows", check.walker.checked)
                .arg("id", check.walker.last_id)
                .arg("hash", &check.walker.last_hash)
        )
    );
    Ok(())
}

/// Parses `--since`: a duration back from now, a town-local date, or RFC 3339.
fn parse_since(s: &str, now: DateTime<Utc>, offset: chrono::FixedOffset) -> Option<DateTime<Utc>> {
    if let Some(d) = parse_duration(s) {
        return Some(now - d);
    }
    if let Some(d) = parse_date(s) {
        return Some(local_instant(d, NaiveTime::MIN, offset));
    }
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn list(
    env: &Env,
    since: Option<String>,
    operator: Option<String>,
    subject: Option<String>,
    format: ListFormat,
) -> CliResult {
    let (store, town) = env.open()?;
    let since = match since {
        Some(s) => Some(
            parse_since(&s, env.clock.now(), town.info.offset)
                .map(to_db)
                .ok_or_else(|| {
                    CliError::input(
                        Msg::new("operators.audit.bad_since").quoted("value", &s),
                        env.lang,
                    )
                })?,
        ),
        None => None,
    };
    let filter = Filter {
        since,
        operator,
        subject,
        limit: None,
    };
    // written as read: the whole log never sits in memory (issue 18)
    let mut out = super::stream::Out::stdout();
    let mut json = super::stream::JsonArray::new(false);
    let mut any = false;
    audit::each(store.conn(), &filter, |r| {
        any = true;
        match format {
            ListFormat::Json => out.put(|w| {
                let v = serde_json::json!({
                    "id": r.id,
                    "at": r.at,
                    "operator": r.operator,
                    "action": r.action,
                    "subject": r.subject,
                    // the detail is stored as JSON; shown as such, as text if not
                    "detail": serde_json::from_str::<serde_json::Value>(&r.detail)
                        .unwrap_or_else(|_| serde_json::Value::String(r.detail.clone())),
                });
                json.push(w, &v)
            }),
            // the line's pieces written as they are (no format machinery per field)
            ListFormat::Text => out.put(|w| {
                write!(w, "{:>6}", r.id)?;
                for field in [&r.at, &r.operator, &r.action, &r.subject, &r.detail] {
                    w.write_all(b"  ")?;
                    w.write_all(display(field).as_bytes())?;
                }
                w.write_all(b"\n")
            }),
        }
    })
    .map_err(|e| CliError::store(e, env.lang))?;
    match format {
        ListFormat::Json => {
            out.put(|w| json.finish(w));
        }
        ListFormat::Text if !any => {
            let none = env.say(&Msg::new("operators.audit.none"));
            out.put(|w| writeln!(w, "{none}"));
        }
        ListFormat::Text => {}
    }
    out.finish()
}
