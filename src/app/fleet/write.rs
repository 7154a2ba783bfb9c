//! The Fleet screen's writes, carried out on the store thread.

use crate::domain::fleet::NewRequest;
use crate::domain::town::Town;
use crate::domain::transport::TripStatus;
use crate::i18n::Msg;
use crate::store::fleet;
use crate::store::{Ctx, Store};

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum FleetWrite {
    /// A new transport request.
    Request(NewRequest),
    /// Give a waiting request this vehicle.
    Dispatch {
        /// The request.
        transport: i64,
        /// The vehicle.
        vehicle: String,
    },
    /// Move a trip to its next step (or cancel it).
    Advance {
        /// The trip.
        transport: i64,
        /// The step.
        to: TripStatus,
    },
    /// A step at a stated time, or a cancellation with its reason (issue 19, item 5).
    Step {
        /// The trip.
        transport: i64,
        /// The step.
        to: TripStatus,
        /// When it happened and why.
        step: fleet::Step,
    },
    /// Out of service (or back), with a reason.
    Service {
        /// The vehicle.
        vehicle: String,
        /// True when bringing it back.
        in_service: bool,
        /// Why.
        reason: String,
    },
}

fn step_done_key(to: TripStatus) -> &'static str {
    match to {
        TripStatus::EnRoute => "fleet.done.en_route",
        TripStatus::OnScene => "fleet.done.on_scene",
        TripStatus::Transporting => "fleet.done.transporting",
        TripStatus::AtDestination => "fleet.done.at_destination",
        TripStatus::BackInService => "fleet.done.back_in_service",
        TripStatus::Cancelled => "fleet.done.cancelled",
        TripStatus::Requested | TripStatus::Dispatched => "fleet.done.dispatched",
    }
}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(store: &mut Store, town: &Town, ctx: &Ctx, w: FleetWrite) -> Result<Msg, Msg> {
    match w {
        FleetWrite::Request(req) => store
            .write(ctx, |w| fleet::request(w, town, &req))
            .map(|id| Msg::new("fleet.requested_ok").arg("id", id))
            .map_err(Msg::from),
        FleetWrite::Dispatch { transport, vehicle } => store
            .write(ctx, |w| fleet::dispatch(w, transport, &vehicle))
            .map(|()| {
                Msg::new("transport.dispatched_ok")
                    .arg("id", transport)
                    .arg("vehicle", &vehicle)
            })
            .map_err(Msg::from),
        FleetWrite::Advance { transport, to } => store
            .write(ctx, |w| fleet::advance(w, transport, to))
            .map(|()| Msg::new(step_done_key(to)).arg("id", transport))
            .map_err(Msg::from),
        FleetWrite::Step {
            transport,
            to,
            step,
        } => store
            .write(ctx, |w| fleet::advance_with(w, transport, to, &step))
            .map(|()| Msg::new(step_done_key(to)).arg("id", transport))
            .map_err(Msg::from),
        FleetWrite::Service {
            vehicle,
            in_service,
            reason,
        } => store
            .write(ctx, |w| {
                fleet::set_in_service(w, &vehicle, in_service, &reason)
            })
            .map(|()| {
                Msg::new(if in_service {
                    "vehicle.back_ok"
                } else {
                    "vehicle.out_ok"
                })
                .arg("vehicle", &vehicle)
            })
            .map_err(Msg::from),
    }
}
