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

/// Suggestions for a whole waiting queue: the most severe first (then the oldest, then the
/// lower id), each given a vehicle none before it was given, or `None` when nothing
/// suitable is left. With three critical requests and two free ambulances, two get an
/// ambulance each and the third a reserve car or nothing: never the same vehicle twice.
/// The answer is in queue order; `key` says which request each entry is.
pub fn plan<K: Clone>(
    queue: &[(K, Need<'_>, &str)],
    fleet: &[Candidate],
) -> Vec<(K, Option<Suggestion>)> {
    let mut order: Vec<usize> = (0..queue.len()).collect();
    order.sort_by(|&a, &b| {
        let (_, na, ta) = &queue[a];
        let (_, nb, tb) = &queue[b];
        (na.severity, ta, a).cmp(&(nb.severity, tb, b))
    });
    let mut left: Vec<Candidate> = fleet.to_vec();
    let mut out = Vec::with_capacity(queue.len());
    for i in order {
        let (key, need, _) = &queue[i];
        let s = suggest(need, &left);
        if let Some(s) = &s {
            left.retain(|c| c.code != s.vehicle);
        }
        out.push((key.clone(), s));
    }
    out
}

/// The board as the suggestion sees it.
fn candidates(board: &[VehicleRow]) -> Vec<Candidate> {
    board
        .iter()
        .map(|v| Candidate {
            code: v.code.clone(),
            kind: v.kind,
            base: v.base.clone(),
            status: v.status,
        })
        .collect()
}

/// The suggestions for every waiting request in `transports` (other statuses are
/// skipped), by request id, most severe first: shared by the console and the command line
/// so both propose the same vehicles. A request whose village is unknown gets `None`.
pub fn queue_suggestions(
    town: &Town,
    transports: &[TransportRow],
    board: &[VehicleRow],
) -> Vec<(i64, Option<Suggestion>)> {
    let mut unknown = Vec::new();
    let queue: Vec<(i64, Need<'_>, &str)> = transports
        .iter()
        .filter(|t| t.status == TripStatus::Requested)
        .filter_map(|t| match town.village(&t.village) {
            Some(v) => Some((
                t.id,
                Need {
                    severity: t.severity,
                    village: &v.code,
                    health_center: &v.health_center,
                    neighbours: &v.neighbours,
                },
                t.requested_at.as_str(),
            )),
            None => {
                unknown.push((t.id, None));
                None
            }
        })
        .collect();
    let mut out = plan(&queue, &candidates(board));
    out.extend(unknown);
    out
}

/// The suggestion for one waiting request, given the whole waiting queue it stands in
/// (`transports`; more severe and older requests choose first); `None` when nothing
/// suitable is left for it or the request is not waiting.
pub fn suggestion_for(
    town: &Town,
    t: &TransportRow,
    transports: &[TransportRow],
    board: &[VehicleRow],
) -> Option<Suggestion> {
    if t.status != TripStatus::Requested {
        return None;
    }
    let mut all: Vec<TransportRow> = transports.to_vec();
    if !all.iter().any(|x| x.id == t.id) {
        all.push(t.clone());
    }
    queue_suggestions(town, &all, board)
        .into_iter()
        .find(|(id, _)| *id == t.id)
        .and_then(|(_, s)| s)
}

/// How close in time two requests for the same village and person are taken for one.
pub const DUPLICATE_MINUTES: i64 = 30;

/// A request already recorded that a new one likely repeats: same village, and the same
/// patient or the same caller, asked within [`DUPLICATE_MINUTES`] of `now`, not cancelled.
/// The newest such request.
pub fn likely_duplicate<'a>(
    village: &str,
    patient: &str,
    caller: &str,
    now: chrono::DateTime<chrono::Utc>,
    rows: impl IntoIterator<Item = &'a TransportRow>,
) -> Option<&'a TransportRow> {
    let same = |a: &str, b: &str| !a.trim().is_empty() && a.trim() == b.trim();
    rows.into_iter()
        .filter(|t| t.village == village && t.status != TripStatus::Cancelled)
        .filter(|t| same(patient, &t.patient) || same(caller, &t.caller))
        .filter(|t| {
            crate::domain::time::from_db(&t.requested_at)
                .is_some_and(|at| (now - at).num_minutes().abs() <= DUPLICATE_MINUTES)
        })
        .max_by(|a, b| a.requested_at.cmp(&b.requested_at))
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

    fn row(id: i64, village: &str, patient: &str, caller: &str, at: &str) -> TransportRow {
        TransportRow {
            id,
            requested_at: at.into(),
            caller: caller.into(),
            patient: patient.into(),
            age: None,
            village: village.into(),
            severity: Severity::Severe,
            destination: "HC1".into(),
            note: String::new(),
            status: TripStatus::Requested,
            vehicle: None,
            times: Default::default(),
            last_change_at: at.into(),
            cancel_reason: None,
        }
    }

    #[test]
    fn a_repeat_within_half_an_hour_is_a_likely_duplicate() {
        use chrono::TimeZone;
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 2, 30, 0)
            .unwrap();
        let rows = vec![
            row(1, "V01", "王五", "村医", "2026-11-26T02:10:00Z"),
            row(2, "V02", "李四", "网格员", "2026-11-26T01:00:00Z"),
        ];
        let dup = |v, p, c| likely_duplicate(v, p, c, now, &rows).map(|t| t.id);
        assert_eq!(dup("V01", "王五", ""), Some(1), "same patient");
        assert_eq!(dup("V01", "", "村医"), Some(1), "same caller");
        assert_eq!(dup("V01", "赵六", "家属"), None, "someone else");
        assert_eq!(dup("V03", "王五", "村医"), None, "another village");
        assert_eq!(dup("V02", "李四", ""), None, "90 minutes ago: a new call");
        assert_eq!(dup("V01", "", ""), None, "nothing to compare");
        let mut cancelled = rows.clone();
        cancelled[0].status = TripStatus::Cancelled;
        assert_eq!(
            likely_duplicate("V01", "王五", "", now, &cancelled).map(|t| t.id),
            None
        );
    }

    #[test]
    fn three_critical_requests_get_different_vehicles_or_none() {
        let fleet = vec![
            c("AMB1", A, "HC1", true),
            c("AMB2", A, "HC2", true),
            c("RC1", R, "V1", true),
        ];
        let n = need(Severity::Critical, &[]);
        let queue = vec![
            (1, n.clone(), "2026-01-01T10:00:00Z"),
            (2, n.clone(), "2026-01-01T10:01:00Z"),
            (3, n.clone(), "2026-01-01T10:02:00Z"),
            (4, n.clone(), "2026-01-01T10:03:00Z"),
        ];
        let got = plan(&queue, &fleet);
        let vehicles: Vec<Option<&str>> = got
            .iter()
            .map(|(_, s)| s.as_ref().map(|s| s.vehicle.as_str()))
            .collect();
        assert_eq!(
            vehicles,
            vec![Some("AMB1"), Some("AMB2"), Some("RC1"), None]
        );
        assert_eq!(
            got.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn the_most_severe_choose_first_whatever_the_order_asked() {
        let fleet = vec![c("AMB1", A, "HC1", true), c("RC1", R, "V1", true)];
        // the stable request came first, but the critical one is served first: it takes
        // the ambulance, and the stable one keeps its village car
        let queue = vec![
            (10, need(Severity::Stable, &[]), "2026-01-01T09:00:00Z"),
            (11, need(Severity::Critical, &[]), "2026-01-01T10:00:00Z"),
            (12, need(Severity::Severe, &[]), "2026-01-01T08:00:00Z"),
        ];
        let got = plan(&queue, &fleet);
        let by_id = |id: i64| {
            got.iter()
                .find(|(k, _)| *k == id)
                .and_then(|(_, s)| s.as_ref().map(|s| s.vehicle.clone()))
        };
        assert_eq!(got[0].0, 11, "critical first");
        assert_eq!(got[1].0, 12, "then severe");
        assert_eq!(by_id(11).as_deref(), Some("AMB1"));
        assert_eq!(
            by_id(12).as_deref(),
            Some("RC1"),
            "the severe one gets the car"
        );
        assert_eq!(by_id(10), None, "nothing is left for the stable one");
        // and no vehicle is suggested twice
        let mut v: Vec<String> = got
            .iter()
            .filter_map(|(_, s)| s.clone())
            .map(|s| s.vehicle)
            .collect();
        let n = v.len();
        v.dedup();
        assert_eq!(v.len(), n);
    }

    #[test]
    fn among_equals_the_oldest_request_chooses_first() {
        let fleet = vec![c("AMB1", A, "HC1", true)];
        let queue = vec![
            ("late", need(Severity::Severe, &[]), "2026-01-01T10:05:00Z"),
            ("early", need(Severity::Severe, &[]), "2026-01-01T10:00:00Z"),
        ];
        let got = plan(&queue, &fleet);
        assert_eq!(got[0].0, "early");
        assert_eq!(got[0].1.as_ref().map(|s| s.vehicle.as_str()), Some("AMB1"));
        assert_eq!(got[1], ("late", None));
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
