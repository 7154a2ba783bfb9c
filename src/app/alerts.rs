//! Alerts: when something new is critical (a new critical transport request, a newly
//! overdue escalation, one raised to the duty leader) the console shows a banner that stays
//! until seen, rings the bell and sends a desktop notification.
//!
//! "New" is decided from marks the store keeps: the rule pass stamps `alerted_overdue_at`
//! and `escalated_at` once (a conditional update inside one transaction), and requests carry
//! `requested_at`. A console alerts for every stamp made since it started that it has not
//! alerted yet. So two consoles on one database both alert, neither twice, and neither misses
//! one because the other stamped it first; a restarted console does not repeat old alerts.

use std::collections::HashSet;

use chrono::{DateTime, Timelike, Utc};

use super::Effect;
use super::model::Model;
use crate::domain::time::from_db;
use crate::domain::transport::{Severity, TripStatus};
use crate::i18n::Msg;
use crate::store::rules::display_title;

/// Most banner lines kept until seen.
const BANNER_MAX: usize = 20;

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
    /// Alerts not yet seen, oldest first.
    pub banner: Vec<Msg>,
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

    /// The operator has seen the banner.
    pub fn dismiss(&mut self) {
        self.banner.clear();
    }

    /// True while the banner is shown.
    pub fn showing(&self) -> bool {
        !self.banner.is_empty()
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
    let since = m.esc.alerts.since;
    let mut new: Vec<(AlertKind, Msg)> = Vec::new();
    let seen = &mut m.esc.alerts.seen;
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
    let banner = &mut m.esc.alerts.banner;
    banner.extend(new.into_iter().map(|(_, msg)| msg));
    if banner.len() > BANNER_MAX {
        banner.drain(..banner.len() - BANNER_MAX);
    }
    effects
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
