//! `town show`, `town apply FILE [--dry-run]`, `town surge on|off`: the town after init.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::{CliError, CliResult, Env};
use crate::domain::text::display;
use crate::domain::town::{TownFile, parse_town};
use crate::domain::town_change::{Change, ChangeKind, Section, to_toml, warnings};
use crate::i18n::{Lang, Msg};

/// `town` subcommands.
#[derive(Debug, Subcommand)]
pub enum TownCmd {
    /// Print the town as it stands, as a town file that `town apply` accepts unchanged.
    Show,
    /// Apply a town file: added, changed and retired records, one audited transaction.
    Apply {
        /// The town file (TOML), or `-` for standard input.
        #[arg(value_name = "FILE.toml")]
        file: PathBuf,
        /// Show the differences, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Switch surge on or off (the surge thresholds of `[rules]` take over while on).
    Surge {
        /// on or off.
        #[arg(value_enum)]
        state: SurgeState,
    },
}

/// `town surge` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SurgeState {
    /// Surge on.
    On,
    /// Surge off.
    Off,
}

/// Runs a `town` command.
pub fn town(env: &Env, cmd: TownCmd) -> CliResult {
    match cmd {
        TownCmd::Show => show(env),
        TownCmd::Apply { file, dry_run } => apply(env, &file, dry_run),
        TownCmd::Surge { state } => surge(env, state == SurgeState::On),
    }
}

fn show(env: &Env) -> CliResult {
    let (_store, town) = env.open()?;
    super::write_out(to_toml(&town.to_file()).as_bytes())
}

/// Reads and checks a town file as `init` does (`-` reads standard input).
pub fn read_town_file(env: &Env, path: &Path) -> Result<TownFile, CliError> {
    let read_err = |e: std::io::Error| {
        CliError::input(
            Msg::new("err.read_file")
                .arg("path", path.display())
                .arg("detail", e),
            env.lang,
        )
    };
    let src = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(read_err)?;
        s
    } else {
        std::fs::read_to_string(path).map_err(read_err)?
    };
    parse_town(&src).map_err(|problems| {
        CliError::Input(
            problems
                .iter()
                .map(|p| format!("{}: {}: {}", path.display(), p.key, env.say(&p.msg)))
                .collect(),
        )
    })
}

/// Prints the warnings of a town file on standard error (they never fail a command).
pub fn print_warnings(env: &Env, t: &TownFile) {
    for w in warnings(t) {
        eprintln!("{}", display(&env.say(&w)));
    }
}

/// The differences, section by section, in `lang`.
pub fn render_changes(changes: &[Change], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for section in Section::ALL {
        let mine: Vec<&Change> = changes.iter().filter(|c| c.section == section).collect();
        if mine.is_empty() {
            continue;
        }
        out.push(lang.t(section.label_key()).to_string());
        for c in mine {
            out.push(
                display(&lang.fmt(
                    "town_change.out.record",
                    &[("kind", lang.t(c.kind.label_key())), ("key", &c.key)],
                ))
                .to_string(),
            );
            for f in &c.fields {
                // an added record has only new values: no arrow from nothing
                let key = if c.kind == ChangeKind::Added {
                    "town_change.out.field_new"
                } else {
                    "town_change.out.field"
                };
                out.push(
                    display(
                        &lang.fmt(key, &[("field", f.field), ("old", &f.old), ("new", &f.new)]),
                    )
                    .to_string(),
                );
            }
        }
    }
    out
}

fn apply(env: &Env, path: &Path, dry_run: bool) -> CliResult {
    let new = read_town_file(env, path)?;
    print_warnings(env, &new);
    let (mut store, _town) = env.open()?;
    let (changes, written) = store
        .write_or_rollback(&env.ctx(), |w| {
            let (changes, written) = crate::store::town::apply(w, &new, dry_run)?;
            Ok(((changes, written), written))
        })
        .map_err(|e| CliError::store(e, env.lang))?;
    let mut lines = render_changes(&changes, env.lang);
    lines.push(env.say(&if changes.is_empty() {
        Msg::new("town_change.out.no_changes")
    } else if dry_run || !written {
        Msg::new("town_change.out.dry_run")
    } else {
        Msg::new("town_change.out.applied").arg("n", changes.len())
    }));
    let mut text = lines.join("\n");
    text.push('\n');
    super::write_out(text.as_bytes())
}

fn surge(env: &Env, on: bool) -> CliResult {
    let (mut store, _) = env.open()?;
    let changed = store
        .write_or_rollback(&env.ctx(), |w| {
            let changed = crate::store::town::set_surge(w, on)?;
            Ok((changed, changed))
        })
        .map_err(|e| CliError::store(e, env.lang))?;
    let town = crate::store::town::load(store.conn()).map_err(|e| CliError::store(e, env.lang))?;
    let i = &town.info;
    let msg = if !changed {
        Msg::new("town_change.out.surge_same").arg(
            "state",
            env.lang.t(if on {
                "town_change.out.on"
            } else {
                "town_change.out.off"
            }),
        )
    } else {
        Msg::new(if on {
            "town_change.out.surge_on"
        } else {
            "town_change.out.surge_off"
        })
        .arg("percent", i.stock_threshold_in_effect())
        .arg("critical", i.critical_wait_in_effect())
        .arg("severe", i.severe_wait_in_effect())
    };
    println!("{}", env.say(&msg));
    Ok(())
}
