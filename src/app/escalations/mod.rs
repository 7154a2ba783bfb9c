//! Console behaviour of the Escalations: its UI state, its keys and its writes.
//!
//! Keys on the queue: `n` new, `a` take in hand, `r` resolve (with a note), Enter details
//! (with the audit history), `f` cycle the kind filter, `v` cycle the village filter,
//! `s` a stock count. Forms and the detail view own the keyboard while open.

pub mod form;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use self::form::{Form, Outcome, ResolveForm, StockForm};
use super::alerts::Alerts;
use super::model::{Model, Status};
use super::screen::Screen;
use super::{Effect, WriteCmd};
use crate::domain::escalation::EscalationRow;
use crate::domain::escalation::{Kind, StockItem, queue_key};
use crate::domain::roles::Permission;
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::escalations::{self, NewEscalation};
use crate::store::rules::Marks;
use crate::store::{Ctx, Store};

/// What the screen remembers between frames (selection, open form, filters, alerts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EscalationsUi {
    /// The open form, if any.
    pub form: Option<Form>,
    /// The escalation whose detail view is open.
    pub detail: Option<i64>,
    /// Only this kind (all when `None`).
    pub kind_filter: Option<Kind>,
    /// Only this village code (all when `None`).
    pub village_filter: Option<String>,
    /// Alerts raised in this console and the banner.
    pub alerts: Alerts,
}

impl EscalationsUi {
    /// A fresh screen state for a console started at `started` (alerts count from then).
    pub fn new(started: DateTime<Utc>) -> EscalationsUi {
        EscalationsUi {
            alerts: Alerts::new(started),
            ..Default::default()
        }
    }

    /// True while a form or popup owns the keyboard (global keys are not applied).
    pub fn modal(&self) -> bool {
        self.form.is_some() || self.detail.is_some()
    }
}

/// The queue as shown: filtered, overdue first, then direct referrals, then by deadline.
pub fn visible(m: &Model) -> Vec<&EscalationRow> {
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    let mut v: Vec<&EscalationRow> = s
        .escalations
        .iter()
        .filter(|e| m.escalations.kind_filter.is_none_or(|k| e.kind == k))
        .filter(|e| {
            m.escalations
                .village_filter
                .as_deref()
                .is_none_or(|f| e.village.as_deref() == Some(f))
        })
        .collect();
    v.sort_by_key(|e| (queue_key(e.due, e.grace, e.direct, m.now), e.id));
    v
}

/// The selected escalation on the queue.
pub fn selected(m: &Model) -> Option<&EscalationRow> {
    visible(m)
        .into_iter()
        .nth(m.selected[Screen::Escalations.index()])
}

/// Handles a key on this screen; `None` when the key is not the screen's.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    if m.escalations.form.is_some() {
        return Some(form_key(m, k));
    }
    if m.escalations.detail.is_some() {
        return Some(detail_key(m, k));
    }
    // an action the operator may not take was refused by its keymap row (`app::keymap`)
    match k.code {
        KeyCode::Char('n') => {
            m.escalations.form = Some(Form::Add(Box::default()));
            m.dirty = true;
            Some(Vec::new())
        }
        KeyCode::Char('i') => {
            m.escalations.form = Some(Form::Stock(StockForm::default()));
            m.dirty = true;
            Some(Vec::new())
        }
        KeyCode::Char('a') => Some(ack_selected(m)),
        KeyCode::Char('r') => {
            open_resolve(m, selected(m).map(|e| e.id));
            Some(Vec::new())
        }
        KeyCode::Enter => {
            let Some(id) = selected(m).map(|e| e.id) else {
                nothing_selected(m);
                return Some(Vec::new());
            };
            m.escalations.detail = Some(id);
            m.view.escalation = Some(id);
            Some(vec![Effect::Reload(m.view)])
        }
        KeyCode::Char('f') => {
            m.escalations.kind_filter = next_in(&Kind::ALL, m.escalations.kind_filter);
            m.selected[Screen::Escalations.index()] = 0;
            Some(Vec::new())
        }
        KeyCode::Char('F') => {
            let codes: Vec<String> = m.town.villages.iter().map(|v| v.code.clone()).collect();
            m.escalations.village_filter = next_in(&codes, m.escalations.village_filter.clone());
            m.selected[Screen::Escalations.index()] = 0;
            Some(Vec::new())
        }
        _ => None,
    }
}

/// None -> first -> ... -> last -> None.
fn next_in<T: PartialEq + Clone>(all: &[T], cur: Option<T>) -> Option<T> {
    match cur {
        None => all.first().cloned(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c)?;
            all.get(i + 1).cloned()
        }
    }
}

fn nothing_selected(m: &mut Model) {
    m.status = Some(Status {
        msg: Msg::new("esc.none_selected"),
        error: true,
    });
}

fn ack_selected(m: &mut Model) -> Vec<Effect> {
    let id = match m.escalations.detail {
        Some(id) => Some(id),
        None => selected(m).map(|e| e.id),
    };
    match id {
        Some(id) => write(m, EscalationsWrite::Ack(id)),
        None => {
            nothing_selected(m);
            Vec::new()
        }
    }
}

fn open_resolve(m: &mut Model, id: Option<i64>) {
    let Some(id) = id else {
        nothing_selected(m);
        return;
    };
    let title = m
        .snapshot
        .as_deref()
        .and_then(|s| {
            s.escalations
                .iter()
                .chain(s.esc_detail.iter())
                .find(|e| e.id == id)
        })
        .map(|e| crate::domain::escalation::display_title(e, &m.town, m.lang))
        .unwrap_or_default();
    m.escalations.form = Some(Form::Resolve(ResolveForm::new(id, title)));
    m.dirty = true;
}

fn write(m: &Model, w: EscalationsWrite) -> Vec<Effect> {
    vec![Effect::Write(WriteCmd::Escalations(w), m.view)]
}

fn form_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let Some(form) = m.escalations.form.as_mut() else {
        return Vec::new();
    };
    match form::on_key(form, k, &m.town, m.now) {
        Outcome::Editing => Vec::new(),
        Outcome::Cancelled => {
            m.escalations.form = None;
            m.dirty = false;
            Vec::new()
        }
        Outcome::Submit(w) => {
            m.escalations.form = None;
            m.dirty = false;
            write(m, w)
        }
    }
}

fn detail_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    match k.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => {
            m.escalations.detail = None;
            m.view.escalation = None;
            vec![Effect::Reload(m.view)]
        }
        KeyCode::Char('a') => ack_selected(m),
        KeyCode::Char('r') => super::access::refuse(m, Permission::HandleEscalation)
            .unwrap_or_else(|| {
                open_resolve(m, m.escalations.detail);
                Vec::new()
            }),
        _ => Vec::new(),
    }
}

/// The writes this screen asks the store thread to make.
#[derive(Debug, Clone, PartialEq)]
pub enum EscalationsWrite {
    /// Raise a manual escalation.
    Raise {
        /// referral, concern or other.
        kind: Kind,
        /// Title.
        title: String,
        /// Village code.
        village: Option<String>,
        /// Details.
        details: String,
        /// Direct referral.
        direct: bool,
        /// Deadline.
        due: DateTime<Utc>,
    },
    /// Take it in hand.
    Ack(i64),
    /// Resolve with a note.
    Resolve(i64, String),
    /// Mark an alert seen by the operator (the banner's Esc).
    AlertSeen(i64),
    /// Record a stock count.
    SetStock {
        /// Health center or village code.
        place: String,
        /// Item.
        item: StockItem,
        /// Quantity.
        quantity: i64,
    },
}

/// Carries out one of this screen's writes on the store thread.
pub fn apply(store: &mut Store, town: &Town, ctx: &Ctx, w: EscalationsWrite) -> Result<Msg, Msg> {
    match w {
        EscalationsWrite::Raise {
            kind,
            title,
            village,
            details,
            direct,
            due,
        } => {
            let new = NewEscalation {
                kind,
                title,
                village,
                place: None,
                details,
                direct,
                subject: None,
                due,
                grace_minutes: town.info.escalation_grace_minutes,
            };
            let id = store.write(ctx, |w| escalations::raise(w, &new))?;
            Ok(Msg::new("esc.raised_ok").arg("id", id))
        }
        EscalationsWrite::AlertSeen(id) => {
            store.write_or_rollback(ctx, |w| {
                let marked = crate::store::alerts::mark_seen(w, id)?;
                Ok(((), marked))
            })?;
            Ok(Msg::new("alerts.console.seen_ok").arg("id", id))
        }
        EscalationsWrite::Ack(id) => {
            store.write(ctx, |w| escalations::acknowledge(w, id))?;
            Ok(Msg::new("esc.acked_ok").arg("id", id))
        }
        EscalationsWrite::Resolve(id, note) => {
            store.write(ctx, |w| escalations::resolve(w, id, &note))?;
            Ok(Msg::new("esc.resolved_ok").arg("id", id))
        }
        EscalationsWrite::SetStock {
            place,
            item,
            quantity,
        } => {
            store.write(ctx, |w| escalations::set_stock(w, &place, item, quantity))?;
            Ok(Msg::new("esc.stock_ok")
                .arg("place", &place)
                .arg("item", item.as_str())
                .arg("quantity", quantity))
        }
    }
}

/// Runs the automatic rules and deadline marks for a console (store thread); true when
/// something changed, so the console should re-read. Failures are logged, never shown.
/// The gate skips the pass when nothing it looks at can have changed since the last one.
pub fn run_rules(
    store: &mut Store,
    town: &Town,
    now: DateTime<Utc>,
    gate: &mut crate::store::rules::Gate,
) -> bool {
    let ctx = Ctx {
        operator: format!("console:{}", std::process::id()),
        now,
    };
    match gate.run(store, town, &ctx, Marks::Yes) {
        Ok(out) => out.is_some_and(|o| !o.is_empty()),
        Err(e) => {
            tracing::warn!("escalation rules: {e}");
            false
        }
    }
}

/// The Escalations screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, m: &Model) -> bool {
        m.escalations.modal()
    }

    fn rows(&self, m: &Model) -> usize {
        visible(m).len()
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        on_key(m, k)
    }
}
