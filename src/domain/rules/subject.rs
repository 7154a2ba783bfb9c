//! The identity of a rule-raised escalation, typed. It is stored as text
//! (`<kind>:<part>:<part>`, e.g. `low_stock:HC2:drug_packs`) in `escalation.subject`; that
//! text never changes, so existing databases keep working. [`Subject::parse`] reads it once,
//! `Display` writes it, and the rest of the code matches on the enum (a new rule's variant
//! is flagged by the compiler in [`Subject::kind`], [`Subject::title`] and `Display`).

use std::fmt;

use chrono::NaiveDate;

use crate::domain::escalation::{Kind, StockItem};
use crate::domain::time::parse_date;
use crate::domain::transport::Severity;
use crate::i18n::{Lang, Msg};

/// What a health center is short of (`low_equipment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Equipment {
    /// Fewer oximeters than the town's minimum.
    Oximeters,
    /// Beds nearly full.
    Beds,
}

impl Equipment {
    /// Name in the stored subject.
    pub fn as_str(self) -> &'static str {
        match self {
            Equipment::Oximeters => "oximeters",
            Equipment::Beds => "beds",
        }
    }
}

/// One condition a rule chases; at most one open escalation each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// `missing_report:<village>:<date>`.
    MissingReport {
        /// Village code.
        village: String,
        /// The day without a report.
        day: NaiveDate,
    },
    /// `low_stock:<place>:<item>`.
    LowStock {
        /// Health center or village code.
        place: String,
        /// The item below its line.
        item: StockItem,
    },
    /// `transport_waiting:<id>:<severity>`.
    TransportWaiting {
        /// Request id (kept as stored).
        id: String,
        /// How urgent.
        severity: Severity,
    },
    /// `low_equipment:<health center>:oximeters|beds`.
    LowEquipment {
        /// Health center code.
        place: String,
        /// What is short.
        what: Equipment,
    },
    /// `handover_overdue:<date the open shift started>`.
    HandoverOverdue {
        /// The town's date of the shift's start.
        day: NaiveDate,
    },
    /// `overdue_contact:<village>` (issue 15): key-population people overdue for contact.
    OverdueContact {
        /// Village code.
        village: String,
    },
}

impl Subject {
    /// Reads a stored subject; `None` for text no rule writes.
    pub fn parse(s: &str) -> Option<Subject> {
        let parts: Vec<&str> = s.split(':').collect();
        Some(match parts.as_slice() {
            ["missing_report", village, day] => Subject::MissingReport {
                village: (*village).to_string(),
                day: parse_date(day)?,
            },
            ["low_stock", place, item] => Subject::LowStock {
                place: (*place).to_string(),
                item: StockItem::parse(item)?,
            },
            // older subjects may carry more parts; they read the same
            ["transport_waiting", id, severity, ..] => Subject::TransportWaiting {
                id: (*id).to_string(),
                severity: Severity::parse(severity)?,
            },
            ["low_equipment", place, what] => Subject::LowEquipment {
                place: (*place).to_string(),
                what: match *what {
                    "beds" => Equipment::Beds,
                    _ => Equipment::Oximeters,
                },
            },
            ["handover_overdue", day] => Subject::HandoverOverdue {
                day: parse_date(day)?,
            },
            ["overdue_contact", village] => Subject::OverdueContact {
                village: (*village).to_string(),
            },
            _ => return None,
        })
    }

    /// The escalation kind this subject is raised as.
    pub fn kind(&self) -> Kind {
        match self {
            Subject::MissingReport { .. } => Kind::MissingReport,
            Subject::LowStock { .. } => Kind::LowStock,
            Subject::TransportWaiting { .. } => Kind::TransportWaiting,
            Subject::LowEquipment { .. } => Kind::LowEquipment,
            Subject::HandoverOverdue { .. } => Kind::HandoverOverdue,
            Subject::OverdueContact { .. } => Kind::OverdueContact,
        }
    }

    /// The catalogue key of the note recorded when the condition clears.
    pub fn cleared_key(&self) -> &'static str {
        self.kind().cleared_key()
    }

    /// The title in `lang`; `name` maps a place code to its name in that language.
    pub fn title(&self, lang: Lang, name: &dyn Fn(&str) -> String) -> String {
        let msg = match self {
            Subject::MissingReport { village, day } => Msg::new("rule.title.missing_report")
                .arg("village", name(village))
                .arg("date", crate::domain::time::month_day(*day, lang)),
            Subject::LowStock { place, item } => Msg::new("rule.title.low_stock")
                .arg("place", name(place))
                .arg("item", lang.t(item.label_key())),
            Subject::TransportWaiting { id, severity } => Msg::new("rule.title.transport_waiting")
                .arg("id", id)
                .arg("severity", lang.t(severity.label_key())),
            Subject::LowEquipment { place, what } => Msg::new(match what {
                Equipment::Beds => "rule.title.low_equipment_beds",
                Equipment::Oximeters => "rule.title.low_equipment_oximeters",
            })
            .arg("place", name(place)),
            Subject::HandoverOverdue { day } => Msg::new("rule.title.handover_overdue")
                .arg("start", crate::domain::time::month_day(*day, lang)),
            // the count is in the details; `overdue_contact::rule_title` puts it in
            Subject::OverdueContact { village } => {
                Msg::new("rule.title.overdue_contact_village").arg("village", name(village))
            }
        };
        msg.render(lang)
    }
}

impl fmt::Display for Subject {
    /// The stored form; never change it (open escalations are matched by it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind().as_str();
        match self {
            Subject::MissingReport { village, day } => write!(f, "{kind}:{village}:{day}"),
            Subject::LowStock { place, item } => write!(f, "{kind}:{place}:{}", item.as_str()),
            Subject::TransportWaiting { id, severity } => {
                write!(f, "{kind}:{id}:{}", severity.as_str())
            }
            Subject::LowEquipment { place, what } => write!(f, "{kind}:{place}:{}", what.as_str()),
            Subject::HandoverOverdue { day } => write!(f, "{kind}:{day}"),
            Subject::OverdueContact { village } => write!(f, "{kind}:{village}"),
        }
    }
}

/// Compares with a stored subject (tests and lookups hold the text).
impl PartialEq<&str> for Subject {
    fn eq(&self, other: &&str) -> bool {
        let stored = self.to_string();
        stored.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_form_reads_back_to_itself() {
        for s in [
            "missing_report:V3:2026-11-26",
            "low_stock:HC2:drug_packs",
            "low_stock:V1:antigen_kits",
            "transport_waiting:7:critical",
            "transport_waiting:8:severe",
            "low_equipment:HC1:oximeters",
            "low_equipment:HC1:beds",
            "handover_overdue:2026-11-26",
            "overdue_contact:V02",
        ] {
            let subject = Subject::parse(s).unwrap();
            assert_eq!(subject.to_string(), s);
            assert!(s.starts_with(subject.kind().as_str()), "{s}");
        }
    }

    #[test]
    fn text_no_rule_writes_is_not_a_subject() {
        for s in [
            "nonsense",
            "missing_report:V3",
            "missing_report:V3:not-a-date",
            "low_stock:HC2:bandages",
            "transport_waiting:7:mild",
            "handover_overdue:2026-13-40",
            "",
        ] {
            assert_eq!(Subject::parse(s), None, "{s}");
        }
    }

    #[test]
    fn every_rule_kind_has_its_own_cleared_note() {
        let s = Subject::parse("low_equipment:HC1:beds").unwrap();
        assert_eq!(s.cleared_key(), "rule.cleared.low_equipment");
        for k in Kind::ALL.iter().filter(|k| !k.is_manual()) {
            assert_eq!(
                k.cleared_key(),
                format!("rule.cleared.{}", k.as_str()),
                "{k:?}"
            );
        }
    }

    /// The key-use test of the catalogue does not see keys returned by `label_key` and
    /// `cleared_key`; this does (a missing key renders as itself).
    #[test]
    fn every_kind_has_its_label_and_cleared_note_in_both_languages() {
        for k in Kind::ALL {
            for lang in [Lang::En, Lang::Zh] {
                for key in [k.label_key(), k.cleared_key()] {
                    assert_ne!(lang.t(key), key, "{lang:?} {k:?}");
                }
            }
        }
    }
}
