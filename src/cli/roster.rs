//! `roster set|show|import`: the plan of who is on duty on which day.

use std::path::{Path, PathBuf};

use chrono::Duration;
use clap::Subcommand;

use super::args::ListFormat;
use super::{CliError, CliResult, Env};
use crate::domain::roster::{MAX_SHOW_DAYS, PlanDay, parse_csv, split_officers};
use crate::domain::text::display;
use crate::domain::time::local_date;
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::roster::RosterDay;
use crate::store::{roster, shiftlog};

/// `roster` subcommands.
#[derive(Debug, Subcommand)]
pub enum RosterCmd {
    /// Plan one day: its duty leader and officers (replaces that day's plan).
    Set {
        /// The day (YYYY-MM-DD, the town's calendar).
        #[arg(long, value_name = "D")]
        date: String,
        /// The duty leader.
        #[arg(long, value_name = "NAME")]
        leader: String,
        /// The duty officers, separated by commas.
        #[arg(long, value_name = "A,B")]
        officers: String,
    },
    /// The roster day by day: as kept for shifts that opened, as planned after.
    Show {
        /// First day (default: the open shift's day).
        #[arg(long, value_name = "D")]
        from: Option<String>,
        /// Last day (default: a week from the first).
        #[arg(long, value_name = "D")]
        to: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Plan many days from a CSV file `date,leader,officers` (officers separated by `;`),
    /// all or nothing.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// `duty-desk roster …`.
pub fn roster(env: &Env, cmd: RosterCmd) -> CliResult {
    let (mut store, town) = env.open()?;
    let store_err = |e| CliError::store(e, env.lang);
    match cmd {
        RosterCmd::Set {
            date,
            leader,
            officers,
        } => {
            let day = PlanDay {
                date: super::date_arg(env, &date, "--date")?,
                leader: leader.trim().to_string(),
                officers: split_officers(&officers, ','),
            };
            store
                .write(&env.ctx(), |w| roster::set_plan(w, &town, &day))
                .map_err(store_err)?;
            println!(
                "{}",
                env.say(&Msg::new("roster.saved").arg("date", day.date))
            );
        }
        RosterCmd::Import { file } => {
            let days = read_plan(env, &town, &file)?;
            let n = store
                .write(&env.ctx(), |w| roster::import(w, &town, &days))
                .map_err(store_err)?;
            println!("{}", env.say(&Msg::new("roster.imported").arg("n", n)));
        }
        RosterCmd::Show { from, to, format } => {
            let open =
                shiftlog::current_shift_start(store.conn(), env.clock.now()).map_err(store_err)?;
            let from = match &from {
                Some(d) => super::date_arg(env, d, "--from")?,
                None => local_date(open, town.info.offset),
            };
            let to = match &to {
                Some(d) => super::date_arg(env, d, "--to")?,
                None => from + Duration::days(6),
            };
            if to < from || (to - from).num_days() >= MAX_SHOW_DAYS {
                return Err(CliError::input(
                    Msg::new("roster.err.range").arg("max", MAX_SHOW_DAYS),
                    env.lang,
                ));
            }
            let days = roster::show(store.conn(), &town, from, to).map_err(store_err)?;
            match format {
                ListFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&days).unwrap_or_default()
                ),
                ListFormat::Text => {
                    for d in &days {
                        println!("{}", plan_line(env, d));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The plan file of `roster import`, read and checked (every problem as FILE:LINE).
fn read_plan(env: &Env, town: &Town, file: &Path) -> Result<Vec<PlanDay>, CliError> {
    let name = file.display().to_string();
    let text = super::reports::read_text(env, file, &name)?;
    let role = |n: &str| town.staff_member(n).map(|s| s.role);
    parse_csv(&text, &role).map_err(|problems| {
        CliError::Input(
            problems
                .iter()
                .map(|p| {
                    format!(
                        "{name}:{}: {}: {}",
                        p.line,
                        p.column,
                        display(&env.say(&p.msg))
                    )
                })
                .collect(),
        )
    })
}

/// One day of `roster show` as a line.
fn plan_line(env: &Env, d: &RosterDay) -> String {
    let leader = d.leader.as_deref().unwrap_or("-");
    let officers = if d.officers.is_empty() {
        "-".to_string()
    } else {
        d.officers.join(env.lang.t("list.sep"))
    };
    let mut line = env.say(
        &Msg::new("roster.line")
            .arg("date", d.date)
            .arg("leader", display(leader))
            .arg("officers", display(&officers)),
    );
    if let Some(by) = &d.signed_by {
        line.push_str("  ");
        line.push_str(&env.say(&Msg::new("roster.signed_by").arg("name", display(by))));
    }
    line
}
