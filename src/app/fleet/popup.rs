//! The Fleet screen's popups: the request form, the vehicle chooser, the next-step
//! chooser, the cancel confirmation and the out-of-service reason.

use crossterm::event::{KeyCode, KeyEvent};

use super::{FleetWrite, Focus, FormOutcome, RequestForm, max_id, write};
use crate::app::Effect;
use crate::app::input::TextInput;
use crate::app::model::Model;
use crate::domain::transport::TripStatus;
use crate::i18n::Msg;
use crate::store::fleet::Step;

/// A popup that owns the keyboard while open.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// The new request form (boxed: its inputs make it the largest popup by far).
    Form(Box<RequestForm>),
    /// Picking any free vehicle for a waiting request.
    Vehicles {
        /// The request.
        transport: i64,
        /// Free vehicle codes, the suggestion first.
        options: Vec<String>,
        /// Highlighted option (among those the filter keeps).
        sel: usize,
        /// Typed to narrow the list: code, plate or driver (pinyin and initials too).
        filter: TextInput,
    },
    /// Picking a trip's next step, and when it happened.
    Steps {
        /// The trip.
        transport: i64,
        /// Allowed steps (cancelling is `c`).
        options: Vec<TripStatus>,
        /// Highlighted option.
        sel: usize,
        /// When it happened, "HH:MM" (empty: now).
        at: TextInput,
        /// Why the time was refused.
        error: Option<Msg>,
    },
    /// Calling off a request or trip: asks why.
    ConfirmCancel {
        /// The request or trip.
        transport: i64,
        /// Why (required; kept with the trip and in its audit row).
        reason: TextInput,
        /// Shown when Enter was pressed without a reason.
        error: Option<Msg>,
    },
    /// One request or trip shown whole: the full reason, the step history, the driver's
    /// phone for the dispatcher.
    Detail {
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
        p @ Popup::Form { .. } => form_key(m, k, p),
        p @ Popup::Vehicles { .. } => vehicles_key(m, k, p),
        p @ Popup::Steps { .. } => steps_key(m, k, p),
        p @ Popup::ConfirmCancel { .. } => cancel_key(m, k, p),
        Popup::Detail { .. } => return super::detail_key(m, k),
        p @ Popup::Reason { .. } => reason_key(m, k, p),
    };
    m.fleet.popup = keep;
    effects
}

fn form_key(m: &mut Model, k: KeyEvent, p: Popup) -> (Option<Popup>, Vec<Effect>) {
    let Popup::Form(mut f) = p else {
        return (Some(p), Vec::new());
    };
    match f.on_key(&m.town, k) {
        FormOutcome::Editing => {
            m.dirty = f.changed;
            (Some(Popup::Form(f)), Vec::new())
        }
        FormOutcome::Closed => {
            m.dirty = false;
            (None, Vec::new())
        }
        FormOutcome::Save(req) => {
            // a likely repeat of a request already taken is shown before it is saved
            // (issue 19, item 5); Enter again on the same request saves it anyway
            let dup = m.snapshot.as_deref().and_then(|s| {
                crate::domain::dispatch::likely_duplicate(
                    &req.village,
                    &req.patient,
                    &req.caller,
                    m.now,
                    s.transports.iter().chain(s.transports_today.iter()),
                )
                .map(|t| (t.id, t.requested_at.clone()))
            });
            if let Some(d) = dup
                && f.duplicate_of.as_ref().map(|x| x.0) != Some(d.0)
            {
                f.duplicate_of = Some(d);
                m.dirty = true;
                return (Some(Popup::Form(f)), vec![Effect::Bell]);
            }
            m.dirty = false;
            m.fleet.select_after = Some(max_id(m));
            m.fleet.focus = Focus::Queue;
            (None, write(m, FleetWrite::Request(req)))
        }
    }
}

fn vehicles_key(m: &mut Model, k: KeyEvent, p: Popup) -> (Option<Popup>, Vec<Effect>) {
    let Popup::Vehicles {
        transport,
        options,
        sel,
        mut filter,
    } = p
    else {
        return (Some(p), Vec::new());
    };
    {
        let shown = super::vehicles_shown(m, &options, filter.text());
        match choose(&k, &shown, sel) {
            Choice::Close => (None, Vec::new()),
            Choice::Pick(v) => {
                let w = FleetWrite::Dispatch {
                    transport,
                    vehicle: v.clone(),
                };
                (None, write(m, w))
            }
            Choice::Stay(sel) => {
                // any other key narrows the list (the highlight starts again at the top)
                let sel = if filter.key(k) == crate::app::input::Edited::Changed {
                    0
                } else {
                    sel
                };
                let p = Popup::Vehicles {
                    transport,
                    options,
                    sel,
                    filter,
                };
                (Some(p), Vec::new())
            }
        }
    }
}

fn steps_key(m: &mut Model, k: KeyEvent, p: Popup) -> (Option<Popup>, Vec<Effect>) {
    let Popup::Steps {
        transport,
        options,
        sel,
        mut at,
        error,
    } = p
    else {
        return (Some(p), Vec::new());
    };
    match k.code {
        KeyCode::Esc => (None, Vec::new()),
        KeyCode::Up | KeyCode::Down => {
            let sel = step(sel, options.len(), k.code == KeyCode::Up);
            let p = Popup::Steps {
                transport,
                options,
                sel,
                at,
                error,
            };
            (Some(p), Vec::new())
        }
        KeyCode::Enter => {
            let Some(to) = options.get(sel).copied() else {
                return (None, Vec::new());
            };
            let previous = super::selected_trip(m)
                .filter(|t| t.id == transport)
                .and_then(|t| crate::domain::time::from_db(&t.last_change_at));
            let offset = m.town.info.offset;
            match crate::domain::transport::stated_step_time(at.text(), m.now, offset, previous) {
                Ok(None) => (None, write(m, FleetWrite::Advance { transport, to })),
                Ok(Some(when)) => {
                    let w = FleetWrite::Step {
                        transport,
                        to,
                        step: Step {
                            at: Some(when),
                            reason: None,
                        },
                    };
                    (None, write(m, w))
                }
                Err(e) => {
                    let p = Popup::Steps {
                        transport,
                        options,
                        sel,
                        at,
                        error: Some(e),
                    };
                    (Some(p), vec![Effect::Bell])
                }
            }
        }
        _ => {
            at.key(k);
            let p = Popup::Steps {
                transport,
                options,
                sel,
                at,
                error: None,
            };
            (Some(p), Vec::new())
        }
    }
}

fn cancel_key(m: &mut Model, k: KeyEvent, p: Popup) -> (Option<Popup>, Vec<Effect>) {
    let Popup::ConfirmCancel {
        transport,
        mut reason,
        error: _,
    } = p
    else {
        return (Some(p), Vec::new());
    };
    match k.code {
        KeyCode::Esc => (None, Vec::new()),
        KeyCode::Enter if reason.text().trim().is_empty() => {
            let p = Popup::ConfirmCancel {
                transport,
                reason,
                error: Some(Msg::new("err.reason_required")),
            };
            (Some(p), vec![Effect::Bell])
        }
        KeyCode::Enter => {
            let w = FleetWrite::Step {
                transport,
                to: TripStatus::Cancelled,
                step: Step {
                    at: None,
                    reason: Some(reason.text().trim().to_string()),
                },
            };
            (None, write(m, w))
        }
        _ => {
            reason.key(k);
            let p = Popup::ConfirmCancel {
                transport,
                reason,
                error: None,
            };
            (Some(p), Vec::new())
        }
    }
}

fn reason_key(m: &mut Model, k: KeyEvent, p: Popup) -> (Option<Popup>, Vec<Effect>) {
    let Popup::Reason {
        vehicle,
        in_service,
        mut input,
        error: _,
    } = p
    else {
        return (Some(p), Vec::new());
    };
    match k.code {
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
    }
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
