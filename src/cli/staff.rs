//! `staff set-pin`: a person's console PIN, read without echo and stored only as a hash.

use std::io::IsTerminal;

use clap::Subcommand;

use super::{CliError, CliResult, Env, session};
use crate::domain::town::Role;
use crate::i18n::Msg;
use crate::store::staff;

/// `staff` subcommands.
#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Set a person's console PIN. When NAME has a PIN, setting it needs NAME's current
    /// PIN, or a duty leader's session (`duty-desk login`). On a terminal the PINs are
    /// asked for without echo; otherwise standard input gives, one per line, the current
    /// PIN (only when it is asked for) and then the new PIN.
    SetPin {
        /// A name on the staff list.
        name: String,
    },
}

/// Runs a `staff` command.
pub fn staff(env: &Env, cmd: StaffCmd) -> CliResult {
    match cmd {
        StaffCmd::SetPin { name } => set_pin(env, name.trim()),
    }
}

fn set_pin(env: &Env, name: &str) -> CliResult {
    let (mut store, town) = env.open()?;
    if town.staff_member(name).is_none() {
        return Err(CliError::input(
            Msg::new("err.unknown_staff").quoted("name", name),
            env.lang,
        ));
    }
    let target_has_pin =
        staff::has_pin(store.conn(), name).map_err(|e| CliError::store(e, env.lang))?;
    let piped = !std::io::stdin().is_terminal();
    if target_has_pin {
        // a duty leader's live session may replace anyone's PIN; otherwise NAME's own
        // current PIN is the proof (a wrong one counts towards NAME's lock)
        let leader = town
            .staff_member(&env.operator)
            .is_some_and(|s| s.role == Role::DutyLeader);
        let leader_session = leader
            && if env.operator == name {
                session::has_session(env, &store)?
            } else {
                // for another person's PIN the write gate has already made the leader
                // prove theirs (session or prompt); a leader without a PIN has no session
                staff::has_pin(store.conn(), &env.operator)
                    .map_err(|e| CliError::store(e, env.lang))?
            };
        if !leader_session {
            if env.operator != name {
                return Err(CliError::NotPermitted(env.say(
                    &Msg::new("operators.set_pin_needs_leader").arg("name", name),
                )));
            }
            let current = if piped {
                session::stdin_line()?
            } else {
                session::prompt(env, &Msg::new("operators.current_pin").arg("name", name))?
            };
            session::check_pin(env, &store, name, &current)?;
        }
    }
    let pin = read_new_pin(env, name, piped)?;
    store
        .write(&env.ctx(), |w| staff::set_pin(w, name, &pin))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!("{}", env.say(&Msg::new("access.pin_set").arg("name", name)));
    Ok(())
}

/// The new PIN: twice from the terminal without echo, or the next line of standard input.
fn read_new_pin(env: &Env, name: &str, piped: bool) -> Result<String, CliError> {
    if piped {
        return session::stdin_line();
    }
    let first = session::prompt(env, &Msg::new("access.pin_prompt").arg("name", name))?;
    let again = session::prompt(env, &Msg::new("access.pin_again"))?;
    if first != again {
        return Err(CliError::input(Msg::new("access.pin_mismatch"), env.lang));
    }
    Ok(first)
}
