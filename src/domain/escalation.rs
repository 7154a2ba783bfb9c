//! Escalations: what must not wait. Kinds, life cycle, deadlines and urgency order.

mod row;

pub use row::{EscalationRow, StockRow, display_title};

use chrono::{DateTime, Duration, Utc};

use crate::i18n::Msg;

/// What an escalation is about. Its stored name is the variant in snake_case (derived).
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
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    /// A patient to refer beyond the health center.
    Referral,
    /// A resident's concern with a deadline (群众诉求).
    Concern,
    /// Anything else raised by a person.
    Other,
    /// Rule: a village with no report after the cutoff.
    MissingReport,
    /// Rule: drug or test-kit reserve below the line.
    LowStock,
    /// Rule: a transport request waiting too long.
    TransportWaiting,
    /// Rule: a health center short of oximeters or with its beds nearly full.
    LowEquipment,
    /// Rule: the open shift still not signed over well after its end.
    HandoverOverdue,
    /// Rule: a village with key-population people overdue for contact (issue 15).
    OverdueContact,
}

impl Kind {
    /// Every kind, in display order (a test checks it against the derived list: a kind
    /// missing here would have no filter entry).
    pub const ALL: [Kind; 9] = [
        Kind::Referral,
        Kind::Concern,
        Kind::Other,
        Kind::MissingReport,
        Kind::LowStock,
        Kind::TransportWaiting,
        Kind::LowEquipment,
        Kind::HandoverOverdue,
        Kind::OverdueContact,
    ];

    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads a kind name.
    pub fn parse(s: &str) -> Option<Kind> {
        s.trim().parse().ok()
    }

    /// True for the kinds people raise by hand.
    pub fn is_manual(self) -> bool {
        matches!(self, Kind::Referral | Kind::Concern | Kind::Other)
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Referral => "esc_kind.referral",
            Kind::Concern => "esc_kind.concern",
            Kind::Other => "esc_kind.other",
            Kind::MissingReport => "esc_kind.missing_report",
            Kind::LowStock => "esc_kind.low_stock",
            Kind::TransportWaiting => "esc_kind.transport_waiting",
            Kind::LowEquipment => "esc_kind.low_equipment",
            Kind::HandoverOverdue => "esc_kind.handover_overdue",
            Kind::OverdueContact => "esc_kind.overdue_contact",
        }
    }

    /// Catalogue key of the note recorded when a rule's condition clears (people's kinds
    /// are never cleared by a rule: `rule.cleared.other`).
    pub fn cleared_key(self) -> &'static str {
        match self {
            Kind::Referral | Kind::Concern | Kind::Other => "rule.cleared.other",
            Kind::MissingReport => "rule.cleared.missing_report",
            Kind::LowStock => "rule.cleared.low_stock",
            Kind::TransportWaiting => "rule.cleared.transport_waiting",
            Kind::LowEquipment => "rule.cleared.low_equipment",
            Kind::HandoverOverdue => "rule.cleared.handover_overdue",
            Kind::OverdueContact => "rule.cleared.overdue_contact",
        }
    }
}

/// Where an escalation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Raised, nobody has taken it yet.
    Open,
    /// Someone has it in hand.
    Acknowledged,
    /// Done, with a note.
    Resolved,
}

impl State {
    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Acknowledged => "acknowledged",
            State::Resolved => "resolved",
        }
    }

    /// Reads a state name.
    pub fn parse(s: &str) -> Option<State> {
        match s {
            "open" => Some(State::Open),
            "acknowledged" => Some(State::Acknowledged),
            "resolved" => Some(State::Resolved),
            _ => None,
        }
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            State::Open => "esc_state.open",
            State::Acknowledged => "esc_state.acknowledged",
            State::Resolved => "esc_state.resolved",
        }
    }

    /// Checks a life-cycle step: open → acknowledged → resolved (or open → resolved).
    pub fn check_step(self, to: State) -> Result<(), Msg> {
        match (self, to) {
            (State::Open, State::Acknowledged)
            | (State::Open, State::Resolved)
            | (State::Acknowledged, State::Resolved) => Ok(()),
            _ => Err(Msg::new("err.esc_step")
                .arg("from", self.as_str())
                .arg("to", to.as_str())),
        }
    }
}

/// How urgent an unresolved escalation is, for sorting and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Overdue by more than its grace period: the duty leader has been told.
    RaisedToLeader,
    /// Past its deadline.
    Overdue,
    /// Not yet due.
    Pending,
}

/// The urgency of an escalation at `now`.
pub fn urgency(due: DateTime<Utc>, grace: Duration, now: DateTime<Utc>) -> Urgency {
    if now > super::time::plus(due, grace) {
        Urgency::RaisedToLeader
    } else if now > due {
        Urgency::Overdue
    } else {
        Urgency::Pending
    }
}

/// Sort key for the queue: overdue first, then direct referrals, then by deadline.
pub fn queue_key(
    due: DateTime<Utc>,
    grace: Duration,
    direct: bool,
    now: DateTime<Utc>,
) -> (bool, bool, DateTime<Utc>) {
    let overdue = urgency(due, grace, now) != Urgency::Pending;
    (!overdue, !direct, due)
}

/// A reserve item kept at health centers and village clinics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StockItem {
    /// Symptomatic drug packs.
    DrugPacks,
    /// Antigen test kits.
    AntigenKits,
}

impl StockItem {
    /// Both items.
    pub const ALL: [StockItem; 2] = [StockItem::DrugPacks, StockItem::AntigenKits];

    /// Name in the database, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            StockItem::DrugPacks => "drug_packs",
            StockItem::AntigenKits => "antigen_kits",
        }
    }

    /// Reads an item name.
    pub fn parse(s: &str) -> Option<StockItem> {
        StockItem::ALL.into_iter().find(|i| i.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            StockItem::DrugPacks => "stock.drug_packs",
            StockItem::AntigenKits => "stock.antigen_kits",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::from_db;

    #[test]
    fn every_kind_is_in_all_and_reads_back() {
        use strum::IntoEnumIterator;
        // a kind missing from ALL had no filter entry; one whose name did not read back was
        // read from the database as `other`, silently
        let derived: Vec<Kind> = Kind::iter().collect();
        assert_eq!(Kind::ALL.to_vec(), derived);
        for k in Kind::iter() {
            assert_eq!(Kind::parse(k.as_str()), Some(k), "{k:?}");
        }
        // the stored names, which must never change
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "referral",
                "concern",
                "other",
                "missing_report",
                "low_stock",
                "transport_waiting",
                "low_equipment",
                "handover_overdue",
                "overdue_contact"
            ]
        );
        assert_eq!(Kind::parse(" low_stock "), Some(Kind::LowStock));
        assert_eq!(Kind::parse("Low_Stock"), None);
    }

    #[test]
    fn life_cycle_steps() {
        assert!(State::Open.check_step(State::Acknowledged).is_ok());
        assert!(State::Acknowledged.check_step(State::Resolved).is_ok());
        assert!(State::Open.check_step(State::Resolved).is_ok());
        assert!(State::Resolved.check_step(State::Open).is_err());
        assert!(State::Acknowledged.check_step(State::Acknowledged).is_err());
        assert!(State::Resolved.check_step(State::Resolved).is_err());
    }

    #[test]
    fn urgency_grows_past_deadline_and_grace() {
        let due = from_db("2026-11-26T02:00:00Z").unwrap();
        let g = Duration::hours(1);
        assert_eq!(urgency(due, g, due), Urgency::Pending);
        assert_eq!(
            urgency(due, g, due + Duration::minutes(1)),
            Urgency::Overdue
        );
        assert_eq!(
            urgency(due, g, due + Duration::minutes(61)),
            Urgency::RaisedToLeader
        );
    }

    #[test]
    fn queue_puts_overdue_first_then_direct_then_deadline() {
        let now = from_db("2026-11-26T02:00:00Z").unwrap();
        let g = Duration::hours(1);
        let overdue = queue_key(now - Duration::minutes(5), g, false, now);
        let direct_later = queue_key(now + Duration::hours(3), g, true, now);
        let soon = queue_key(now + Duration::minutes(10), g, false, now);
        let mut v = [soon, direct_later, overdue];
        v.sort();
        assert_eq!(v, [overdue, direct_later, soon]);
    }
}
