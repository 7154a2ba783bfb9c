//! Which vehicle to suggest for a transport request, and why.
//!
//! Critical and severe patients: a free ambulance of the village's health center, else any
//! free ambulance, else the village's reserve car, else a neighbour's reserve car.
//! Stable patients: the village's reserve car first, keeping ambulances for the severe.

use super::fleet::{TransportRow, VehicleRow};
use super::town::VehicleKind;
use super::transport::{Severity, TripStatus, VehicleStatus};
use crate::domain::town::Town;
use crate::i18n::Msg;

/// What the suggestion needs to know about one vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Vehicle code.
    pub code: String,
    /// Ambulance or reserve car.
    pub kind: VehicleKind,
    /// Base: health center code (ambulance) or village code (reserve car).
    pub base: String,
    /// Current status.
    pub status: VehicleStatus,
}

/// The request's side of the question.
#[derive(Debug, Clone, PartialEq)]
pub struct Need<'a> {
    /// Severity.
    pub severity: Severity,
    /// The patient's village.
    pub village: &'a str,
    /// The health center serving that village.
    pub health_center: &'a str,
    /// The village's neighbours.
    pub neighbours: &'a [String],
}

/// A suggested vehicle and the reason, in one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Vehicle code.
    pub vehicle: String,
    /// Why this one.
    pub reason: Msg,
}

/// Suggests a free vehicle for a request, or `None` when nothing suitable is free.
pub fn suggest(need: &Need<'_>, fleet: &[Candidate]) -> Option<Suggestion> {
    let free = |c: &&Candidate| c.status == VehicleStatus::Available;
    let own_ambulance = || {
        fleet
            .iter()
            .filter(free)
            .find(|c| c.kind == VehicleKind::Ambulance && c.base == need.health_center)
            .map(|c| Suggestion {
                vehicle: c.code.clone(),
                reason: Msg::new("suggest.own_ambulance").arg("place", need.health_center),
            })
    };
    let any_ambulance = || {
        fleet
            .iter()
            .filter(free)
            .find(|c| c.kind == VehicleKind::Ambulance)
            .map(|c| Suggestion {
                vehicle: c.code.clone(),
                reason: Msg::new("suggest.other_ambulance").arg("place", &c.base),
            })
    };
    let own_car = || {
        fleet
            .iter()
            .filter(free)
            .find(|c| c.kind == VehicleKind::ReserveCar && c.base == need.village)
            .map(|c| Suggestion {
                vehicle: c.code.clone(),
                reason: Msg::new(if need.severity == Severity::Stable {
                    "suggest.own_car_stable"
                } else {
                    "suggest.own_car_no_ambulance"
                }),
            })
    };
    let neighbour_car = || {
        need.neighbours.iter().find_map(|n| {
            fleet
                .iter()
                .filter(free)
                .find(|c| c.kind == VehicleKind::ReserveCar && &c.base == n)
                .map(|c| Suggestion {
                    vehicle: c.code.clone(),
                    reason: Msg::new("suggest.neighbour_car").arg("village", n),
                })
        })
    };
    match need.severity {
        Severity::Critical | Severity::Severe => own_ambulance()
            .or_else(any_ambulance)
            .or_else(own_car)
            .or_else(neighbour_car),
        Severity::Stable => own_car()
            .or_else(neighbour_car)
            .or_else(own_ambulance)
            .or_else(any_ambulance),
    }
}

/// The suggestion for a waiting request on the current board, shared by the console and
/// the command line so both propose the same vehicle; `None` when nothing suitable is free
/// or the request is not waiting.
pub fn suggestion_for(town: &Town, t: &TransportRow, board: &[VehicleRow]) -> Option<Suggestion> {
    if t.status != TripStatus::Requested {
        return None;
    }
    let village = town.village(&t.village)?;
    let fleet: Vec<Candidate> = board
        .iter()
        .map(|v| Candidate {
            code: v.code.clone(),
            kind: v.kind,
            base: v.base.clone(),
            status: v.status,
        })
        .collect();
    suggest(
        &Need {
            severity: t.severity,
            village: &village.code,
            health_center: &village.health_center,
            neighbours: &village.neighbours,
        },
        &fleet,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::transport::TripStatus;

    fn c(code: &str, kind: VehicleKind, base: &str, free: bool) -> Candidate {
        Candidate {
            code: code.into(),
            kind,
            base: base.into(),
            status: if free {
                VehicleStatus::Available
            } else {
                VehicleStatus::OnTrip(TripStatus::EnRoute)
            },
        }
    }

    fn need(sev: Severity, n: &[String]) -> Need<'_> {
        Need {
            severity: sev,
            village: "V1",
            health_center: "HC1",
            neighbours: n,
        }
    }

    use VehicleKind::{Ambulance as A, ReserveCar as R};

    #[test]
    fn severe_prefers_own_health_center_ambulance() {
        let fleet = vec![
            c("AMB2", A, "HC2", true),
            c("AMB1", A, "HC1", true),
            c("RC1", R, "V1", true),
        ];
        let s = suggest(&need(Severity::Severe, &[]), &fleet).unwrap();
        assert_eq!(s.vehicle, "AMB1");
        assert_eq!(s.reason.key, "suggest.own_ambulance");
    }

    #[test]
    fn critical_falls_back_to_any_ambulance_then_own_car_then_neighbour() {
        let n = vec!["V2".to_string()];
        let mut fleet = vec![
            c("AMB1", A, "HC1", false),
            c("AMB2", A, "HC2", true),
            c("RC1", R, "V1", true),
            c("RC2", R, "V2", true),
        ];
        assert_eq!(
            suggest(&need(Severity::Critical, &n), &fleet)
                .unwrap()
                .vehicle,
            "AMB2"
        );
        fleet[1] = c("AMB2", A, "HC2", false);
        assert_eq!(
            suggest(&need(Severity::Critical, &n), &fleet)
                .unwrap()
                .vehicle,
            "RC1"
        );
        fleet[2] = c("RC1", R, "V1", false);
        let s = suggest(&need(Severity::Critical, &n), &fleet).unwrap();
        assert_eq!(s.vehicle, "RC2");
        assert_eq!(s.reason.key, "suggest.neighbour_car");
        fleet[3] = c("RC2", R, "V2", false);
        assert_eq!(suggest(&need(Severity::Critical, &n), &fleet), None);
    }

    #[test]
    fn stable_takes_the_village_car_and_keeps_ambulances() {
        let n = vec!["V2".to_string()];
        let mut fleet = vec![
            c("AMB1", A, "HC1", true),
            c("RC1", R, "V1", true),
            c("RC2", R, "V2", true),
        ];
        assert_eq!(
            suggest(&need(Severity::Stable, &n), &fleet)
                .unwrap()
                .vehicle,
            "RC1"
        );
        fleet[1] = c("RC1", R, "V1", false);
        assert_eq!(
            suggest(&need(Severity::Stable, &n), &fleet)
                .unwrap()
                .vehicle,
            "RC2"
        );
        fleet[2] = c("RC2", R, "V2", false);
        assert_eq!(
            suggest(&need(Severity::Stable, &n), &fleet)
                .unwrap()
                .vehicle,
            "AMB1"
        );
    }

    #[test]
    fn out_of_service_is_never_suggested() {
        let mut amb = c("AMB1", A, "HC1", true);
        amb.status = VehicleStatus::OutOfService;
        assert_eq!(suggest(&need(Severity::Severe, &[]), &[amb]), None);
    }

    #[test]
    fn stable_ends_with_any_ambulance_when_no_car_is_free() {
        let fleet = vec![
            c("AMB1", A, "HC1", false),
            c("AMB2", A, "HC2", true),
            c("RC1", R, "V1", false),
        ];
        let s = suggest(&need(Severity::Stable, &[]), &fleet).unwrap();
        assert_eq!(s.vehicle, "AMB2");
        assert_eq!(s.reason.key, "suggest.other_ambulance");
        assert_eq!(s.reason.args[0].1, "HC2");
    }

    #[test]
    fn neighbours_are_tried_in_the_town_file_order() {
        let n = vec!["V3".to_string(), "V2".to_string()];
        let fleet = vec![
            c("RC1", R, "V1", false),
            c("RC2", R, "V2", true),
            c("RC3", R, "V3", true),
        ];
        let s = suggest(&need(Severity::Severe, &n), &fleet).unwrap();
        assert_eq!(s.vehicle, "RC3");
        // a reserve car of a village that is not a neighbour is never suggested
        let far = vec![c("RC9", R, "V9", true)];
        assert_eq!(suggest(&need(Severity::Severe, &n), &far), None);
        assert_eq!(suggest(&need(Severity::Stable, &n), &far), None);
    }

    #[test]
    fn severe_prefers_an_own_ambulance_over_the_village_car() {
        let fleet = vec![c("RC1", R, "V1", true), c("AMB1", A, "HC1", true)];
        assert_eq!(
            suggest(&need(Severity::Critical, &[]), &fleet)
                .unwrap()
                .vehicle,
            "AMB1"
        );
        let only_car = vec![c("RC1", R, "V1", true), c("AMB1", A, "HC1", false)];
        let s = suggest(&need(Severity::Severe, &[]), &only_car).unwrap();
        assert_eq!(s.vehicle, "RC1");
        assert_eq!(s.reason.key, "suggest.own_car_no_ambulance");
    }
}
