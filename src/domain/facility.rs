//! A health center's facilities, as the seeds ask them collected daily (seed 002 §5: beds,
//! medical supplies; seed 000 (六): at least 20 pulse oximeters per health center): what
//! `capacity set` records and the report shows, and the `low_equipment` rule's decision.

use chrono::{DateTime, Duration, Utc};

use super::rules::{Equipment, Finding, Subject};
use super::town::HealthCenter;

/// How long the desk has to find oximeters for a health center short of them.
pub const OXIMETER_WINDOW_HOURS: i64 = 24;
/// How long the desk has to act on a health center whose beds are nearly all taken.
pub const BEDS_WINDOW_HOURS: i64 = 2;
/// Beds occupied at or above this percentage of the beds is an escalation.
pub const BEDS_FULL_PERCENT: i64 = 90;
/// The default of town `[rules] min_oximeters_hc`.
pub const MIN_OXIMETERS_HC: i64 = 20;

/// Whether a health center's fever clinic is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeverClinic {
    /// Open (the seeds ask for a 24-hour fever clinic).
    Open,
    /// Closed.
    Closed,
}

impl FeverClinic {
    /// Name in the database, the command line and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FeverClinic::Open => "open",
            FeverClinic::Closed => "closed",
        }
    }

    /// Reads a name.
    pub fn parse(s: &str) -> Option<FeverClinic> {
        match s.trim() {
            "open" => Some(FeverClinic::Open),
            "closed" => Some(FeverClinic::Closed),
            _ => None,
        }
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            FeverClinic::Open => "facility.fever_open",
            FeverClinic::Closed => "facility.fever_closed",
        }
    }
}

/// The latest recorded state of one health center (`None`: never given).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capacity {
    /// Health center code.
    pub place: String,
    /// Beds occupied.
    pub beds_occupied: Option<i64>,
    /// Oxygen concentrators.
    pub oxygen_concentrators: Option<i64>,
    /// Oxygen bags.
    pub oxygen_bags: Option<i64>,
    /// Pulse oximeters.
    pub oximeters: Option<i64>,
    /// The fever clinic.
    pub fever_clinic: Option<FeverClinic>,
    /// When it was last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// True when `occupied` of `beds` reaches [`BEDS_FULL_PERCENT`] (a center with no beds never).
pub fn beds_nearly_full(occupied: i64, beds: i64) -> bool {
    beds > 0 && occupied.saturating_mul(100) >= beds.saturating_mul(BEDS_FULL_PERCENT)
}

/// Rule `low_equipment`: fewer oximeters than `min_oximeters` at a health center, or its
/// beds occupied at 90 % or more. Only figures that were given are judged.
pub fn low_equipment(
    capacity: &[Capacity],
    centers: &[HealthCenter],
    min_oximeters: i64,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in capacity {
        let Some(hc) = centers.iter().find(|h| h.code == c.place) else {
            continue;
        };
        let evidence_at = c.updated_at.unwrap_or(now);
        if let Some(n) = c.oximeters
            && n < min_oximeters
        {
            out.push(Finding {
                subject: Subject::LowEquipment {
                    place: hc.code.clone(),
                    what: Equipment::Oximeters,
                },
                village: None,
                place: Some(hc.code.clone()),
                details: format!("oximeters {n} < {min_oximeters}"),
                due: super::time::plus(now, Duration::hours(OXIMETER_WINDOW_HOURS)),
                evidence_at,
            });
        }
        if let Some(n) = c.beds_occupied
            && beds_nearly_full(n, hc.beds)
        {
            out.push(Finding {
                subject: Subject::LowEquipment {
                    place: hc.code.clone(),
                    what: Equipment::Beds,
                },
                village: None,
                place: Some(hc.code.clone()),
                details: format!("beds {n} / {} >= {BEDS_FULL_PERCENT}%", hc.beds),
                due: super::time::plus(now, Duration::hours(BEDS_WINDOW_HOURS)),
                evidence_at,
            });
        }
    }
    out
}

/// One health center as the report shows it: its facilities and its reserve.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityRow {
    /// Health center code.
    pub code: String,
    /// Beds (from the town file).
    pub beds: i64,
    /// The recorded facilities (all `None` when never recorded).
    pub capacity: Capacity,
    /// Drug packs on hand.
    pub drug_packs: Option<i64>,
    /// Antigen kits on hand.
    pub antigen_kits: Option<i64>,
    /// The reserve line in effect (the surge one while surge is on) for the population the
    /// center serves.
    pub reserve_line: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hc(code: &str, beds: i64) -> HealthCenter {
        HealthCenter {
            code: code.into(),
            name: code.into(),
            name_en: code.into(),
            beds,
            phone: String::new(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T02:30:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn subjects(f: &[Finding]) -> Vec<String> {
        f.iter().map(|x| x.subject.to_string()).collect()
    }

    #[test]
    fn oximeters_below_the_minimum_are_chased() {
        let centers = [hc("HC1", 40), hc("HC2", 20)];
        let cap = |place: &str, ox: Option<i64>| Capacity {
            place: place.into(),
            oximeters: ox,
            ..Default::default()
        };
        let f = low_equipment(
            &[cap("HC1", Some(19)), cap("HC2", Some(20))],
            &centers,
            20,
            now(),
        );
        assert_eq!(subjects(&f), ["low_equipment:HC1:oximeters"]);
        assert_eq!(f[0].kind(), crate::domain::escalation::Kind::LowEquipment);
        assert_eq!(f[0].place.as_deref(), Some("HC1"));
        assert_eq!(f[0].due, now() + Duration::hours(24));
        // never counted is not judged; an unknown place is ignored
        assert!(
            low_equipment(&[cap("HC1", None), cap("X", Some(0))], &centers, 20, now()).is_empty()
        );
        // the town may set its own minimum
        assert!(low_equipment(&[cap("HC1", Some(19))], &centers, 10, now()).is_empty());
    }

    #[test]
    fn beds_at_ninety_percent_are_chased() {
        assert!(!beds_nearly_full(35, 40)); // 87.5 %
        assert!(beds_nearly_full(36, 40)); // 90 %
        assert!(beds_nearly_full(41, 40));
        assert!(!beds_nearly_full(0, 0), "no beds, nothing to fill");
        assert!(!beds_nearly_full(i64::MAX, 10_000_000) || beds_nearly_full(i64::MAX, 1));
        let centers = [hc("HC1", 40)];
        let cap = Capacity {
            place: "HC1".into(),
            beds_occupied: Some(36),
            oximeters: Some(25),
            ..Default::default()
        };
        let f = low_equipment(&[cap], &centers, 20, now());
        assert_eq!(subjects(&f), ["low_equipment:HC1:beds"]);
        assert_eq!(f[0].due, now() + Duration::hours(2));
    }
}
