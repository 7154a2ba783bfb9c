//! The command-line grammar (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Terminal console for a township's 24-hour epidemic duty desk.
#[derive(Debug, Parser)]
#[command(name = "duty-desk", version, about, long_about = None)]
pub struct Cli {
    /// Database file (default: duty.db in the platform data directory).
    #[arg(long, global = true, env = "DUTY_DESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language: en or zh (default from LANG).
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Who is operating (recorded on every write).
    #[arg(long, global = true, env = "DUTY_DESK_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,
    /// Open the console on a fresh copy of the demo town, dates moved to today.
    #[arg(long)]
    pub demo: bool,
    /// Do not send desktop notifications.
    #[arg(long, global = true)]
    pub no_notify: bool,
    /// More detail in the log file (in the data directory, never on the terminal).
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Settings file (default: config.toml in the platform config directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// What to do (without one: open the console).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `--operator` was typed on the command line (not taken from the environment): for
    /// `audit list` it is then the filter.
    #[arg(skip)]
    pub operator_typed: bool,
}

impl Cli {
    /// Parses the process's arguments, noting where `--operator` came from.
    pub fn try_parse_noting_operator() -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().try_get_matches()?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.operator_typed = typed(&matches, "operator");
        Ok(cli)
    }
}

/// True when the global argument `id` was given on the command line at any level.
fn typed(m: &clap::ArgMatches, id: &str) -> bool {
    m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        || m.subcommand().is_some_and(|(_, s)| typed(s, id))
}

/// Output formats of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    /// A table for people.
    #[default]
    Text,
    /// JSON for other tools.
    Json,
}

/// Output formats of the daily report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// Plain text.
    #[default]
    Text,
    /// Markdown.
    Md,
    /// CSV (the import format).
    Csv,
    /// JSON.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database for a town from its town file; never overwrites one.
    Init {
        /// The town file (TOML).
        #[arg(
            long,
            value_name = "FILE.toml",
            required_unless_present = "demo",
            conflicts_with = "demo"
        )]
        town: Option<PathBuf>,
        /// Create the demo town instead (dates moved to today), to try commands on.
        #[arg(long)]
        demo: bool,
    },
    /// Import data files.
    #[command(subcommand)]
    Import(ImportCmd),
    /// The town's daily report.
    Report(ReportCmd),
    /// The vehicle availability board.
    Vehicles {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Transport requests and trips.
    #[command(subcommand)]
    Transport(TransportCmd),
    /// Escalations: add, take in hand, resolve, list (the rules run first).
    #[command(subcommand)]
    Escalation(super::escalations::EscalationCmd),
    /// Drug and test-kit reserves per health center or village clinic.
    #[command(subcommand)]
    Stock(super::escalations::StockCmd),
    /// The current shift's log.
    #[command(subcommand)]
    Log(super::shiftlog::LogCmd),
    /// The shift handover: show it, sign it over, set the notes.
    #[command(subcommand)]
    Handover(super::shiftlog::HandoverCmd),
    /// Shell completions for bash, zsh or fish, on standard output.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// The manual page (roff), on standard output.
    Man,
    /// The effective settings.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Operators: set a person's console PIN.
    #[command(subcommand)]
    Staff(super::staff::StaffCmd),
    /// Bring the database to this program's schema (read commands never do it).
    Upgrade,
    /// The town after init: show it as a town file, apply a changed file, switch surge.
    #[command(subcommand)]
    Town(super::town::TownCmd),
    /// Health centers' beds, oxygen, oximeters and fever clinic.
    #[command(subcommand)]
    Capacity(super::facility::CapacityCmd),
    /// The county desk: roll up the towns' daily reports.
    #[command(subcommand)]
    County(super::county::CountyCmd),
    /// Prove your PIN once and open a session for your writes (this OS user, this
    /// database, `[rules] session_hours`, default 12).
    Login {
        /// Read the PIN from the first line of standard input instead of the terminal.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// End your session on this database.
    Logout,
    /// The audit log: check its hash chain, or list it (the supervision view).
    #[command(subcommand)]
    Audit(super::audit::AuditCmd),
    /// The roster plan: who is on duty on which day.
    #[command(subcommand)]
    Roster(super::roster::RosterCmd),
    /// Run the rules, deadlines, re-alerts and raises and deliver alerts without a
    /// console (for a service manager or a timer; one running watcher per database).
    Watch {
        /// One pass, then exit 0 (for timers and tests).
        #[arg(long)]
        once: bool,
        /// Seconds between passes.
        #[arg(long, value_name = "SECS", default_value_t = 30,
              value_parser = clap::value_parser!(u64).range(1..=3600))]
        interval: u64,
    },
    /// The alert records: what was noticed, delivered, seen, retired.
    #[command(subcommand)]
    Alert(super::alerts::AlertCmd),
    /// Key populations (重点人群): the register, contacts, levels, the call list, the week.
    #[command(subcommand)]
    People(super::people::PeopleCmd),
}

/// Settings commands.
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective settings and where they come from.
    Show,
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Village daily reports from a CSV file, all or nothing.
    Reports {
        /// The CSV file.
        file: PathBuf,
        /// Check and show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace stored rows that differ (old values stay in the audit log).
        #[arg(long)]
        replace: bool,
    },
}

/// `report` and its subcommands.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportCmd {
    /// The day (YYYY-MM-DD; default today).
    #[arg(long, value_name = "D", conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// First day of a range (with --to; csv or json).
    #[arg(long, value_name = "D1", requires = "to")]
    pub from: Option<String>,
    /// Last day of a range (with --from; csv or json).
    #[arg(long, value_name = "D2", requires = "from")]
    pub to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
    /// Sign or reopen a day.
    #[command(subcommand)]
    pub action: Option<ReportAction>,
}

/// Sign-off actions.
#[derive(Debug, Subcommand)]
pub enum ReportAction {
    /// Lock a day's report (shift lead).
    Sign {
        /// The day (default today).
        #[arg(long, value_name = "D")]
        date: Option<String>,
        /// Why the day is signed with villages missing (required then).
        #[arg(long, value_name = "T")]
        reason: Option<String>,
    },
    /// Write the shift lead's analysis (研判) of a day (frozen once the day is signed).
    Note {
        /// The day (default today).
        #[arg(long, value_name = "D")]
        date: Option<String>,
        /// The analysis.
        text: String,
    },
    /// Reopen a signed day, with a reason (duty leader).
    Reopen {
        /// The day (default today).
        #[arg(long, value_name = "D")]
        date: Option<String>,
        /// Why it is reopened.
        #[arg(long)]
        reason: String,
    },
}

/// Transport commands.
#[derive(Debug, Subcommand)]
pub enum TransportCmd {
    /// Record a new request; prints its id.
    Request {
        /// Village code or name.
        #[arg(long)]
        village: String,
        /// Patient's name.
        #[arg(long)]
        patient: String,
        /// critical, severe or stable.
        #[arg(long)]
        severity: String,
        /// Destination: health center or hospital code.
        #[arg(long = "to", value_name = "DEST")]
        to: String,
        /// Patient's age.
        #[arg(long)]
        age: Option<i64>,
        /// Who asked.
        #[arg(long)]
        caller: Option<String>,
        /// Note.
        #[arg(long)]
        note: Option<String>,
        /// Save even when it likely repeats a request taken in the last half hour (same
        /// village and patient or caller); without it such a request is refused (exit 3).
        #[arg(long)]
        force: bool,
    },
    /// Assign a vehicle (the suggested one when none is named).
    Dispatch {
        /// Request id.
        id: i64,
        /// Vehicle code.
        #[arg(long)]
        vehicle: Option<String>,
    },
    /// Move a trip to its next status.
    Advance {
        /// Trip id.
        id: i64,
        /// en_route, on_scene, transporting, at_destination, back_in_service or cancelled.
        status: String,
        /// When the step really happened, town time HH:MM (today's; not before the trip's
        /// previous step, not in the future). Default: now.
        #[arg(long, value_name = "HH:MM")]
        at: Option<String>,
        /// Why the trip is called off: required with `cancelled`, kept and audited.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Open (or all) transports.
    List {
        /// Include finished and cancelled trips.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
        /// Show patients' names whole in the text list (JSON always carries them).
        #[arg(long)]
        with_names: bool,
    },
    /// Take a vehicle out of service, or bring it back.
    Service {
        /// Vehicle code.
        vehicle: String,
        /// `out` or `in`.
        #[arg(value_parser = ["out", "in"])]
        state: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
}
