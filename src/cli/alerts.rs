//! `alert list` (the alert records, read-only) and `watch` (the rules and the deliveries
//! without a console, issue 14).

use clap::Subcommand;
use serde_json::{Value, json};

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::alerts::{AlertRow, event_key};
use crate::domain::text::display;
use crate::domain::text::layout::{pad, pad_left};
use crate::i18n::Msg;
use crate::store::alerts;

/// Alert commands.
#[derive(Debug, Subcommand)]
pub enum AlertCmd {
    /// Alerts whose cause is still there (or all), oldest first.
    List {
        /// Include retired ones (their cause is gone).
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// `duty-desk alert …`.
pub fn alert(env: &Env, cmd: AlertCmd) -> CliResult {
    let AlertCmd::List { all, format } = cmd;
    let (store, town) = env.open()?;
    let fail = |e| CliError::store(e, env.lang);
    let rows = alerts::list(store.conn(), all).map_err(fail)?;
    match format {
        ListFormat::Json => {
            let v: Vec<Value> = rows.iter().map(alert_json).collect();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        ListFormat::Text => {
            for a in &rows {
                let title = alerts::title_in(store.conn(), &town, a, env.lang).map_err(fail)?;
                let state = if a.retired_at.is_some() {
                    env.lang.t("alerts.state.retired")
                } else if a.delivered_at.is_some() {
                    env.lang.t("alerts.state.delivered")
                } else if a.gave_up_at.is_some() {
                    env.lang.t("alerts.state.gave_up")
                } else {
                    env.lang.t("alerts.state.pending")
                };
                let seen = a
                    .seen_by
                    .as_deref()
                    .map(|s| env.say(&Msg::new("alerts.seen_by").arg("name", display(s))))
                    .unwrap_or_default();
                let line = format!(
                    "{} {} {} {} {} {}",
                    pad_left(&format!("#{}", a.id), 5),
                    pad(
                        &crate::domain::text::layout::day_time_db(&a.created_at, town.info.offset),
                        12
                    ),
                    pad(env.lang.t(event_key(a.event)), 14),
                    pad(state, 10),
                    display(&title),
                    seen
                );
                println!("{}", line.trim_end());
            }
        }
    }
    Ok(())
}

fn alert_json(a: &AlertRow) -> Value {
    json!({
        "id": a.id,
        "event": a.event.as_str(),
        "subject": a.subject.as_str(),
        "subject_id": a.subject_id,
        "title": a.title,
        "created_at": a.created_at,
        "delivered_at": a.delivered_at,
        "attempts": a.attempts,
        "last_error": a.last_error,
        "seen_by": a.seen_by,
        "seen_at": a.seen_at,
        "retired": a.retired_at.is_some(),
        "retired_at": a.retired_at,
    })
}

/// `duty-desk watch [--once] [--interval SECS]`.
pub fn watch(env: &Env, once: bool, interval: u64, settings: &crate::config::Config) -> CliResult {
    // a file that is not a duty-desk database is refused at once (nothing made beside
    // it), not retried forever
    drop(env.open()?);
    // a one-off pass (a timer's) needs no lock: its deliveries are claimed in the
    // database like anyone's; a running watcher is one per database
    let _lock = if once {
        None
    } else {
        match crate::watch::lock(&env.db) {
            Ok(Some(l)) => Some(l),
            Ok(None) => {
                return Err(CliError::Conflict(env.say(
                    &Msg::new("alerts.watch.already").arg(
                        "path",
                        display(&crate::watch::lock_path(&env.db).display().to_string()),
                    ),
                )));
            }
            Err(e) => {
                return Err(CliError::Other(
                    env.say(
                        &Msg::new("alerts.watch.no_lock")
                            .arg("path", crate::watch::lock_path(&env.db).display())
                            .arg("detail", e),
                    ),
                ));
            }
        }
    };
    let who = crate::watch::process_name("watch");
    if settings.alerts.command.is_empty() {
        eprintln!("duty-desk: {}", env.say(&Msg::new("alerts.watch.no_hook")));
    }
    loop {
        let report = env.open().and_then(|(mut store, town)| {
            crate::watch::pass(&mut store, &town, &settings.alerts, env.clock, &who)
                .map_err(|e| CliError::store(e, env.lang))
        });
        let report = match report {
            Ok(r) => r,
            Err(e) if once => return Err(e),
            // a running watcher outlives a busy or briefly missing database: it says so
            // and tries again at the next pass
            Err(e) => {
                let text = match &e {
                    CliError::Input(lines) => lines.join("; "),
                    CliError::Conflict(s) | CliError::NotPermitted(s) | CliError::Other(s) => {
                        s.clone()
                    }
                };
                eprintln!("duty-desk: {}", display(&text));
                tracing::warn!("watch pass: {text}");
                std::thread::sleep(std::time::Duration::from_secs(interval));
                continue;
            }
        };
        if once || report != crate::watch::PassReport::default() {
            println!(
                "{}",
                env.say(
                    &Msg::new("alerts.watch.pass")
                        .arg("noticed", report.noticed)
                        .arg("delivered", report.delivered)
                        .arg("failed", report.failed)
                )
            );
        }
        if once {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(interval));
    }
}
