//! The command line: the console's entry point and the non-interactive commands of
//! DESIGN.md. Commands reuse `store/` and `domain/` directly.
//!
//! Exit codes: 0 done; 2 bad input; 3 conflict; 4 not permitted; 1 anything else.

mod access;
mod alerts;
mod args;
mod audit;
mod county;
mod escalations;
mod facility;
mod fleet;
mod init;
mod people;
mod reports;
mod roster;
mod session;
mod shiftlog;
mod staff;
mod stream;
mod town;

use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{Cli, Command};

use crate::domain::text::display;
use crate::domain::time::Clock;
use crate::domain::town::Town;
use crate::i18n::{Lang, Msg};
use crate::store::{Ctx, Store, StoreError};

/// A failed command: what to print and which exit code to give.
#[derive(Debug)]
pub enum CliError {
    /// Bad input (exit 2): each line printed on its own.
    Input(Vec<String>),
    /// Conflict (exit 3).
    Conflict(String),
    /// Not permitted (exit 4).
    NotPermitted(String),
    /// Anything else (exit 1).
    Other(String),
}

impl CliError {
    /// The exit code of this failure.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Conflict(_) => 3,
            CliError::NotPermitted(_) => 4,
            CliError::Other(_) => 1,
        }
    }

    /// Turns a store error into a command failure, in `lang`.
    pub fn store(e: StoreError, lang: Lang) -> CliError {
        let text = e.render(lang);
        match e {
            StoreError::Invalid(_) => CliError::Input(vec![text]),
            StoreError::Conflict(_) => CliError::Conflict(text),
            StoreError::NotPermitted(_) => CliError::NotPermitted(text),
            StoreError::Sql(_) | StoreError::Open(_) => CliError::Other(text),
        }
    }

    /// A single bad-input message.
    pub fn input(msg: Msg, lang: Lang) -> CliError {
        CliError::Input(vec![msg.render(lang)])
    }
}

/// Result of a command.
pub type CliResult = Result<(), CliError>;

/// What every command needs: language, clock, operator, database path.
#[derive(Debug, Clone)]
pub struct Env {
    /// Output language.
    pub lang: Lang,
    /// The clock (`DUTY_DESK_NOW` fixes it).
    pub clock: Clock,
    /// Who is acting.
    pub operator: String,
    /// The database file.
    pub db: PathBuf,
    /// The command only reads: the database is opened read-only, never migrated.
    pub read_only: bool,
}

impl Env {
    /// The write context for now.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            operator: self.operator.clone(),
            now: self.clock.now(),
        }
    }

    /// Opens the database (read-only for a read command, see [`reads_only`]) and reads
    /// the town. Writes take their time from the command's clock once their lock is held.
    pub fn open(&self) -> Result<(Store, Town), CliError> {
        let store = if self.read_only {
            Store::open_read(&self.db)
        } else {
            Store::open(&self.db).map(|mut s| {
                s.use_clock(self.clock);
                s
            })
        }
        .map_err(|e| CliError::store(e, self.lang))?;
        let town =
            crate::store::town::load(store.conn()).map_err(|e| CliError::store(e, self.lang))?;
        Ok((store, town))
    }

    /// Renders a message in the command's language.
    pub fn say(&self, m: &Msg) -> String {
        m.render(self.lang)
    }
}

/// The default database: `duty.db` in the platform data directory.
pub fn default_db() -> PathBuf {
    directories::ProjectDirs::from("", "", "duty-desk")
        .map(|d| d.data_dir().join("duty.db"))
        .unwrap_or_else(|| PathBuf::from("duty.db"))
}

fn default_operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "operator".to_string())
}

/// Prints a command-line parsing error (or the help clap was asked for) with every value
/// it echoes cleaned: an argument may carry escape sequences.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // help text is ours; clap prints it and exits 0 (2 for a missing subcommand)
        e.exit();
    }
    for l in e.to_string().lines() {
        eprintln!("{}", display(l));
    }
    ExitCode::from(2)
}

/// Runs the program with the process's arguments; returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse_noting_operator() {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    let _log_guard = crate::logging::init(cli.verbose);
    // problems in the settings file are told in the language asked for on the command line
    let early_lang = cli
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(Lang::from_env);
    let settings = match crate::config::load(cli.config.as_deref(), early_lang) {
        Ok(c) => c,
        Err(lines) => {
            for l in lines {
                eprintln!("{}", display(&l));
            }
            return ExitCode::from(2);
        }
    };
    let lang = cli
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .or(settings.lang)
        .unwrap_or_else(Lang::from_env);
    let clock = match Clock::from_env() {
        Ok(c) => c,
        Err(m) => {
            eprintln!("duty-desk: {}", m.render(lang));
            return ExitCode::from(2);
        }
    };
    let env = Env {
        lang,
        clock,
        // names are compared after trimming; the stored name is the trimmed one
        operator: cli
            .operator
            .as_deref()
            .map(|o| o.trim().to_string())
            .unwrap_or_default(),
        db: cli.db.clone().unwrap_or_else(default_db),
        read_only: false,
    };
    match run(cli, env, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                // every line on stderr is one clean line (a path, a cell, a key may be
                // anything a file or a caller gave)
                CliError::Input(lines) => {
                    for l in lines {
                        eprintln!("{}", display(l));
                    }
                }
                CliError::Conflict(s) | CliError::NotPermitted(s) | CliError::Other(s) => {
                    eprintln!("duty-desk: {}", display(s));
                }
            }
            ExitCode::from(e.code())
        }
    }
}

fn run(cli: Cli, mut env: Env, settings: crate::config::Config) -> CliResult {
    if let Some(lang) = &cli.lang
        && Lang::parse(lang).is_none()
    {
        return Err(CliError::input(
            Msg::new("err.bad_lang").quoted("value", lang),
            env.lang,
        ));
    }
    let operator_typed = cli.operator_typed;
    let Some(cmd) = cli.command else {
        return open_console(
            &cli.demo,
            env,
            cli.no_notify || !settings.notifications,
            &settings,
        );
    };
    // a write must name its operator (exit 4 says how); reads and `init` keep the login
    // name for their records
    if env.operator.is_empty() && !access::is_write(&cmd) {
        env.operator = default_operator();
    }
    access::authorize(&env, &cmd)?;
    env.read_only = reads_only(&cmd);
    match cmd {
        Command::Init {
            town: Some(town), ..
        } => init::run(&env, &town),
        Command::Init { town: None, .. } => init::demo(&env),
        Command::Import(args::ImportCmd::Reports {
            file,
            dry_run,
            replace,
        }) => reports::import(&env, &file, dry_run, replace),
        Command::Report(r) => reports::report(&env, r),
        Command::Vehicles { format } => fleet::vehicles(&env, format),
        Command::Transport(t) => fleet::transport(&env, t),
        Command::Escalation(c) => escalations::escalation(&env, c),
        Command::Stock(c) => escalations::stock(&env, c),
        Command::Capacity(c) => facility::capacity(&env, c),
        Command::County(c) => county::county(&env, c),
        Command::Log(c) => shiftlog::log(&env, c),
        Command::Handover(c) => shiftlog::handover(&env, c),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "duty-desk", &mut buf);
            write_out(&buf)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| CliError::Other(e.to_string()))?;
            write_out(&buf)
        }
        Command::Config(args::ConfigCmd::Show) => config_show(&env, &settings),
        Command::Staff(c) => staff::staff(&env, c),
        Command::Upgrade => upgrade(&env),
        Command::Town(c) => town::town(&env, c),
        Command::Login { pin_stdin } => session::login(&env, pin_stdin),
        Command::Logout => session::logout(&env),
        Command::Audit(c) => audit::audit(&env, c, operator_typed),
        Command::Roster(c) => roster::roster(&env, c),
        Command::Watch { once, interval } => alerts::watch(&env, once, interval, &settings),
        Command::Alert(c) => alerts::alert(&env, c),
        Command::People(c) => people::people(&env, c),
    }
}

/// The commands that only read: they open the database read-only and never create,
/// migrate or stamp it. `escalation list` is not one of them: it runs the automatic
/// rules first, which raise and clear escalations.
pub fn reads_only(cmd: &Command) -> bool {
    use escalations::StockCmd;
    use shiftlog::{HandoverCmd, LogCmd};
    match cmd {
        Command::Vehicles { .. }
        | Command::Transport(args::TransportCmd::List { .. })
        | Command::Stock(StockCmd::List { .. })
        | Command::Capacity(facility::CapacityCmd::List { .. })
        | Command::County(_)
        | Command::Log(LogCmd::List { .. })
        | Command::Handover(HandoverCmd::Show { .. })
        | Command::Town(town::TownCmd::Show)
        | Command::Config(_)
        | Command::Audit(_)
        | Command::Roster(roster::RosterCmd::Show { .. })
        | Command::Alert(_)
        | Command::Completions { .. }
        | Command::Man => true,
        Command::Report(r) => r.action.is_none(),
        Command::People(p) => p.reads_only(),
        _ => false,
    }
}

/// `duty-desk upgrade`: brings the database to this program's schema.
fn upgrade(env: &Env) -> CliResult {
    let (from, to) = Store::upgrade(&env.db).map_err(|e| CliError::store(e, env.lang))?;
    let msg = if from == to {
        Msg::new("open.up_to_date")
            .arg("path", env.db.display())
            .arg("version", to)
    } else {
        Msg::new("open.upgraded")
            .arg("path", env.db.display())
            .arg("from", from)
            .arg("to", to)
    };
    println!("{}", env.say(&msg));
    Ok(())
}

/// Writes generated text to stdout; a reader that stops early (`| head`) is not an error.
fn write_out(bytes: &[u8]) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Other(e.to_string())),
        _ => Ok(()),
    }
}

fn config_show(env: &Env, c: &crate::config::Config) -> CliResult {
    let source = c
        .source
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| env.say(&Msg::new("config.defaults")));
    println!(
        "# {}",
        env.say(&Msg::new("config.source").arg("source", source))
    );
    println!("language = \"{}\"", env.lang.code());
    println!("theme = \"{}\"", c.theme.as_str());
    println!("keys = \"{}\"", c.keys.as_str());
    println!("notifications = {}", c.notifications);
    println!("refresh_ms = {}", c.refresh_ms);
    println!("[alerts]");
    let words: Vec<String> = c
        .alerts
        .command
        .iter()
        .map(|w| serde_json::Value::String(display(w).into_owned()).to_string())
        .collect();
    println!("command = [{}]", words.join(", "));
    println!("timeout_secs = {}", c.alerts.timeout_secs);
    println!("# database = {}", display(&env.db.display().to_string()));
    println!(
        "# log_dir = {}",
        display(&crate::logging::log_dir().display().to_string())
    );
    Ok(())
}

fn open_console(
    demo: &bool,
    mut env: Env,
    no_notify: bool,
    settings: &crate::config::Config,
) -> CliResult {
    crate::notify::set_enabled(!no_notify);
    let _demo_dir;
    if *demo {
        let built =
            crate::demo::build(env.clock.now()).map_err(|e| CliError::Other(e.render(env.lang)))?;
        env.db = built.path.clone();
        if env.operator.is_empty() {
            env.operator = built.operator.clone();
        }
        _demo_dir = built;
    }
    // the console asks who is on duty unless a staff member is named; a town without a
    // staff list has nobody to choose, so the login name stands
    let (_, town) = env.open()?;
    if town.staff.is_empty() {
        if env.operator.is_empty() {
            env.operator = default_operator();
        }
    } else if !env.operator.is_empty() && town.is_retired_staff(&env.operator) {
        return Err(CliError::NotPermitted(
            env.say(&crate::domain::roles::retired_refusal(&env.operator)),
        ));
    } else if !env.operator.is_empty() && town.staff_member(&env.operator).is_none() {
        return Err(CliError::input(
            Msg::new("access.unknown_operator").quoted("name", &env.operator),
            env.lang,
        ));
    }
    crate::app::runtime::run_console(crate::app::runtime::ConsoleOptions {
        db: env.db.clone(),
        lang: env.lang,
        operator: env.operator.clone(),
        clock: env.clock,
        settings: settings.clone(),
    })
    .map_err(|e| CliError::Other(e.to_string()))
}

/// A date argument of `flag` ([`crate::domain::time::date_arg`]): exit 2 with the one
/// message every command gives for a date it cannot take.
pub(crate) fn date_arg(env: &Env, value: &str, flag: &str) -> Result<chrono::NaiveDate, CliError> {
    crate::domain::time::date_arg(value)
        .map_err(|m| CliError::input(m.context(flag.to_string()), env.lang))
}

/// A stored instant in the town's local time (`2026-11-26 08:05`), not UTC; text that is
/// not a stored instant is shown as it is, made safe (`transport list`, `people`).
pub(crate) fn town_time(stored: &str, town: &crate::domain::town::Town) -> String {
    match crate::domain::time::from_db(stored) {
        Some(t) => t
            .with_timezone(&town.info.offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => crate::domain::text::display(stored).into_owned(),
    }
}
