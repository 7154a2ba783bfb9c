//! Who may do what: the permission table in one place, used by the console and the
//! command line alike.

use super::town::Role;
use crate::i18n::Msg;

/// Every action the desk guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Enter or change a village's daily figures, import reports.
    EnterReport,
    /// Sign a day's report.
    SignReport,
    /// Reopen a signed day.
    ReopenReport,
    /// Record a transport request.
    RequestTransport,
    /// Dispatch a vehicle, advance or cancel a trip.
    Dispatch,
    /// Put a vehicle out of service or back.
    VehicleService,
    /// Raise, acknowledge or resolve an escalation.
    HandleEscalation,
    /// Record stock counts.
    SetStock,
    /// Write the shift log, notes and roster.
    WriteLog,
    /// Sign a handover as the incoming officer.
    SignHandover,
    /// Set a person's PIN.
    ManageStaff,
    /// Change the town after init (apply a town file, edit a record, switch surge).
    EditTown,
    /// Plan who is on duty on which day (the roster plan).
    PlanRoster,
}

impl Permission {
    /// Every permission, for tables and tests.
    pub const ALL: [Permission; 13] = [
        Permission::EnterReport,
        Permission::SignReport,
        Permission::ReopenReport,
        Permission::RequestTransport,
        Permission::Dispatch,
        Permission::VehicleService,
        Permission::HandleEscalation,
        Permission::SetStock,
        Permission::WriteLog,
        Permission::SignHandover,
        Permission::ManageStaff,
        Permission::EditTown,
        Permission::PlanRoster,
    ];

    /// Name shown when the permission is missing.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::EnterReport => "enter_report",
            Permission::SignReport => "sign_report",
            Permission::ReopenReport => "reopen_report",
            Permission::RequestTransport => "request_transport",
            Permission::Dispatch => "dispatch",
            Permission::VehicleService => "vehicle_service",
            Permission::HandleEscalation => "handle_escalation",
            Permission::SetStock => "set_stock",
            Permission::WriteLog => "write_log",
            Permission::SignHandover => "sign_handover",
            Permission::ManageStaff => "manage_staff",
            Permission::EditTown => "edit_town",
            Permission::PlanRoster => "plan_roster",
        }
    }
}

/// The table: does `role` hold `p`?
pub fn allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match role {
        Viewer => false,
        DutyLeader => true,
        DutyOfficer => matches!(
            p,
            EnterReport
                | RequestTransport
                | Dispatch
                | VehicleService
                | HandleEscalation
                | SetStock
                | WriteLog
                | SignHandover
        ),
        Dispatcher => matches!(
            p,
            RequestTransport
                | Dispatch
                | VehicleService
                | HandleEscalation
                | WriteLog
                | SignHandover
        ),
        ShiftLead => matches!(
            p,
            EnterReport
                | SignReport
                | RequestTransport
                | HandleEscalation
                | SetStock
                | WriteLog
                | SignHandover
                | PlanRoster
        ),
    }
}

/// `Ok` when allowed; otherwise the refusal naming the missing permission and the role.
pub fn check(role: Role, p: Permission) -> Result<(), Msg> {
    if allows(role, p) {
        Ok(())
    } else {
        Err(Msg::new("err.not_permitted")
            .arg("permission", p.as_str())
            .arg("role", role.as_str()))
    }
}

/// The whole policy for one operator, used by the store, the command line and the console:
/// someone on the staff list whose role holds `p`; anyone while the town has no staff list.
pub fn check_operator(
    name: &str,
    role: Option<Role>,
    staff_listed: bool,
    p: Permission,
) -> Result<(), Msg> {
    match role {
        Some(role) => check(role, p),
        None if !staff_listed => Ok(()),
        None => Err(Msg::new("access.not_on_staff")
            .arg("name", name)
            .arg("permission", p.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_rules_hold() {
        for role in Role::ALL {
            assert_eq!(
                allows(role, Permission::Dispatch),
                matches!(
                    role,
                    Role::Dispatcher | Role::DutyOfficer | Role::DutyLeader
                ),
                "dispatch {role:?}"
            );
            assert_eq!(
                allows(role, Permission::SignReport),
                matches!(role, Role::ShiftLead | Role::DutyLeader),
                "sign {role:?}"
            );
            assert_eq!(
                allows(role, Permission::PlanRoster),
                matches!(role, Role::ShiftLead | Role::DutyLeader),
                "plan roster {role:?}"
            );
            assert_eq!(
                allows(role, Permission::ReopenReport),
                role == Role::DutyLeader,
                "reopen {role:?}"
            );
            assert_eq!(
                allows(role, Permission::EditTown),
                role == Role::DutyLeader,
                "edit town {role:?}"
            );
        }
        for p in Permission::ALL {
            assert!(!allows(Role::Viewer, p), "viewers change nothing: {p:?}");
            assert!(allows(Role::DutyLeader, p));
        }
    }

    #[test]
    fn refusals_name_the_permission() {
        let m = check(Role::Viewer, Permission::Dispatch).unwrap_err();
        assert!(m.render(crate::i18n::Lang::En).contains("dispatch"));
    }

    #[test]
    fn strangers_write_only_where_there_is_no_staff_list() {
        let m = check_operator("x", None, true, Permission::WriteLog).unwrap_err();
        assert_eq!(m.key, "access.not_on_staff");
        assert!(check_operator("x", None, false, Permission::WriteLog).is_ok());
        assert!(check_operator("x", Some(Role::Viewer), true, Permission::WriteLog).is_err());
    }
}
