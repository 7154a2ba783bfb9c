//! Who may run which command: each command's permission decided in one place, checked
//! against the one policy (`roles::check_operator`) before the command touches anything.

use super::args::{Command, ImportCmd, ReportAction, TransportCmd};
use super::escalations::{EscalationCmd, StockCmd};
use super::shiftlog::{HandoverCmd, LogCmd};
use super::staff::StaffCmd;
use super::{CliError, CliResult, Env};
use crate::domain::roles::{Permission, check_standing};

/// The permission a command needs, `None` for reading (and for setting one's own PIN,
/// which the store allows anyone on the staff list).
pub fn required(cmd: &Command, operator: &str) -> Option<Permission> {
    use Permission::*;
    match cmd {
        Command::Init { .. }
        | Command::Vehicles { .. }
        | Command::Completions { .. }
        | Command::Man
        | Command::Config(_)
        | Command::Upgrade => None,
        // a dry run checks the file as the import would, so it is held to the same right
        Command::Import(ImportCmd::Reports { .. }) => Some(EnterReport),
        Command::Report(r) => match &r.action {
            None => None,
            Some(ReportAction::Sign { .. } | ReportAction::Note { .. }) => Some(SignReport),
            Some(ReportAction::Reopen { .. }) => Some(ReopenReport),
        },
        Command::Transport(t) => match t {
            TransportCmd::Request { .. } => Some(RequestTransport),
            TransportCmd::Dispatch { .. } | TransportCmd::Advance { .. } => Some(Dispatch),
            TransportCmd::Service { .. } => Some(VehicleService),
            TransportCmd::List { .. } => None,
        },
        Command::Escalation(e) => match e {
            EscalationCmd::List { .. } => None,
            _ => Some(HandleEscalation),
        },
        Command::County(_) => None,
        Command::Capacity(c) => match c {
            super::facility::CapacityCmd::Set { .. } => Some(SetStock),
            super::facility::CapacityCmd::List { .. } => None,
        },
        Command::Stock(s) => match s {
            StockCmd::Set { .. } => Some(SetStock),
            StockCmd::List { .. } => None,
        },
        Command::Log(l) => match l {
            LogCmd::List { .. } => None,
            _ => Some(WriteLog),
        },
        Command::Handover(h) => match h {
            HandoverCmd::Show { .. } => None,
            HandoverCmd::Sign { .. } => Some(SignHandover),
            HandoverCmd::Notes { .. } => Some(WriteLog),
        },
        Command::Staff(StaffCmd::SetPin { name }) => {
            (name.trim() != operator.trim()).then_some(ManageStaff)
        }
        Command::Town(t) => match t {
            super::town::TownCmd::Show => None,
            _ => Some(EditTown),
        },
        Command::Login { .. } | Command::Logout | Command::Audit(_) => None,
        Command::Roster(r) => match r {
            super::roster::RosterCmd::Show { .. } => None,
            _ => Some(PlanRoster),
        },
        // the watcher writes as the rules do; the alert list only reads
        Command::Watch { .. } | Command::Alert(_) => None,
        Command::People(c) => c.permission(),
    }
}

/// True for the commands that change the database on an operator's behalf: they must
/// name the operator, who must prove who they are (`session::gate`).
pub fn is_write(cmd: &Command) -> bool {
    matches!(cmd, Command::Staff(_)) || required(cmd, "").is_some()
}

/// Refuses (exit 4, naming the missing permission) a command the operator may not run.
/// Then, for a write, the operator must be named and proven (`session::gate`); `staff
/// set-pin` for oneself proves it with the current PIN instead (`staff::set_pin`).
pub fn authorize(env: &Env, cmd: &Command) -> CliResult {
    if is_write(cmd) && env.operator.is_empty() {
        return Err(super::session::no_operator(env));
    }
    let Some(p) = required(cmd, &env.operator) else {
        return Ok(());
    };
    tracing::info!(operator = %env.operator, permission = p.as_str(), "command");
    let (store, town) = env.open()?;
    let role = town.staff_member(&env.operator).map(|s| s.role);
    let retired = town.is_retired_staff(&env.operator);
    check_standing(&env.operator, role, retired, !town.staff.is_empty(), p)
        .map_err(|m| CliError::NotPermitted(env.say(&m)))?;
    super::session::gate(env, &store, role)
}
