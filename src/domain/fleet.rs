//! Vehicles and trips as plain data (the store fills them from its tables), and what
//! the board works out from them: each village's transport at a glance, and the check
//! of a new transport request against the town.

use super::town::{Town, VehicleKind, Village};
use super::transport::{Severity, TripStatus, VehicleStatus};
use crate::i18n::Msg;

/// One vehicle as the board shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleRow {
    /// Code.
    pub code: String,
    /// Ambulance or reserve car.
    pub kind: VehicleKind,
    /// Base (health center or village code).
    pub base: String,
    /// Plate.
    pub plate: String,
    /// Driver.
    pub driver: String,
    /// Driver's phone.
    pub phone: String,
    /// Status.
    pub status: VehicleStatus,
    /// Since when (stored text).
    pub since: String,
    /// Why it is out of service.
    pub reason: String,
    /// The trip it is on.
    pub transport: Option<i64>,
}

/// The timestamps of a trip's steps, in [`TripStatus::ALL`] order from `Dispatched`.
pub const STEP_COLUMNS: [(TripStatus, &str); 7] = [
    (TripStatus::Dispatched, "dispatched_at"),
    (TripStatus::EnRoute, "en_route_at"),
    (TripStatus::OnScene, "on_scene_at"),
    (TripStatus::Transporting, "transporting_at"),
    (TripStatus::AtDestination, "at_destination_at"),
    (TripStatus::BackInService, "back_in_service_at"),
    (TripStatus::Cancelled, "cancelled_at"),
];

/// One transport request / trip.
#[derive(Debug, Clone, PartialEq)]
pub struct TransportRow {
    /// Id.
    pub id: i64,
    /// When it was asked for.
    pub requested_at: String,
    /// Who asked.
    pub caller: String,
    /// Patient's name.
    pub patient: String,
    /// Patient's age.
    pub age: Option<i64>,
    /// Village code.
    pub village: String,
    /// Severity.
    pub severity: Severity,
    /// Destination code.
    pub destination: String,
    /// Note.
    pub note: String,
    /// Status.
    pub status: TripStatus,
    /// Assigned vehicle.
    pub vehicle: Option<String>,
    /// Step times, as [`STEP_COLUMNS`].
    pub times: [Option<String>; 7],
    /// The last step's time.
    pub last_change_at: String,
    /// Why it was cancelled (asked by the console since issue 19).
    pub cancel_reason: Option<String>,
}

impl TransportRow {
    /// The time of one step.
    pub fn time_of(&self, s: TripStatus) -> Option<&str> {
        STEP_COLUMNS
            .iter()
            .position(|(st, _)| *st == s)
            .and_then(|i| self.times[i].as_deref())
    }
}

/// One village's transport at a glance: its reserve car, and how many of its health
/// center's ambulances are free.
#[derive(Debug, Clone, Copy)]
pub struct Availability<'a> {
    /// The village.
    pub village: &'a Village,
    /// Its reserve car, if the ledger has one.
    pub car: Option<&'a VehicleRow>,
    /// Free ambulances of its health center.
    pub free_ambulances: usize,
    /// All ambulances of its health center.
    pub ambulances: usize,
}

/// Per-village availability, in the town's village order (one place for the Overview,
/// the Fleet screen and `duty-desk vehicles`).
pub fn availability<'a>(town: &'a Town, vehicles: &'a [VehicleRow]) -> Vec<Availability<'a>> {
    town.villages
        .iter()
        .map(|v| {
            let car = vehicles
                .iter()
                .find(|x| x.kind == VehicleKind::ReserveCar && x.base == v.code);
            let (free, all) = vehicles
                .iter()
                .filter(|x| x.kind == VehicleKind::Ambulance && x.base == v.health_center)
                .fold((0, 0), |(f, a), x| {
                    (f + usize::from(x.status == VehicleStatus::Available), a + 1)
                });
            Availability {
                village: v,
                car,
                free_ambulances: free,
                ambulances: all,
            }
        })
        .collect()
}

/// A new transport request as entered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRequest {
    /// Who asked (village doctor, family…).
    pub caller: String,
    /// Patient's name.
    pub patient: String,
    /// Patient's age.
    pub age: Option<i64>,
    /// Village code or exact name.
    pub village: String,
    /// `critical`, `severe` or `stable`.
    pub severity: String,
    /// Destination: a health center or hospital code (or exact name).
    pub destination: String,
    /// Note.
    pub note: String,
}

/// Checks a request against the town; every problem with its field.
pub fn check_request(
    town: &Town,
    req: &NewRequest,
) -> std::result::Result<(String, Severity, String), Vec<Msg>> {
    let mut problems = Vec::new();
    if req.patient.trim().is_empty() {
        problems.push(Msg::new("err.required").context("patient"));
    }
    let village = town.village(&req.village).map(|v| v.code.clone());
    if req.village.trim().is_empty() {
        problems.push(Msg::new("err.required").context("village"));
    } else if village.is_none() {
        problems.push(
            Msg::new("err.unknown_village")
                .quoted("value", req.village.trim())
                .context("village"),
        );
    }
    let severity = Severity::parse(&req.severity);
    if req.severity.trim().is_empty() {
        problems.push(Msg::new("err.required").context("severity"));
    } else if severity.is_none() {
        problems.push(
            Msg::new("err.bad_severity")
                .quoted("value", req.severity.trim())
                .context("severity"),
        );
    }
    let dest = req.destination.trim();
    let destination = town
        .health_centers
        .iter()
        .find(|h| h.code == dest || h.name == dest || (!h.name_en.is_empty() && h.name_en == dest))
        .map(|h| h.code.clone())
        .or_else(|| {
            town.hospitals
                .iter()
                .find(|h| {
                    h.code == dest || h.name == dest || (!h.name_en.is_empty() && h.name_en == dest)
                })
                .map(|h| h.code.clone())
        });
    if dest.is_empty() {
        problems.push(Msg::new("err.required").context("to"));
    } else if destination.is_none() {
        problems.push(
            Msg::new("err.unknown_destination")
                .quoted("value", dest)
                .context("to"),
        );
    }
    if let Some(a) = req.age
        && !(0..=130).contains(&a)
    {
        problems.push(Msg::new("err.bad_age").arg("value", a).context("age"));
    }
    match (village, severity, destination) {
        (Some(v), Some(s), Some(d)) if problems.is_empty() => Ok((v, s, d)),
        _ => Err(problems),
    }
}
