//! The Overview's "Most urgent" list (issue 14): built from the snapshot in the order of
//! `domain::urgent`, selectable, Enter opens the record.

use crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use super::model::Model;
use super::screen::Screen;
use crate::domain::escalation::{Kind, Urgency, urgency};
use crate::domain::time::local_instant;
use crate::domain::transport::{Severity, TripStatus};
use crate::domain::urgent::{Rank, Target, Urgent, order};

/// The rows of "Most urgent", most urgent first. Rule escalations about a waiting
/// transport or a missing report are not listed twice: the request and the village are.
pub fn rows(m: &Model) -> Vec<Urgent> {
    order(unordered(m).collect())
}

/// The rows of "Most urgent" in no particular order, made as they are asked for.
fn unordered(m: &Model) -> impl Iterator<Item = Urgent> + '_ {
    let s = m.snapshot.as_deref();
    let escalations = s
        .into_iter()
        .flat_map(|s| &s.escalations)
        .filter(|e| !matches!(e.kind, Kind::TransportWaiting | Kind::MissingReport))
        .map(|e| Urgent {
            rank: match urgency(e.due, e.grace, m.now) {
                Urgency::RaisedToLeader => Rank::Raised,
                Urgency::Overdue => Rank::Overdue,
                Urgency::Pending => Rank::Pending,
            },
            since: e.due,
            target: Target::Escalation(e.id),
        });
    let transports = s
        .into_iter()
        .flat_map(|s| &s.transports)
        .filter(|t| t.status == TripStatus::Requested)
        .filter_map(|t| {
            let rank = match t.severity {
                Severity::Critical => Rank::CriticalWaiting,
                Severity::Severe => Rank::SevereWaiting,
                Severity::Stable => return None,
            };
            Some(Urgent {
                rank,
                since: crate::domain::time::from_db(&t.requested_at).unwrap_or(m.now),
                target: Target::Transport(t.id),
            })
        });
    let missing = s
        .filter(|s| s.past_cutoff(&m.town))
        .into_iter()
        .flat_map(|s| {
            let cutoff = local_instant(s.today, m.town.info.report_cutoff, m.town.info.offset);
            s.missing_today(&m.town)
                .into_iter()
                .map(move |code| Urgent {
                    rank: Rank::MissingReport,
                    since: cutoff,
                    target: Target::Report(code.to_string()),
                })
        });
    escalations.chain(transports).chain(missing)
}

/// The Overview's keys: Enter opens the selected row's record.
pub fn on_key(m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
    if k.code != KeyCode::Enter {
        return None;
    }
    let sel = m.selected[Screen::Overview.index()];
    let target = rows(m).into_iter().nth(sel).map(|u| u.target)?;
    Some(open(m, target))
}

/// Opens a row's record on its screen.
pub fn open(m: &mut Model, target: Target) -> Vec<Effect> {
    use crate::domain::alerts::Subject;
    match target {
        Target::Escalation(id) => super::alerts::open_subject(m, (Subject::Escalation, id)),
        Target::Transport(id) => super::alerts::open_subject(m, (Subject::Transport, id)),
        Target::Report(code) => {
            m.screen = Screen::Report;
            m.view.report_date = None;
            if let Some(i) = super::report::ordered(m)
                .iter()
                .position(|v| v.code == code)
            {
                m.selected[Screen::Report.index()] = i;
            }
            vec![Effect::Reload(m.view)]
        }
    }
}

/// The Overview screen, for `Screen::logic`.
pub struct Logic;

impl super::screen::ScreenLogic for Logic {
    fn modal(&self, _m: &Model) -> bool {
        // no form or popup of its own (the town popup is checked by `Model::modal`)
        false
    }

    fn rows(&self, m: &Model) -> usize {
        rows(m).len()
    }

    fn on_key(&self, m: &mut Model, k: KeyEvent) -> Option<Vec<Effect>> {
        // the town's keys on the Overview (`S`) come first
        super::town::overview_key(m, k).or_else(|| on_key(m, k))
    }
}
