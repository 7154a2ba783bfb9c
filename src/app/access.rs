//! The console's side of the one permission policy: every write it can ask for mapped to
//! its permission in one place, and refused before it is sent when the operator lacks it.

use super::escalations::EscalationsWrite;
use super::fleet::FleetWrite;
use super::model::{Model, Status};
use super::report::ReportWrite;
use super::shiftlog::ShiftlogWrite;
use super::{Effect, WriteCmd};
use crate::domain::roles::{Permission, check_operator};
use crate::domain::town::Role;
use crate::i18n::Msg;

/// The permission a console write needs.
pub fn permission(cmd: &WriteCmd) -> Permission {
    use Permission::*;
    match cmd {
        WriteCmd::Report(r) => match r {
            ReportWrite::Save(_) => EnterReport,
            ReportWrite::Sign { .. } | ReportWrite::Note { .. } => SignReport,
            ReportWrite::Reopen { .. } => ReopenReport,
        },
        WriteCmd::Fleet(f) => match f {
            FleetWrite::Request(_) => RequestTransport,
            FleetWrite::Dispatch { .. } | FleetWrite::Advance { .. } | FleetWrite::Step { .. } => {
                Dispatch
            }
            FleetWrite::Service { .. } => VehicleService,
        },
        WriteCmd::Escalations(e) => match e {
            EscalationsWrite::Raise { .. }
            | EscalationsWrite::Ack(_)
            | EscalationsWrite::Resolve(..) => HandleEscalation,
            EscalationsWrite::SetStock { .. } => SetStock,
            // marking an alert seen is for anyone who may write the shift's log
            EscalationsWrite::AlertSeen(_) => WriteLog,
        },
        WriteCmd::Town(_) => EditTown,
        WriteCmd::People(super::people::PeopleWrite::Contact(_)) => RecordContact,
        WriteCmd::People(super::people::PeopleWrite::Retire { .. }) => ManageRegister,
        WriteCmd::Shiftlog(l) => match l {
            ShiftlogWrite::Sign { .. } => SignHandover,
            ShiftlogWrite::Plan { .. } => PlanRoster,
            ShiftlogWrite::Add { .. }
            | ShiftlogWrite::Amend { .. }
            | ShiftlogWrite::Edit { .. }
            | ShiftlogWrite::Notes { .. }
            | ShiftlogWrite::SetRoster { .. }
            | ShiftlogWrite::RemoveRoster { .. } => WriteLog,
        },
    }
}

/// The operator's role, if on the staff list.
pub fn role(m: &Model) -> Option<Role> {
    m.town.staff_member(&m.operator).map(|s| s.role)
}

/// May the operator do `p`? The refusal names the missing permission.
pub fn allowed(m: &Model, p: Permission) -> Result<(), Msg> {
    check_operator(&m.operator, role(m), !m.town.staff.is_empty(), p)
}

/// True when the operator may change nothing at all (a viewer, or not on the staff list).
pub fn read_only(m: &Model) -> bool {
    Permission::ALL.iter().all(|p| allowed(m, *p).is_err())
}

/// Drops the writes the operator may not make, saying why (and ringing the bell), so a
/// refused action never reaches the store.
pub fn guard(m: &mut Model, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::with_capacity(effects.len());
    for e in effects {
        let refusal = match &e {
            Effect::Write(cmd, _) => allowed(m, permission(cmd)).err(),
            _ => None,
        };
        match refusal {
            None => out.push(e),
            Some(msg) => {
                let msg = Msg::new("access.not_allowed").arg("reason", msg.render(m.lang));
                super::report::write_done(m, &Err(msg.clone()));
                m.status = Some(Status { msg, error: true });
                if !out.contains(&Effect::Bell) {
                    out.push(Effect::Bell);
                }
            }
        }
    }
    out
}

/// Refuses an action before its form or question opens, when the operator may not take
/// it: says why on the status line (by the catalogue's labels) and rings the bell, so no
/// one fills in a whole form only to be told on save. `None` when allowed.
pub fn refuse(m: &mut Model, p: Permission) -> Option<Vec<Effect>> {
    let reason = allowed(m, p).err()?;
    let msg = Msg::new("access.not_allowed").arg("reason", reason.render(m.lang));
    m.status = Some(Status { msg, error: true });
    Some(vec![Effect::Bell])
}
