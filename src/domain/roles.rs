//! Who may do what: the permission table in one place, used by the console and the
//! command line alike.

use super::town::Role;
use crate::i18n::Msg;

/// Every action the desk guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
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
    /// Record a call or visit to a key-population person (duty officers and up).
    RecordContact,
    /// Import the key-population register and change a person's level (the shift lead).
    ManageRegister,
}

impl Permission {
    /// Every permission, for tables and tests.
    pub const ALL: [Permission; 15] = [
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
        Permission::RecordContact,
        Permission::ManageRegister,
    ];

    /// Catalogue key of what the permission lets someone do (shown in refusals).
    pub fn label_key(self) -> &'static str {
        match self {
            Permission::EnterReport => "perm.enter_report",
            Permission::SignReport => "perm.sign_report",
            Permission::ReopenReport => "perm.reopen_report",
            Permission::RequestTransport => "perm.request_transport",
            Permission::Dispatch => "perm.dispatch",
            Permission::VehicleService => "perm.vehicle_service",
            Permission::HandleEscalation => "perm.handle_escalation",
            Permission::SetStock => "perm.set_stock",
            Permission::WriteLog => "perm.write_log",
            Permission::SignHandover => "perm.sign_handover",
            Permission::ManageStaff => "perm.manage_staff",
            Permission::EditTown => "perm.edit_town",
            Permission::PlanRoster => "perm.plan_roster",
            Permission::RecordContact => "perm.record_contact",
            Permission::ManageRegister => "perm.manage_register",
        }
    }

    /// The permission's internal name (files, logs).
    pub fn as_str(self) -> &'static str {
        self.into()
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
                | RecordContact
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
                | RecordContact
                | ManageRegister
        ),
    }
}

/// `Ok` when allowed; otherwise the refusal saying what the role may not do, by the
/// catalogue's labels (never the internal names).
pub fn check(role: Role, p: Permission) -> Result<(), Msg> {
    if allows(role, p) {
        Ok(())
    } else {
        Err(Msg::new("deny.not_permitted")
            .label("permission", p.label_key())
            .label("role", role.label_key()))
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
        None => Err(Msg::new("deny.not_on_staff")
            .quoted("name", name)
            .label("permission", p.label_key())),
    }
}

/// The refusal of someone retired from the staff list: kept in history, they can no
/// longer operate (the console's start, the command line and the store say the same).
pub fn retired_refusal(name: &str) -> Msg {
    Msg::new("town_change.err.staff_retired").quoted("name", name.trim())
}

/// [`check_operator`] for a name that may have been retired from the staff list: someone
/// with no current role who is `retired` is refused as such, before the policy is asked.
pub fn check_standing(
    name: &str,
    role: Option<Role>,
    retired: bool,
    staff_listed: bool,
    p: Permission,
) -> Result<(), Msg> {
    if role.is_none() && retired {
        return Err(retired_refusal(name));
    }
    check_operator(name, role, staff_listed, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retired_name_is_refused_as_retired_first() {
        let p = Permission::WriteLog;
        let e = check_standing(" 旧人 ", None, true, true, p).unwrap_err();
        assert_eq!(e.key, "town_change.err.staff_retired");
        assert_eq!(e.args[0].1, "旧人");
        assert_eq!(
            check_standing("x", None, false, true, p).unwrap_err().key,
            "deny.not_on_staff"
        );
        assert!(check_standing("x", Some(Role::DutyOfficer), true, true, p).is_ok());
        assert!(check_standing("x", None, false, false, p).is_ok());
    }

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
                allows(role, Permission::RecordContact),
                matches!(role, Role::DutyOfficer | Role::ShiftLead | Role::DutyLeader),
                "record contact {role:?}"
            );
            assert_eq!(
                allows(role, Permission::ManageRegister),
                matches!(role, Role::ShiftLead | Role::DutyLeader),
                "import people, change levels {role:?}"
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

    /// Issue 19: refusals named `duty_officer` and `sign_report`; now every role and
    /// permission is shown by its catalogue label, in both languages.
    #[test]
    fn refusals_say_what_the_role_may_not_do_by_its_labels() {
        use crate::i18n::Lang;
        let m = check(Role::DutyOfficer, Permission::SignReport).unwrap_err();
        assert_eq!(
            m.render(Lang::En),
            "not permitted: a duty officer may not sign a day's report"
        );
        assert_eq!(m.render(Lang::Zh), "无权操作：值班员不能签署日报");
        for role in Role::ALL {
            for p in Permission::ALL {
                if let Err(m) = check(role, p) {
                    for lang in [Lang::En, Lang::Zh] {
                        let text = m.render(lang);
                        assert!(!text.contains('_'), "{text}");
                    }
                }
            }
        }
        let m = check_operator("x", None, true, Permission::WriteLog).unwrap_err();
        assert!(!m.render(Lang::En).contains("write_log"));
    }

    #[test]
    fn every_permission_is_in_all_with_its_name() {
        use strum::IntoEnumIterator;
        // a permission missing from ALL is skipped by the console's "may do nothing" check
        let derived: Vec<Permission> = Permission::iter().collect();
        assert_eq!(Permission::ALL.to_vec(), derived);
        let names: Vec<&str> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "enter_report",
                "sign_report",
                "reopen_report",
                "request_transport",
                "dispatch",
                "vehicle_service",
                "handle_escalation",
                "set_stock",
                "write_log",
                "sign_handover",
                "manage_staff",
                "edit_town",
                "plan_roster",
                "record_contact",
                "manage_register"
            ]
        );
    }

    #[test]
    fn strangers_write_only_where_there_is_no_staff_list() {
        let m = check_operator("x", None, true, Permission::WriteLog).unwrap_err();
        assert_eq!(m.key, "deny.not_on_staff");
        assert!(check_operator("x", None, false, Permission::WriteLog).is_ok());
        assert!(check_operator("x", Some(Role::Viewer), true, Permission::WriteLog).is_err());
    }
}
