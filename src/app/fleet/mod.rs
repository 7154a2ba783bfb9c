//! Console behaviour of the Fleet & dispatch: its UI state, its keys and its writes.
//!
//! Two lists share the screen: the transport queue (waiting requests first, then trips under
//! way, then today's finished ones) and the vehicle board; Left/Right moves between them.

mod form;
mod popup;
mod write;

pub use form::{FormField, FormOutcome, RequestForm, destinations};
pub use popup::Popup;
pub use write::{FleetWrite, apply};

use crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use super::WriteCmd;
use super::model::Model;
use super::screen::Screen;
use crate::domain::dispatch::{Suggestion, suggestion_for};
use crate::domain::fleet::{TransportRow, VehicleRow};
use crate::domain::roles::Permission;
use crate::domain::town::Town;
use crate::domain::town::VehicleKind;
use crate::domain::transport::{TripStatus, VehicleStatus};
use crate::i18n::Msg;
use crate::store::snapshot::Snapshot;

/// Which list the arrow keys move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The transport queue.
    #[default]
    Queue,
    /// The vehicle board.
    Board,
}

/// What the screen remembers between frames (selection, open form, filters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetUi {
    /// Which list has the arrows.
    pub focus: Focus,
    /// The selected transport's id (the first row when `None` or gone).
    pub trip: Option<i64>,
    /// After saving a request: select the newest transport above this id once it appears.
    pub select_after: Option<i64>,
    /// The open popup.
    pub popup: Option<Popup>,
}

impl FleetUi {
    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        self.popup.is_some()
    }
}

/// The queue as shown: waiting requests (severity, then longest wait), trips under way,
/// then today's finished or cancelled transports, newest first.
pub fn queue_rows(s: &Snapshot) -> Vec<&TransportRow> {
    let waiting = s
        .transports
        .iter()
        .filter(|t| t.status == TripStatus::Requested);
    let under_way = s
        .transports
        .iter()
        .filter(|t| t.status != TripStatus::Requested);
    let mut done: Vec<&TransportRow> = s
        .transports_today
        .iter()
        .filter(|t| t.status.is_closed())
        .collect();
    done.sort_by(|a, b| b.last_change_at.cmp(&a.last_change_at));
    waiting.chain(under_way).chain(done).collect()
}

/// Position of the selected transport in [`queue_rows`].
pub fn selected_index(m: &Model, rows: &[&TransportRow]) -> Option<usize> {
    if rows.is_empty() {
        return None;
    }
    if let Some(after) = m.fleet.select_after
        && let Some((i, _)) = rows
            .iter()
            .enumerate()
            .filter(|(_, t)| t.id > after)
            .max_by_key(|(_, t)| t.id)
    {
        return Some(i);
    }
    Some(
        m.fleet
            .trip
            .and_then(|id| rows.iter().position(|t| t.id == id))
            .unwrap_or(0),
    )
}

/// The selected transport, if any.
pub fn selected_trip(m: &Model) -> Option<&TransportRow> {
    let s = m.snapshot.as_deref()?;
    let rows = queue_rows(s);
    selected_index(m, &rows).map(|i| rows[i])
}

/// The board's order: per health center its ambulances, then the reserve cars of the
/// villages it serves (in town file order); anything else last. Indexes into `vehicles`.
pub fn board_order(town: &Town, vehicles: &[VehicleRow]) -> Vec<(String, Vec<usize>)> {
    let mut used = vec![false; vehicles.len()];
    let mut groups = Vec::new();
    for hc in &town.health_centers {
        let mut idx = Vec::new();
        let mut take = |pred: &dyn Fn(&VehicleRow) -> bool, idx: &mut Vec<usize>| {
            for (i, v) in vehicles.iter().enumerate() {
                if !used[i] && pred(v) {
                    used[i] = true;
                    idx.push(i);
                }
            }
        };
        take(
            &|v| v.kind == VehicleKind::Ambulance && v.base == hc.code,
            &mut idx,
        );
        for village in town.villages.iter().filter(|v| v.health_center == hc.code) {
            take(
                &|v| v.kind == VehicleKind::ReserveCar && v.base == village.code,
                &mut idx,
            );
        }
        groups.push((hc.code.clone(), idx));
    }
    let rest: Vec<usize> = (0..vehicles.len()).filter(|i| !used[*i]).collect();
    if !rest.is_empty() {
        groups.push((String::new(), rest));
    }
    groups
}

/// The selected vehicle on the board.
pub fn selected_vehicle(m: &Model) -> Option<&VehicleRow> {
    let s = m.snapshot.as_deref()?;
    let order: Vec<usize> = board_order(&m.town, &s.vehicles)
        .into_iter()
        .flat_map(|(_, idx)| idx)
        .collect();
    let pos = m.selected[Screen::Fleet.index()].min(order.len().checked_sub(1)?);
    s.vehicles.get(order[pos])
}

/// The suggestion for the selected waiting request.
pub fn selected_suggestion(m: &Model) -> Option<Suggestion> {
    let s = m.snapshot.as_deref()?;
    suggestion_for(&m.town, selected_trip(m)?, &s.transports, &s.vehicles)
}

/// The free vehicles the chooser shows: all of them (the suggestion first) with no filter,
/// else those whose code, plate or driver match it, best first.
pub fn vehicles_shown(m: &Model, options: &[String], filter: &str) -> Vec<String> {
    if filter.trim().is_empty() {
        return options.to_vec();
    }
    let entries: Vec<crate::app::picker::Entry> = crate::app::picker::vehicles(&m.town)
        .into_iter()
        .filter(|e| options.contains(&e.code))
        .collect();
    crate::domain::search::search(&entries, filter)
        .into_iter()
        .filter_map(|i| entries.get(i).map(|e| e.code.clone()))
        .collect()
}

/// The text input with the cursor in the open popup, for a paste.
pub fn focused_input(m: &mut Model) -> Option<&mut crate::app::input::TextInput> {
    match m.fleet.popup.as_mut()? {
        Popup::Form(f) => f.input_mut(),
        Popup::Reason { input, .. } => Some(input),
        Popup::ConfirmCancel { reason, .. } => Some(reason),
        Popup::Steps { at, .. } => Some(at),
        Popup::Vehicles { filter, .. } => Some(filter),
        Popup::Detail { .. } => None,
    }
}

/// Puts a message on the status line (with the bell when it is an error).
pub(crate) fn say(m: &mut Model, msg: Msg, error: bool) -> Vec<Effect> {
    m.say(msg, error)
}

/// Asks the store thread for one of this screen's writes.
pub(crate) fn write(m: &Model, w: FleetWrite) -> Vec<Effect> {
    vec![Effect::Write(WriteCmd::Fleet(w), m.view)]
}

/// Fixes the selection on the row shown, so later keys move from what the operator sees.
fn settle_selection(m: &mut Model) {
    let id = m.snapshot.as_deref().and_then(|s| {
        let rows = queue_rows(s);
        selected_index(m, &rows).map(|i| rows[i].id)
    });
    if id.is_some() {
        m.fleet.trip = id;
        m.fleet.select_after = None;
    }
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    m.snapshot.as_ref()?;
    if m.fleet.popup.is_some() {
        return Some(popup::on_key(m, k));
    }
    settle_selection(m);
    let effects = match k.code {
        KeyCode::Left => {
            m.fleet.focus = Focus::Queue;
            Vec::new()
        }
        KeyCode::Right => {
            m.fleet.focus = Focus::Board;
            Vec::new()
        }
        KeyCode::Up => move_sel(m, -1),
        KeyCode::Down => move_sel(m, 1),
        KeyCode::PageUp => move_sel(m, -10),
        KeyCode::PageDown => move_sel(m, 10),
        KeyCode::Home => move_sel(m, -10_000),
        KeyCode::End => move_sel(m, 10_000),
        // an action the operator may not take is refused before its form opens
        KeyCode::Char('n') => super::access::refuse(m, Permission::RequestTransport)
            .unwrap_or_else(|| {
                m.fleet.popup = Some(Popup::Form(Box::default()));
                Vec::new()
            }),
        // Enter shows the request whole first (issue 19: Enter never acts blind); Enter
        // again there accepts the suggestion
        KeyCode::Enter if m.fleet.focus == Focus::Queue => open_detail(m),
        KeyCode::Char('v') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| choose_vehicle(m))
        }
        KeyCode::Char('a') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| steps(m))
        }
        KeyCode::Char('c') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| cancel(m))
        }
        KeyCode::Char('x') => {
            super::access::refuse(m, Permission::VehicleService).unwrap_or_else(|| service(m))
        }
        _ => return None,
    };
    Some(effects)
}

/// The mouse wheel moves in whichever list has the focus.
pub fn scroll(m: &mut Model, delta: isize) {
    if m.fleet.popup.is_none() {
        settle_selection(m);
        move_sel(m, delta);
    }
}

fn move_sel(m: &mut Model, delta: isize) -> Vec<Effect> {
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    let clamp = |cur: usize, n: usize| (cur as isize + delta).clamp(0, n as isize - 1) as usize;
    match m.fleet.focus {
        Focus::Queue => {
            let rows = queue_rows(s);
            if let Some(i) = selected_index(m, &rows) {
                m.fleet.trip = Some(rows[clamp(i, rows.len())].id);
            }
        }
        Focus::Board => {
            let n = s.vehicles.len();
            if n > 0 {
                let sel = &mut m.selected[Screen::Fleet.index()];
                *sel = clamp((*sel).min(n - 1), n);
            }
        }
    }
    Vec::new()
}

/// The selected request's id when it waits for a vehicle, else the message saying why not.
fn waiting_trip(m: &mut Model) -> Result<i64, Vec<Effect>> {
    match selected_trip(m) {
        Some(t) if t.status == TripStatus::Requested => Ok(t.id),
        Some(t) => {
            let msg = Msg::new("err.not_waiting")
                .arg("id", t.id)
                .arg("status", m.t(t.status.label_key()));
            Err(say(m, msg, true))
        }
        None => Err(say(m, Msg::new("fleet.no_request"), true)),
    }
}

/// Enter: the selected request's detail view.
fn open_detail(m: &mut Model) -> Vec<Effect> {
    match selected_trip(m).map(|t| t.id) {
        Some(id) => {
            m.fleet.popup = Some(Popup::Detail { transport: id });
            Vec::new()
        }
        None => say(m, Msg::new("fleet.no_request"), true),
    }
}

/// The detail view's keys: Enter accepts the suggestion for a waiting request; `v`, `a`
/// and `c` act on the request shown; Esc closes.
pub(crate) fn detail_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') => Vec::new(),
        KeyCode::Enter => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| accept(m))
        }
        KeyCode::Char('v') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| choose_vehicle(m))
        }
        KeyCode::Char('a') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| steps(m))
        }
        KeyCode::Char('c') => {
            super::access::refuse(m, Permission::Dispatch).unwrap_or_else(|| cancel(m))
        }
        _ => {
            if let Some(id) = selected_trip(m).map(|t| t.id) {
                m.fleet.popup = Some(Popup::Detail { transport: id });
            }
            Vec::new()
        }
    }
}

/// Enter: dispatch the suggested vehicle for the selected waiting request.
fn accept(m: &mut Model) -> Vec<Effect> {
    let id = match waiting_trip(m) {
        Ok(x) => x,
        Err(e) => return e,
    };
    match selected_suggestion(m) {
        Some(s) => write(
            m,
            FleetWrite::Dispatch {
                transport: id,
                vehicle: s.vehicle,
            },
        ),
        None => say(m, Msg::new("fleet.no_suggestion"), true),
    }
}

/// `v`: choose any free vehicle, the suggestion first.
fn choose_vehicle(m: &mut Model) -> Vec<Effect> {
    let id = match waiting_trip(m) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    let mut options: Vec<String> = s
        .vehicles
        .iter()
        .filter(|v| v.status == VehicleStatus::Available)
        .map(|v| v.code.clone())
        .collect();
    if let Some(sug) = selected_suggestion(m)
        && let Some(i) = options.iter().position(|c| *c == sug.vehicle)
    {
        let first = options.remove(i);
        options.insert(0, first);
    }
    if options.is_empty() {
        return say(m, Msg::new("fleet.none_free"), true);
    }
    m.fleet.popup = Some(Popup::Vehicles {
        transport: id,
        options,
        sel: 0,
        filter: crate::app::input::TextInput::new(crate::app::input::Kind::Line, 20),
    });
    Vec::new()
}

/// `a`: the selected trip's allowed next steps.
fn steps(m: &mut Model) -> Vec<Effect> {
    let Some(t) = selected_trip(m) else {
        return say(m, Msg::new("fleet.no_request"), true);
    };
    let (id, status) = (t.id, t.status);
    let options: Vec<TripStatus> = status
        .next_steps()
        .iter()
        .copied()
        .filter(|s| *s != TripStatus::Cancelled)
        .collect();
    if options.is_empty() {
        let allowed = if status.next_steps().contains(&TripStatus::Cancelled) {
            "fleet.only_cancel"
        } else {
            "fleet.trip_closed"
        };
        let msg = Msg::new(allowed)
            .arg("id", id)
            .arg("status", m.t(status.label_key()));
        return say(m, msg, true);
    }
    m.fleet.popup = Some(Popup::Steps {
        transport: id,
        options,
        sel: 0,
        at: crate::app::input::TextInput::new(crate::app::input::Kind::Line, 8),
        error: None,
    });
    Vec::new()
}

/// `c`: call off the selected request or trip, after a confirmation.
fn cancel(m: &mut Model) -> Vec<Effect> {
    let Some(t) = selected_trip(m) else {
        return say(m, Msg::new("fleet.no_request"), true);
    };
    let (id, status) = (t.id, t.status);
    if !status.next_steps().contains(&TripStatus::Cancelled) {
        let msg = status
            .check_step(TripStatus::Cancelled)
            .err()
            .unwrap_or_else(|| Msg::new("fleet.no_request"));
        return say(m, msg, true);
    }
    m.fleet.popup = Some(Popup::ConfirmCancel {
        transport: id,
        reason: crate::app::input::TextInput::new(crate::app::input::Kind::Line, 200),
        error: None,
    });
    Vec::new()
}

/// `o`: take the selected vehicle out of service, or bring it back, with a reason.
fn service(m: &mut Model) -> Vec<Effect> {
    if m.fleet.focus != Focus::Board {
        return say(m, Msg::new("fleet.pick_vehicle"), true);
    }
    let Some(v) = selected_vehicle(m) else {
        return Vec::new();
    };
    let (code, status, trip) = (v.code.clone(), v.status, v.transport);
    let in_service = match status {
        VehicleStatus::Available => false,
        VehicleStatus::OutOfService => true,
        VehicleStatus::OnTrip(_) => {
            let msg = Msg::new("fleet.on_trip")
                .arg("vehicle", &code)
                .arg("id", trip.unwrap_or_default());
            return say(m, msg, true);
        }
    };
    m.fleet.popup = Some(Popup::Reason {
        vehicle: code,
        in_service,
        input: crate::app::input::TextInput::default(),
        error: None,
    });
    Vec::new()
}

/// The highest transport id the screen knows, to select a request saved after it.
pub(crate) fn max_id(m: &Model) -> i64 {
    m.snapshot
        .as_deref()
        .map(|s| {
            s.transports
                .iter()
                .chain(s.transports_today.iter())
                .map(|t| t.id)
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// The Fleet & dispatch screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, m: &Model) -> bool {
        m.fleet.modal()
    }

    fn rows(&self, m: &Model) -> usize {
        m.snapshot.as_deref().map_or(0, |s| s.vehicles.len())
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        on_key(m, k)
    }
}
