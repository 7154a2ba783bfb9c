//! Transport requests and trips: severity, the NEMSIS-style status chain, and the rules
//! for which step may follow which.

use crate::i18n::Msg;

/// How urgent a patient is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Life-threatening now.
    Critical,
    /// Severe.
    Severe,
    /// Stable.
    Stable,
}

impl Severity {
    /// All severities, most urgent first.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Severe, Severity::Stable];

    /// Name in files, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Severe => "severe",
            Severity::Stable => "stable",
        }
    }

    /// Reads a severity name.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Critical => "severity.critical",
            Severity::Severe => "severity.severe",
            Severity::Stable => "severity.stable",
        }
    }
}

/// Where a trip stands. `Requested` is a request not yet given a vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TripStatus {
    /// Waiting for a vehicle.
    Requested,
    /// A vehicle is assigned.
    Dispatched,
    /// The vehicle is on its way to the patient.
    EnRoute,
    /// The vehicle is with the patient.
    OnScene,
    /// The patient is being carried.
    Transporting,
    /// Arrived at the destination.
    AtDestination,
    /// The vehicle is free again; the trip is over.
    BackInService,
    /// Called off.
    Cancelled,
}

impl TripStatus {
    /// Every status, in chain order.
    pub const ALL: [TripStatus; 8] = [
        TripStatus::Requested,
        TripStatus::Dispatched,
        TripStatus::EnRoute,
        TripStatus::OnScene,
        TripStatus::Transporting,
        TripStatus::AtDestination,
        TripStatus::BackInService,
        TripStatus::Cancelled,
    ];

    /// Name in the database, JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            TripStatus::Requested => "requested",
            TripStatus::Dispatched => "dispatched",
            TripStatus::EnRoute => "en_route",
            TripStatus::OnScene => "on_scene",
            TripStatus::Transporting => "transporting",
            TripStatus::AtDestination => "at_destination",
            TripStatus::BackInService => "back_in_service",
            TripStatus::Cancelled => "cancelled",
        }
    }

    /// Reads a status name.
    pub fn parse(s: &str) -> Option<TripStatus> {
        TripStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            TripStatus::Requested => "trip.requested",
            TripStatus::Dispatched => "trip.dispatched",
            TripStatus::EnRoute => "trip.en_route",
            TripStatus::OnScene => "trip.on_scene",
            TripStatus::Transporting => "trip.transporting",
            TripStatus::AtDestination => "trip.at_destination",
            TripStatus::BackInService => "trip.back_in_service",
            TripStatus::Cancelled => "trip.cancelled",
        }
    }

    /// True while a vehicle is tied to the trip.
    pub fn holds_vehicle(self) -> bool {
        matches!(
            self,
            TripStatus::Dispatched
                | TripStatus::EnRoute
                | TripStatus::OnScene
                | TripStatus::Transporting
                | TripStatus::AtDestination
        )
    }

    /// True when nothing more can happen to the trip.
    pub fn is_closed(self) -> bool {
        matches!(self, TripStatus::BackInService | TripStatus::Cancelled)
    }

    /// The steps a dispatcher may take from here with `advance` (dispatch is its own action).
    pub fn next_steps(self) -> &'static [TripStatus] {
        use TripStatus::*;
        match self {
            Requested => &[Cancelled],
            Dispatched => &[EnRoute, Cancelled],
            EnRoute => &[OnScene, Cancelled],
            OnScene => &[Transporting, BackInService, Cancelled],
            Transporting => &[AtDestination],
            AtDestination => &[BackInService],
            BackInService | Cancelled => &[],
        }
    }

    /// Checks one `advance` step; the error names the allowed steps.
    pub fn check_step(self, to: TripStatus) -> Result<(), Msg> {
        if self.next_steps().contains(&to) {
            return Ok(());
        }
        // statuses by their display names in the reader's language, never `en_route`
        let allowed: Vec<&'static str> = self.next_steps().iter().map(|s| s.label_key()).collect();
        if allowed.is_empty() {
            return Err(Msg::new("deny.bad_step_final")
                .label("from", self.label_key())
                .label("to", to.label_key()));
        }
        Err(Msg::new("deny.bad_step")
            .label("from", self.label_key())
            .label("to", to.label_key())
            .labels("allowed", &allowed))
    }
}

/// What a vehicle is doing, as the board and `vehicles --format json` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VehicleStatus {
    /// Free to dispatch.
    Available,
    /// On a trip, at the trip's status.
    OnTrip(TripStatus),
    /// Out of service (repair, no driver…).
    OutOfService,
}

impl VehicleStatus {
    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            VehicleStatus::Available => "available",
            VehicleStatus::OnTrip(t) => t.as_str(),
            VehicleStatus::OutOfService => "out_of_service",
        }
    }

    /// Reads a stored status.
    pub fn parse(s: &str) -> Option<VehicleStatus> {
        match s {
            "available" => Some(VehicleStatus::Available),
            "out_of_service" => Some(VehicleStatus::OutOfService),
            other => TripStatus::parse(other)
                .filter(|t| t.holds_vehicle())
                .map(VehicleStatus::OnTrip),
        }
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            VehicleStatus::Available => "vehicle.available",
            VehicleStatus::OnTrip(t) => t.label_key(),
            VehicleStatus::OutOfService => "vehicle.out_of_service",
        }
    }
}

/// A step time the dispatcher states ("at 14:05", or just "14:05") in the town's local
/// time: `Ok(None)` for an empty input (the step happens now). The time is today's; one
/// more than 12 hours ahead of `now` is yesterday's (typed just after midnight). Refused
/// when it is still in the future or before the trip's `previous` step.
pub fn stated_step_time(
    input: &str,
    now: chrono::DateTime<chrono::Utc>,
    offset: chrono::FixedOffset,
    previous: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, Msg> {
    use super::time::{local_date, local_instant, parse_hhmm};
    let t = input.trim();
    let t = t.strip_prefix("at").unwrap_or(t).trim();
    if t.is_empty() {
        return Ok(None);
    }
    let Some(hm) = parse_hhmm(t) else {
        return Err(Msg::new("fleet.at.bad"));
    };
    let today = local_date(now, offset);
    let mut at = local_instant(today, hm, offset);
    if at - now > chrono::Duration::hours(12) {
        at -= chrono::Duration::days(1);
    }
    let local =
        |x: chrono::DateTime<chrono::Utc>| x.with_timezone(&offset).format("%H:%M").to_string();
    if at > now {
        return Err(Msg::new("fleet.at.future").arg("at", local(at)));
    }
    if let Some(p) = previous
        && at < p
    {
        return Err(Msg::new("fleet.at.before")
            .arg("at", local(at))
            .arg("previous", local(p)));
    }
    Ok(Some(at))
}

#[cfg(test)]
mod step_time_tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone, Utc};

    fn east8() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn a_stated_time_is_today_local_and_not_future_nor_before_the_last_step() {
        // 10:30 in a +08:00 town
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 2, 30, 0).unwrap();
        let prev = Some(Utc.with_ymd_and_hms(2026, 11, 26, 2, 0, 0).unwrap());
        assert_eq!(stated_step_time("", now, east8(), prev), Ok(None));
        assert_eq!(
            stated_step_time("at 10:20", now, east8(), prev),
            Ok(Some(Utc.with_ymd_and_hms(2026, 11, 26, 2, 20, 0).unwrap()))
        );
        assert_eq!(
            stated_step_time("10:05", now, east8(), prev).unwrap(),
            Some(Utc.with_ymd_and_hms(2026, 11, 26, 2, 5, 0).unwrap())
        );
        let e = stated_step_time("10:45", now, east8(), prev).unwrap_err();
        assert_eq!(
            (e.key.as_ref(), e.args[0].1.as_str()),
            ("fleet.at.future", "10:45")
        );
        let e = stated_step_time("at 09:59", now, east8(), prev).unwrap_err();
        assert_eq!(e.key, "fleet.at.before");
        assert_eq!(e.args[1].1, "10:00");
        assert_eq!(
            stated_step_time("soon", now, east8(), prev)
                .unwrap_err()
                .key,
            "fleet.at.bad"
        );
    }

    #[test]
    fn just_after_midnight_a_late_time_is_yesterday() {
        // 00:10 local on the 27th
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 16, 10, 0).unwrap();
        assert_eq!(
            stated_step_time("23:55", now, east8(), None),
            Ok(Some(Utc.with_ymd_and_hms(2026, 11, 26, 15, 55, 0).unwrap()))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TripStatus::*;

    #[test]
    fn every_step_allowed_or_refused() {
        let allowed = [
            (Requested, Cancelled),
            (Dispatched, EnRoute),
            (Dispatched, Cancelled),
            (EnRoute, OnScene),
            (EnRoute, Cancelled),
            (OnScene, Transporting),
            (OnScene, BackInService),
            (OnScene, Cancelled),
            (Transporting, AtDestination),
            (AtDestination, BackInService),
        ];
        for from in TripStatus::ALL {
            for to in TripStatus::ALL {
                let ok = from.check_step(to).is_ok();
                assert_eq!(ok, allowed.contains(&(from, to)), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn refusal_names_the_allowed_steps() {
        let err = Dispatched.check_step(AtDestination).unwrap_err();
        let text = err.render(crate::i18n::Lang::En);
        // issue 19: by display names, not `en_route`
        assert_eq!(
            text,
            "a trip that is dispatched cannot become at destination; next it can be: en route, cancelled"
        );
        let zh = err.render(crate::i18n::Lang::Zh);
        assert!(zh.contains("前往途中、已取消"), "{zh}");
        // a finished trip says so instead of `allowed: -`
        let text = BackInService
            .check_step(EnRoute)
            .unwrap_err()
            .render(crate::i18n::Lang::En);
        assert!(!text.contains('-') && text.contains("finished"), "{text}");
    }

    #[test]
    fn names_round_trip() {
        for s in TripStatus::ALL {
            assert_eq!(TripStatus::parse(s.as_str()), Some(s));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            VehicleStatus::parse("en_route"),
            Some(VehicleStatus::OnTrip(EnRoute))
        );
        assert_eq!(VehicleStatus::parse("requested"), None);
    }
}
