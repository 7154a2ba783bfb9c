//! The audit log's action names, typed. Each variant's string is the `action` stored in
//! the audit table; those strings are part of every stored hash chain and of `audit list`,
//! so they never change. Writers pass a variant to `Writer::audit`; readers that explain
//! rows (the escalation history, the town history) parse the stored text back with
//! [`AuditAction::parse`] (a row written by another version may name none).

/// What an audit row records.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::EnumString,
)]
pub enum AuditAction {
    /// An alert's delivery command was run.
    #[strum(serialize = "alert.attempt")]
    AlertAttempt,
    /// An alert was delivered.
    #[strum(serialize = "alert.delivered")]
    AlertDelivered,
    /// An alert's delivery gave up.
    #[strum(serialize = "alert.failed")]
    AlertFailed,
    /// Someone saw an alert in the console.
    #[strum(serialize = "alert.seen")]
    AlertSeen,
    /// A health center's facilities were recorded.
    #[strum(serialize = "capacity.set")]
    CapacitySet,
    /// An escalation was raised (by a person or a rule).
    #[strum(serialize = "escalation.raise")]
    EscalationRaise,
    /// An escalation was taken in hand.
    #[strum(serialize = "escalation.ack")]
    EscalationAck,
    /// A person resolved an escalation.
    #[strum(serialize = "escalation.resolve")]
    EscalationResolve,
    /// A rule's condition cleared and its escalation closed.
    #[strum(serialize = "escalation.auto_resolve")]
    EscalationAutoResolve,
    /// An escalation passed its deadline.
    #[strum(serialize = "escalation.overdue")]
    EscalationOverdue,
    /// An overdue escalation went to the duty leader.
    #[strum(serialize = "escalation.to_leader")]
    EscalationToLeader,
    /// The handover notes were written.
    #[strum(serialize = "handover.notes")]
    HandoverNotes,
    /// A shift was signed over.
    #[strum(serialize = "handover.sign")]
    HandoverSign,
    /// A shift-log entry was written.
    #[strum(serialize = "log.add")]
    LogAdd,
    /// A shift-log entry was edited.
    #[strum(serialize = "log.edit")]
    LogEdit,
    /// A shift-log entry was amended after the sign-over.
    #[strum(serialize = "log.amend")]
    LogAmend,
    /// An operator logged in to the console.
    #[strum(serialize = "operator.login")]
    OperatorLogin,
    /// A right PIN after wrong ones.
    #[strum(serialize = "operator.pin_accepted")]
    OperatorPinAccepted,
    /// A wrong PIN.
    #[strum(serialize = "operator.pin_failed")]
    OperatorPinFailed,
    /// An operator locked out after wrong PINs.
    #[strum(serialize = "operator.locked")]
    OperatorLocked,
    /// A command-line session opened (`duty-desk login`).
    #[strum(serialize = "operator.session_open")]
    OperatorSessionOpen,
    /// A command-line session closed (`duty-desk logout`).
    #[strum(serialize = "operator.session_close")]
    OperatorSessionClose,
    /// A village's daily figures were saved.
    #[strum(serialize = "report.save")]
    ReportSave,
    /// Reports were imported from CSV.
    #[strum(serialize = "report.import")]
    ReportImport,
    /// An imported report replaced a stored one.
    #[strum(serialize = "report.replace")]
    ReportReplace,
    /// A day's report was signed.
    #[strum(serialize = "report.sign")]
    ReportSign,
    /// A reopened day's report was signed again.
    #[strum(serialize = "report.resign")]
    ReportResign,
    /// The shift lead's analysis of a day.
    #[strum(serialize = "report.note")]
    ReportNote,
    /// A signed day was reopened.
    #[strum(serialize = "report.reopen")]
    ReportReopen,
    /// A shift's roster was opened from the plan or the shift before.
    #[strum(serialize = "roster.open")]
    RosterOpen,
    /// A shift's roster was changed.
    #[strum(serialize = "roster.set")]
    RosterSet,
    /// A day's roster was planned.
    #[strum(serialize = "roster.plan")]
    RosterPlan,
    /// Someone was taken off a shift's roster.
    #[strum(serialize = "roster.remove")]
    RosterRemove,
    /// The automatic rules changed something.
    #[strum(serialize = "rules.run")]
    RulesRun,
    /// A shift was opened.
    #[strum(serialize = "shift.open")]
    ShiftOpen,
    /// An entry was filed to an earlier shift.
    #[strum(serialize = "shift.file_earlier")]
    ShiftFileEarlier,
    /// A PIN was set.
    #[strum(serialize = "staff.set_pin")]
    StaffSetPin,
    /// A stock count was recorded.
    #[strum(serialize = "stock.set")]
    StockSet,
    /// The database was created for a town.
    #[strum(serialize = "town.init")]
    TownInit,
    /// A town record was added (town apply or a console edit).
    #[strum(serialize = "town.add")]
    TownAdd,
    /// A town record or setting was changed.
    #[strum(serialize = "town.change")]
    TownChange,
    /// A town record was retired.
    #[strum(serialize = "town.retire")]
    TownRetire,
    /// A retired town record came back.
    #[strum(serialize = "town.restore")]
    TownRestore,
    /// Surge was switched on or off.
    #[strum(serialize = "town.surge")]
    TownSurge,
    /// A transport was requested.
    #[strum(serialize = "transport.request")]
    TransportRequest,
    /// A vehicle was dispatched.
    #[strum(serialize = "transport.dispatch")]
    TransportDispatch,
    /// A trip moved to its next status.
    #[strum(serialize = "transport.advance")]
    TransportAdvance,
    /// A vehicle went out of service.
    #[strum(serialize = "vehicle.out_of_service")]
    VehicleOutOfService,
    /// A vehicle came back into service.
    #[strum(serialize = "vehicle.in_service")]
    VehicleInService,
    /// A key-population person was added by an import (issue 15).
    #[strum(serialize = "people.add")]
    PeopleAdd,
    /// A known person's details changed by an import.
    #[strum(serialize = "people.update")]
    PeopleUpdate,
    /// A register import (its summary).
    #[strum(serialize = "people.import")]
    PeopleImport,
    /// A person's level was changed, with a reason.
    #[strum(serialize = "people.level")]
    PeopleLevel,
    /// A call or visit was recorded.
    #[strum(serialize = "people.contact")]
    PeopleContact,
    /// A person left the register, with a reason (kept in history).
    #[strum(serialize = "people.retire")]
    PeopleRetire,
}

impl AuditAction {
    /// The stored name, e.g. `escalation.raise`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads a stored name; `None` for a name this version does not write.
    pub fn parse(s: &str) -> Option<AuditAction> {
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    /// The stored names, which must never change (they are hashed into the chain).
    #[test]
    fn the_stored_names_stay_as_they_were() {
        let names: Vec<&str> = AuditAction::iter().map(AuditAction::as_str).collect();
        assert_eq!(
            names,
            [
                "alert.attempt",
                "alert.delivered",
                "alert.failed",
                "alert.seen",
                "capacity.set",
                "escalation.raise",
                "escalation.ack",
                "escalation.resolve",
                "escalation.auto_resolve",
                "escalation.overdue",
                "escalation.to_leader",
                "handover.notes",
                "handover.sign",
                "log.add",
                "log.edit",
                "log.amend",
                "operator.login",
                "operator.pin_accepted",
                "operator.pin_failed",
                "operator.locked",
                "operator.session_open",
                "operator.session_close",
                "report.save",
                "report.import",
                "report.replace",
                "report.sign",
                "report.resign",
                "report.note",
                "report.reopen",
                "roster.open",
                "roster.set",
                "roster.plan",
                "roster.remove",
                "rules.run",
                "shift.open",
                "shift.file_earlier",
                "staff.set_pin",
                "stock.set",
                "town.init",
                "town.add",
                "town.change",
                "town.retire",
                "town.restore",
                "town.surge",
                "transport.request",
                "transport.dispatch",
                "transport.advance",
                "vehicle.out_of_service",
                "vehicle.in_service",
                "people.add",
                "people.update",
                "people.import",
                "people.level",
                "people.contact",
                "people.retire",
            ]
        );
        for a in AuditAction::iter() {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(AuditAction::parse("test.append"), None);
        // the town history selects `town.%`: every town action is named so
        for a in AuditAction::iter() {
            let name = format!("{a:?}");
            assert_eq!(
                name.starts_with("Town"),
                a.as_str().starts_with("town."),
                "{name}"
            );
        }
    }
}
