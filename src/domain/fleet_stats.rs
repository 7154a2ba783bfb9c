//! Trip times: response (dispatched → on scene) and total (dispatched → back in service).

use chrono::Duration;

use super::time::{from_db, short_duration};
use super::transport::TripStatus;
use crate::store::fleet::TransportRow;

/// Dispatched → on scene, when both happened.
pub fn response_time(t: &TransportRow) -> Option<Duration> {
    let d = from_db(t.time_of(TripStatus::Dispatched)?)?;
    let s = from_db(t.time_of(TripStatus::OnScene)?)?;
    Some(s - d)
}

/// Dispatched → back in service, when both happened.
pub fn total_time(t: &TransportRow) -> Option<Duration> {
    let d = from_db(t.time_of(TripStatus::Dispatched)?)?;
    let b = from_db(t.time_of(TripStatus::BackInService)?)?;
    Some(b - d)
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

/// Median response time as short text, `-` when no trip has reached the scene.
pub fn median_response_text(trips: &[TransportRow]) -> String {
    median_response(trips).map_or_else(|| "-".to_string(), short_duration)
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
}
