//! Alerts: when something new is critical (a new critical transport request, a newly
//! overdue escalation, one raised to the duty leader) the console rings the bell and sends
//! a desktop notification. The banner and the inbox (`!`) show the alert records the rule
//! pass keeps (`store::alerts`, issue 14): the banner the oldest unseen one and how many
//! more, `Esc` marks only that one seen (recorded with the operator).
//!
//! "New" is decided from marks the store keeps: the rule pass stamps `alerted_overdue_at`
//! and `escalated_at` once (a conditional update inside one transaction), and requests carry
//! `requested_at`. A console alerts for every stamp made since it started that it has not
//! alerted yet. So two consoles on one database both alert, neither twice, and neither misses
//! one because the other stamped it first; a restarted console does not repeat old alerts.

use std::collections::HashSet;

use chrono::{DateTime, Timelike, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use super::model::Model;
use crate::domain::alerts::InboxItem;
use crate::domain::alerts::Subject;
use crate::domain::escalation::display_title;
use crate::domain::time::from_db;
use crate::domain::transport::{Severity, TripStatus};
use crate::i18n::Msg;

/// Why the console alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// A new critical transport request.
    Critical,
    /// An escalation just passed its deadline.
    Overdue,
    /// An escalation overdue past its grace period went to the duty leader.
    ToLeader,
}

impl AlertKind {
    /// Catalogue key of the notification summary.
    pub fn summary_key(self) -> &'static str {
        match self {
            AlertKind::Critical => "alert.summary.critical",
            AlertKind::Overdue => "alert.summary.overdue",
            AlertKind::ToLeader => "alert.summary.to_leader",
        }
    }
}

/// This console's alert memory and its banner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerts {
    /// When the console started: older stamps were alerted elsewhere or before.
    pub since: DateTime<Utc>,
    seen: HashSet<(AlertKind, i64)>,
    /// Alert records nobody has seen whose cause is still there, oldest first (banner;
    /// the first `store::alerts::UNSEEN_MAX`).
    pub unseen: Vec<InboxItem>,
    /// How many are unseen in all.
    pub unseen_total: usize,
    /// The inbox popup, when open: the selected row of the snapshot's recent alerts.
    pub inbox: Option<usize>,
}

impl Alerts {
    /// Alert memory for a console started at `since`.
    pub fn new(since: DateTime<Utc>) -> Alerts {
        Alerts {
            // stamps are stored to the second: a mark made in the console's first second
            // must still count as made after its start
            since: since.with_nanosecond(0).unwrap_or(since),
            ..Default::default()
        }
    }

    /// The operator has seen the banner's alert (the oldest unseen): it leaves the banner
    /// at once; returns its id for the write that records who saw it.
    pub fn dismiss(&mut self) -> Option<i64> {
        if self.unseen.is_empty() {
            return None;
        }
        self.unseen_total = self.unseen_total.saturating_sub(1);
        Some(self.unseen.remove(0).row.id)
    }

    /// True while the banner is shown.
    pub fn showing(&self) -> bool {
        !self.unseen.is_empty()
    }
}

fn stamped_since(at: Option<&str>, since: DateTime<Utc>) -> bool {
    at.and_then(from_db).is_some_and(|t| t >= since)
}

/// Looks at a freshly loaded snapshot for new alerts; returns the bell and notification.
pub fn on_loaded(m: &mut Model) -> Vec<Effect> {
    let Some(s) = m.snapshot.as_deref() else {
        return Vec::new();
    };
    m.escalations.alerts.unseen = s.alerts_unseen.clone();
    m.escalations.alerts.unseen_total = s.alerts_unseen_total.max(s.alerts_unseen.len());
    if let Some(sel) = m.escalations.alerts.inbox.as_mut() {
        *sel = (*sel).min(s.alerts_recent.len().saturating_sub(1));
    }
    let since = m.escalations.alerts.since;
    let mut new: Vec<(AlertKind, Msg)> = Vec::new();
    let seen = &mut m.escalations.alerts.seen;
    for t in &s.transports {
        if t.severity == Severity::Critical
            && t.status == TripStatus::Requested
            && stamped_since(Some(&t.requested_at), since)
            && seen.insert((AlertKind::Critical, t.id))
        {
            new.push((
                AlertKind::Critical,
                Msg::new("alert.critical")
                    .arg("id", t.id)
                    .arg("village", m.town.place_name(&t.village, m.lang)),
            ));
        }
    }
    for e in &s.escalations {
        let to_leader = stamped_since(e.escalated_at.as_deref(), since);
        let overdue = stamped_since(e.alerted_overdue_at.as_deref(), since);
        let kind = if to_leader && seen.insert((AlertKind::ToLeader, e.id)) {
            // one alert is enough when both marks came in the same pass
            seen.insert((AlertKind::Overdue, e.id));
            AlertKind::ToLeader
        } else if overdue && seen.insert((AlertKind::Overdue, e.id)) {
            AlertKind::Overdue
        } else {
            continue;
        };
        let key = match kind {
            AlertKind::ToLeader => "alert.to_leader",
            _ => "alert.overdue",
        };
        new.push((
            kind,
            Msg::new(key)
                .arg("id", e.id)
                .arg("title", display_title(e, &m.town, m.lang)),
        ));
    }
    if new.is_empty() {
        return Vec::new();
    }
    let mut effects = vec![Effect::Bell];
    if m.town.info.notifications {
        let summary = match new.as_slice() {
            [(kind, _)] => m.lang.t(kind.summary_key()).to_string(),
            _ => m
                .lang
                .fmt("alert.summary.many", &[("n", &new.len().to_string())]),
        };
        let body = new
            .iter()
            .map(|(_, msg)| msg.render(m.lang))
            .collect::<Vec<_>>()
            .join("\n");
        effects.push(Effect::Notify { summary, body });
    }
    effects
}

/// `Esc` on the banner: the oldest unseen alert is marked seen by the operator.
pub fn mark_seen(m: &mut Model) -> Vec<Effect> {
    match m.escalations.alerts.dismiss() {
        Some(id) => vec![Effect::Write(
            super::WriteCmd::Escalations(super::escalations::EscalationsWrite::AlertSeen(id)),
            m.view,
        )],
        None => Vec::new(),
    }
}

/// `!`: opens the inbox on its newest alert.
pub fn open_inbox(m: &mut Model) -> Vec<Effect> {
    m.escalations.alerts.inbox = Some(0);
    Vec::new()
}

/// The inbox's keys: arrows move, Enter opens the escalation or transport, Esc or `!`
/// closes it.
pub fn inbox_key(m: &mut Model, k: KeyEvent) -> Vec<Effect> {
    let n = m.snapshot.as_deref().map_or(0, |s| s.alerts_recent.len());
    let Some(sel) = m.escalations.alerts.inbox else {
        return Vec::new();
    };
    match k.code {
        KeyCode::Esc | KeyCode::Char('!') | KeyCode::Char('q') => {
            m.escalations.alerts.inbox = None;
            Vec::new()
        }
        KeyCode::Up | KeyCode::Char('k') => {
            m.escalations.alerts.inbox = Some(sel.saturating_sub(1));
            Vec::new()
        }
        KeyCode::Down | KeyCode::Char('j') => {
            m.escalations.alerts.inbox = Some((sel + 1).min(n.saturating_sub(1)));
            Vec::new()
        }
        KeyCode::Home => {
            m.escalations.alerts.inbox = Some(0);
            Vec::new()
        }
        KeyCode::End => {
            m.escalations.alerts.inbox = Some(n.saturating_sub(1));
            Vec::new()
        }
        KeyCode::PageUp => {
            m.escalations.alerts.inbox = Some(sel.saturating_sub(10));
            Vec::new()
        }
        KeyCode::PageDown => {
            m.escalations.alerts.inbox = Some((sel + 10).min(n.saturating_sub(1)));
            Vec::new()
        }
        KeyCode::Enter => {
            let target = m
                .snapshot
                .as_deref()
                .and_then(|s| s.alerts_recent.get(sel))
                .map(|a| (a.row.subject, a.row.subject_id));
            match target {
                Some(t) => {
                    m.escalations.alerts.inbox = None;
                    open_subject(m, t)
                }
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Opens what an alert is about: the escalation's detail, or the transport in the queue.
pub fn open_subject(m: &mut Model, (subject, id): (Subject, i64)) -> Vec<Effect> {
    match subject {
        Subject::Escalation => {
            m.screen = super::Screen::Escalations;
            m.escalations.detail = Some(id);
            m.view.escalation = Some(id);
            vec![Effect::Reload(m.view)]
        }
        Subject::Transport => {
            m.screen = super::Screen::Fleet;
            m.fleet.focus = super::fleet::Focus::Queue;
            m.fleet.trip = Some(id);
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{from_db, to_db};

    #[test]
    fn a_stamp_in_the_first_second_counts_as_after_the_start() {
        let start = from_db("2026-11-26T02:30:00Z").unwrap() + chrono::Duration::milliseconds(700);
        let a = Alerts::new(start);
        let stamp = to_db(start + chrono::Duration::milliseconds(200));
        assert!(stamped_since(Some(&stamp), a.since));
        let before = to_db(start - chrono::Duration::seconds(1));
        assert!(!stamped_since(Some(&before), a.since));
        assert!(!stamped_since(None, a.since));
    }
}
