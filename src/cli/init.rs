//! `duty-desk init --town FILE.toml`: a new database for a town, never over an old one.

use std::path::Path;

use super::{CliError, CliResult, Env};
use crate::domain::town::parse_town;
use crate::i18n::Msg;

/// Creates the database named by `--db` from a town file.
pub fn run(env: &Env, town_path: &Path) -> CliResult {
    if env.db.exists() {
        return Err(CliError::input(
            Msg::new("err.db_exists").arg("path", env.db.display()),
            env.lang,
        ));
    }
    let src = std::fs::read_to_string(town_path).map_err(|e| {
        CliError::input(
            Msg::new("err.read_file")
                .arg("path", town_path.display())
                .arg("detail", e),
            env.lang,
        )
    })?;
    let town = parse_town(&src).map_err(|problems| {
        CliError::Input(
            problems
                .iter()
                .map(|p| format!("{}: {}: {}", town_path.display(), p.key, env.say(&p.msg)))
                .collect(),
        )
    })?;
    if let Some(dir) = env.db.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::Other(
                env.say(
                    &Msg::new("err.create_dir")
                        .arg("path", dir.display())
                        .arg("detail", e),
                ),
            )
        })?;
    }
    let mut store = crate::store::town::create(&env.db, &town, &env.ctx()).map_err(|e| {
        // a half-made file must not be left behind to be mistaken for a database
        if !matches!(e, crate::store::StoreError::Invalid(_)) {
            let _ = std::fs::remove_file(&env.db);
        }
        CliError::store(e, env.lang)
    })?;
    // the desk's first shift is open from now on, even before anything is written in it
    store
        .write(&env.ctx(), crate::store::shiftlog::open_first_shift)
        .map_err(|e| CliError::store(e, env.lang))?;
    println!(
        "{}",
        env.say(
            &Msg::new("init.done")
                .arg("path", env.db.display())
                .arg("town", &town.town.name)
                .arg("villages", town.villages.len())
                .arg("vehicles", town.vehicles.len())
                .arg("staff", town.staff.len())
        )
    );
    Ok(())
}

/// Creates the demo town's database at `--db`, dates moved to today.
pub fn demo(env: &Env) -> CliResult {
    if env.db.exists() {
        return Err(CliError::input(
            Msg::new("err.db_exists").arg("path", env.db.display()),
            env.lang,
        ));
    }
    crate::demo::build_at(&env.db, env.clock.now()).map_err(|m| CliError::Other(env.say(&m)))?;
    println!(
        "{}",
        env.say(&Msg::new("init.demo_done").arg("path", env.db.display()))
    );
    Ok(())
}
