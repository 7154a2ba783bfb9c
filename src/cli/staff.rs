//! `staff set-pin`: a person's console PIN, read without echo and stored only as a hash.

use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{CliError, CliResult, Env};
use crate::i18n::Msg;
use crate::store::staff;

/// `staff` subcommands.
#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Set a person's console PIN (read from the terminal without echo, or one line of
    /// standard input when it is not a terminal).
    SetPin {
        /// A name on the staff list.
        name: String,
    },
}

/// Runs a `staff` command.
pub fn staff(env: &Env, cmd: StaffCmd) -> CliResult {
    match cmd {
        StaffCmd::SetPin { name } => set_pin(env, &name),
    }
}

fn set_pin(env: &Env, name: &str) -> CliResult {
    let (mut store, town) = env.open()?;
    if town.staff_member(name).is_none() {
        return Err(CliError::input(
            Msg::new("err.unknown_staff").arg("name", name),
            env.lang,
        ));
    }
    let pin = read_pin(env, name)?;
    store
        .write(&env.ctx(), |w| staff::set_pin(w, name, &pin))
        .map_err(|e| CliError::store(e, env.lang))?;
    println!("{}", env.say(&Msg::new("access.pin_set").arg("name", name)));
    Ok(())
}

/// The PIN: twice from the terminal without echo, or one line of standard input.
fn read_pin(env: &Env, name: &str) -> Result<String, CliError> {
    let io = |e: std::io::Error| CliError::Other(e.to_string());
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first =
        rpassword::prompt_password(env.say(&Msg::new("access.pin_prompt").arg("name", name)))
            .map_err(io)?;
    let again = rpassword::prompt_password(env.say(&Msg::new("access.pin_again"))).map_err(io)?;
    if first != again {
        return Err(CliError::input(Msg::new("access.pin_mismatch"), env.lang));
    }
    Ok(first)
}
