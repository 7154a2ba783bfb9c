//! The Fleet screen's popups: the request form, the vehicle chooser, the next-step
//! chooser, the cancel confirmation and the out-of-service reason.

use crossterm::event::{KeyCode, KeyEvent};

use super::{FleetWrite, Focus, FormOutcome, RequestForm, max_id, write};
use crate::app::Effect;
use crate::app::input::TextInput;
use crate::app::model::Model;
use crate::domain::transport::TripStatus;
use crate::i18n::Msg;

/// A popup that owns the keyboard while open.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// The new request form.
    Form(RequestForm),
    /// Picking any free vehicle for a waiting request.
    Vehicles {
        /// The request.
        transport: i64,
        /// Free vehicle codes, the suggestion first.
        options: Vec<String>,
        /// Highlighted option.
        sel: usize,
    },
    /// Picking a trip's next step.
    Steps {
        /// The trip.
        transport: i64,
        /// Allowed steps (cancelling is `c`).
        options: Vec<TripStatus>,
        /// Highlighted option.
        sel: usize,
    },
    /// Confirming that a request or trip is called off.
    ConfirmCancel {
        /// The request or trip.
        transport: i64,
    },
    /// A one-line reason for taking a vehicle out of service or bringing it back.
    Reason {
        /// The vehicle.
        vehicle: String,
        /// True when bringing it back.
        in_service: bool,
        /// What was typed.
        input: TextInput,
        /// Shown when Enter was pressed on an empty reason.
        error: Option<Msg>,
    },
}

/// Handles a key while a popup is open.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(popup) = m.fleet.popup.take() else {
        return Vec::new();
    };
    let (keep, effects) = match popup {
        Popup::Form(mut f) => match f.on_key(&m.town, k) {
            FormOutcome::Editing => {
                m.dirty = f.changed;
                (Some(Popup::Form(f)), Vec::new())
            }
            FormOutcome::Closed => {
                m.dirty = false;
                (None, Vec::new())
            }
            FormOutcome::Save(req) => {
                m.dirty = false;
                m.fleet.select_after = Some(max_id(m));
                m.fleet.focus = Focus::Queue;
                (None, write(m, FleetWrite::Request(req)))
            }
        },
        Popup::Vehicles {
            transport,
            options,
            sel,
        } => match choose(&k, &options, sel) {
            Choice::Close => (None, Vec::new()),
            Choice::Pick(v) => {
                let w = FleetWrite::Dispatch {
                    transport,
                    vehicle: v.clone(),
                };
                (None, write(m, w))
            }
            Choice::Stay(sel) => (
                Some(Popup::Vehicles {
                    transport,
                    options,
                    sel,
                }),
                Vec::new(),
            ),
        },
        Popup::Steps {
            transport,
            options,
            sel,
        } => match choose(&k, &options, sel) {
            Choice::Close => (None, Vec::new()),
            Choice::Pick(to) => (None, write(m, FleetWrite::Advance { transport, to: *to })),
            Choice::Stay(sel) => (
                Some(Popup::Steps {
                    transport,
                    options,
                    sel,
                }),
                Vec::new(),
            ),
        },
        Popup::ConfirmCancel { transport } => match k.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => {
                let w = FleetWrite::Advance {
                    transport,
                    to: TripStatus::Cancelled,
                };
                (None, write(m, w))
            }
            _ => (None, Vec::new()),
        },
        Popup::Reason {
            vehicle,
            in_service,
            mut input,
            error: _,
        } => match k.code {
            KeyCode::Esc => (None, Vec::new()),
            KeyCode::Enter if input.text().trim().is_empty() => {
                let p = Popup::Reason {
                    vehicle,
                    in_service,
                    input,
                    error: Some(Msg::new("err.reason_required")),
                };
                (Some(p), Vec::new())
            }
            KeyCode::Enter => {
                let w = FleetWrite::Service {
                    vehicle,
                    in_service,
                    reason: input.text().trim().to_string(),
                };
                (None, write(m, w))
            }
            _ => {
                input.key(k);
                let p = Popup::Reason {
                    vehicle,
                    in_service,
                    input,
                    error: None,
                };
                (Some(p), Vec::new())
            }
        },
    };
    m.fleet.popup = keep;
    effects
}

/// What a key does in a chooser list.
enum Choice<'a, T> {
    /// Esc, or Enter on an empty list: close the chooser.
    Close,
    /// Enter: this one.
    Pick(&'a T),
    /// Keep choosing, with the highlight here.
    Stay(usize),
}

/// One key in a chooser over `options` with `sel` highlighted (vehicles, trip steps).
fn choose<'a, T>(k: &KeyEvent, options: &'a [T], sel: usize) -> Choice<'a, T> {
    match k.code {
        KeyCode::Esc => Choice::Close,
        KeyCode::Up | KeyCode::Down => {
            Choice::Stay(step(sel, options.len(), k.code == KeyCode::Up))
        }
        KeyCode::Enter => options.get(sel).map_or(Choice::Close, Choice::Pick),
        _ => Choice::Stay(sel),
    }
}

fn step(sel: usize, n: usize, up: bool) -> usize {
    if up {
        sel.saturating_sub(1)
    } else {
        (sel + 1).min(n.saturating_sub(1))
    }
}
