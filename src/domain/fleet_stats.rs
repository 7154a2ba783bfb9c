//! Trip times: response (dispatched → on scene) and total (dispatched → back in service).

use chrono::{DateTime, Duration, Utc};

use super::fleet::{TransportRow, VehicleRow};
use super::time::{duration_text, from_db};
use super::transport::{TripStatus, VehicleStatus};

/// A vehicle out on a trip with no status change for this long should be called.
pub const CALL_AFTER: Duration = Duration::minutes(60);

/// True when a vehicle has been on a trip without any status change for [`CALL_AFTER`]:
/// the dispatcher should call its driver.
pub fn needs_call(v: &VehicleRow, now: DateTime<Utc>) -> bool {
    matches!(v.status, VehicleStatus::OnTrip(_))
        && from_db(&v.since).is_some_and(|since| now - since >= CALL_AFTER)
}

/// How many of these transports became trips (a vehicle was dispatched), for today's count.
pub fn trips_dispatched(trips: &[TransportRow]) -> usize {
    trips
        .iter()
        .filter(|t| t.time_of(TripStatus::Dispatched).is_some())
        .count()
}

/// Dispatched → on scene, when both happened.
pub fn response_time(t: &TransportRow) -> Option<Duration> {
    let d = from_db(t.time_of(TripStatus::Dispatched)?)?;
    let s = from_db(t.time_of(TripStatus::OnScene)?)?;
    // never negative, whatever clock stamped an old record
    Some((s - d).max(Duration::zero()))
}

/// Dispatched → back in service, when both happened.
pub fn total_time(t: &TransportRow) -> Option<Duration> {
    let d = from_db(t.time_of(TripStatus::Dispatched)?)?;
    let b = from_db(t.time_of(TripStatus::BackInService)?)?;
    Some((b - d).max(Duration::zero()))
}

/// The median of some durations.
pub fn median(mut v: Vec<Duration>) -> Option<Duration> {
    if v.is_empty() {
        return None;
    }
    v.sort();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    })
}

/// Median response time of these trips.
pub fn median_response(trips: &[TransportRow]) -> Option<Duration> {
    median(trips.iter().filter_map(response_time).collect())
}

/// Median response time in words of `lang`, `-` when no trip has reached the scene.
pub fn median_response_text(trips: &[TransportRow], lang: crate::i18n::Lang) -> String {
    median_response(trips).map_or_else(|| "-".to_string(), |d| duration_text(d, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(
            median(vec![
                Duration::minutes(9),
                Duration::minutes(3),
                Duration::minutes(5)
            ]),
            Some(Duration::minutes(5))
        );
        assert_eq!(
            median(vec![Duration::minutes(4), Duration::minutes(6)]),
            Some(Duration::minutes(5))
        );
    }

    fn trip(times: &[(TripStatus, &str)]) -> TransportRow {
        let mut t = TransportRow {
            id: 1,
            requested_at: "2026-11-26T02:00:00Z".into(),
            caller: String::new(),
            patient: "P".into(),
            age: None,
            village: "V01".into(),
            severity: crate::domain::transport::Severity::Severe,
            destination: "HC1".into(),
            note: String::new(),
            status: TripStatus::Requested,
            vehicle: None,
            times: Default::default(),
            cancel_reason: None,
            last_change_at: "2026-11-26T02:00:00Z".into(),
        };
        for (s, at) in times {
            let i = crate::domain::fleet::STEP_COLUMNS
                .iter()
                .position(|(x, _)| x == s)
                .unwrap();
            t.times[i] = Some(at.to_string());
            t.status = *s;
        }
        t
    }

    #[test]
    fn response_and_total_times() {
        let t = trip(&[
            (TripStatus::Dispatched, "2026-11-26T02:00:00Z"),
            (TripStatus::EnRoute, "2026-11-26T02:03:00Z"),
            (TripStatus::OnScene, "2026-11-26T02:14:30Z"),
        ]);
        assert_eq!(response_time(&t), Some(Duration::seconds(870)));
        assert_eq!(total_time(&t), None);
        let done = trip(&[
            (TripStatus::Dispatched, "2026-11-26T02:00:00Z"),
            (TripStatus::OnScene, "2026-11-26T02:10:00Z"),
            (TripStatus::BackInService, "2026-11-26T03:05:00Z"),
        ]);
        assert_eq!(total_time(&done), Some(Duration::minutes(65)));
        let waiting = trip(&[]);
        assert_eq!(response_time(&waiting), None);
        assert_eq!(
            median_response_text(std::slice::from_ref(&waiting), crate::i18n::Lang::En),
            "-"
        );
        let three = [t, done, waiting.clone()];
        assert_eq!(median_response_text(&three, crate::i18n::Lang::En), "12m");
        // through the catalogue: not ASCII in Chinese (issue 19)
        assert_eq!(
            median_response_text(&three, crate::i18n::Lang::Zh),
            "12分钟"
        );
        assert_eq!(trips_dispatched(&[waiting]), 0);
    }

    #[test]
    fn a_quiet_trip_is_flagged_after_an_hour() {
        let now = from_db("2026-11-26T03:00:00Z").unwrap();
        let mut v = VehicleRow {
            code: "AMB1".into(),
            kind: crate::domain::town::VehicleKind::Ambulance,
            base: "HC1".into(),
            plate: String::new(),
            driver: String::new(),
            phone: String::new(),
            status: VehicleStatus::OnTrip(TripStatus::EnRoute),
            since: "2026-11-26T02:00:00Z".into(),
            reason: String::new(),
            transport: Some(1),
        };
        assert!(needs_call(&v, now));
        v.since = "2026-11-26T02:00:01Z".into();
        assert!(!needs_call(&v, now));
        v.since = "2026-11-26T01:00:00Z".into();
        v.status = VehicleStatus::Available;
        assert!(!needs_call(&v, now), "a free vehicle is never flagged");
        v.status = VehicleStatus::OutOfService;
        assert!(!needs_call(&v, now));
    }
}
