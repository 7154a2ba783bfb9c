//! `duty-desk init --town FILE.toml`: a new database for a town, never over an old one.

use std::path::Path;

use super::{CliError, CliResult, Env};
use crate::domain::town::parse_town;
use crate::i18n::Msg;
use crate::store::open::build_then_place;

/// Refuses an `init` over an existing file, or beside a leftover `-wal` of a deleted
/// database (SQLite would replay it into the new one).
fn nothing_in_the_way(env: &Env) -> CliResult {
    if env.db.exists() {
        return Err(exists(env));
    }
    let wal = crate::store::open::companion(&env.db, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(CliError::input(
            Msg::new("open.stale_wal").arg("path", wal.display()),
            env.lang,
        ));
    }
    Ok(())
}

fn exists(env: &Env) -> CliError {
    CliError::input(
        Msg::new("err.db_exists").arg("path", env.db.display()),
        env.lang,
    )
}

fn placing(env: &Env, e: std::io::Error) -> CliError {
    CliError::Other(
        env.say(
            &Msg::new("open.init_leftover")
                .arg("path", env.db.display())
                .arg("detail", e),
        ),
    )
}

/// Creates the database named by `--db` from a town file.
pub fn run(env: &Env, town_path: &Path) -> CliResult {
    nothing_in_the_way(env)?;
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
    // what the seeds require and the town lacks: warned, never refused
    super::town::print_warnings(env, &town);
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
    // built under a temporary name and put in place when complete: a killed init leaves
    // nothing at --db, and a failed one cleans up after itself
    build_then_place(
        &env.db,
        |tmp| {
            let mut store = crate::store::town::create(tmp, &town, &env.ctx())
                .map_err(|e| CliError::store(e, env.lang))?;
            // the desk's first shift is open from now on, even before anything is
            // written in it
            store
                .write(&env.ctx(), crate::store::shiftlog::open_first_shift)
                .map(drop)
                .map_err(|e| CliError::store(e, env.lang))
        },
        || exists(env),
        |e| placing(env, e),
    )?;
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
    nothing_in_the_way(env)?;
    build_then_place(
        &env.db,
        |tmp| {
            crate::demo::build_at(tmp, env.clock.now())
                .map(drop)
                .map_err(|m| CliError::Other(env.say(&m)))
        },
        || exists(env),
        |e| placing(env, e),
    )?;
    println!(
        "{}",
        env.say(&Msg::new("init.demo_done").arg("path", env.db.display()))
    );
    Ok(())
}
