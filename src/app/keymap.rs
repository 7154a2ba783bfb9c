//! The console's keys as data: every action, its key(s), its label, its screen (or
//! everywhere), its priority in the footer and the permission it needs, in one table
//! ([`BINDINGS`]).
//!
//! The footer (`ui::draw_footer`) and the `?` overlay (`ui/help.rs`) are generated from it,
//! the reducer (`app/update.rs`) refuses an action the operator may not take by its row
//! here before the screen's handler runs, and a test checks that every screen's handler
//! answers exactly the keys its rows name.
//!
//! One letter means one thing on every screen:
//!
//! | key | means |
//! |---|---|
//! | `Enter` | open or confirm the selected row |
//! | `Esc` | back, close |
//! | `n` | new (escalation, transport request, log entry, the day's analysis) |
//! | `e` | edit the selected record |
//! | `a` | advance: take in hand, the trip's next step |
//! | `r` | resolve |
//! | `s` | sign (the day's report, the handover) |
//! | `c` | cancel the selected request or trip |
//! | `f` `F` | filter (kind, village) |
//! | `[` `]` `t` | previous / next day or shift, back to today |
//!
//! A new action: a row here (with its catalogue keys `keymap.label.<id>` and
//! `keymap.help.<id>` in `assets/i18n/*/keymap.toml`), then its arm in the screen's
//! `on_key`. The tests below refuse a letter used twice on one screen (globals included).
//! A form's or popup's keys: a row in `forms::FORMS` (see that module).

pub mod forms;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Model;
use super::screen::Screen;
use crate::domain::roles::Permission;
use crate::domain::town::Role;
use crate::i18n::Msg;

/// Where a binding acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On every screen (unless a form or popup owns the keys).
    Global,
    /// On one screen.
    On(Screen),
    /// Inside one form or popup (its rows are [`forms::FORMS`]).
    Form(forms::Context),
}

/// When a binding is offered (shown in the footer; its handler decides the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// Fleet: the request list has the focus.
    Queue,
    /// Fleet: the vehicle board has the focus.
    Board,
    /// Shift log: the current shift is shown and not yet signed over.
    OpenShift,
    /// Shift log: a past shift is shown.
    PastShift,
    /// Shift log: the log list is shown (not the full handover or the roster plan).
    LogList,
    /// Shift log: the week's roster plan is shown.
    RosterPanel,
    /// The operator is a duty leader.
    Leader,
    /// The town has a staff list (so there is someone to switch to).
    Staff,
    /// The alert banner is showing.
    Banner,
    /// The alert inbox has something in it.
    Inbox,
    /// Fleet popup: the selected request waits for a vehicle.
    Waiting,
    /// Fleet popup: the selected transport is under way (or done).
    Underway,
    /// Town popup: a list of records (not the change history) is shown.
    NotHistory,
    /// Shift log form: a new entry, whose category Tab changes.
    Category,
    /// Login chooser: switching operators (Esc goes back to the one at the desk).
    Switching,
    /// Login chooser: starting the console (Esc quits).
    Starting,
}

/// One action and its key(s).
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The action's name; its catalogue keys are `keymap.label.<id>` (the footer's short
    /// label) and `keymap.help.<id>` (the `?` overlay's sentence).
    pub id: &'static str,
    /// The keys that act (none for a row that only documents, such as the mouse).
    pub keys: &'static [KeyCode],
    /// How the keys are written in the footer and the help.
    pub shown: &'static str,
    /// Where it acts.
    pub scope: Scope,
    /// When it is offered.
    pub when: When,
    /// Footer order: the lowest first; what does not fit is left to `?`. `None`: help only.
    pub priority: Option<u8>,
    /// The permission it needs; without it the action is shown disabled and refused before
    /// any form opens.
    pub permission: Option<Permission>,
}

impl Binding {
    /// Catalogue key of the footer label.
    pub fn label_key(&self) -> String {
        format!("keymap.label.{}", self.id)
    }

    /// Catalogue key of the help sentence.
    pub fn help_key(&self) -> String {
        format!("keymap.help.{}", self.id)
    }

    /// Catalogue key of the state it needs, said in the help when it does not hold
    /// (`keymap.when.<state>`, e.g. "only when the vehicle board has the focus").
    pub fn when_key(&self) -> String {
        format!("keymap.when.{:?}", self.when).to_lowercase()
    }

    /// Why the operator may not take this action, if so (by the catalogue's labels).
    pub fn refusal(&self, m: &Model) -> Option<Msg> {
        super::access::allowed(m, self.permission?).err()
    }

    /// True when this binding is offered in the model's present state.
    pub fn offered(&self, m: &Model) -> bool {
        match self.when {
            When::Always => true,
            When::Queue => m.fleet.focus == super::fleet::Focus::Queue,
            When::Board => m.fleet.focus == super::fleet::Focus::Board,
            When::OpenShift => m.snapshot.as_deref().is_some_and(|s| {
                s.shift_start == s.current_shift
                    && s.handover.as_ref().is_none_or(|h| h.signed_at.is_none())
            }),
            When::PastShift => m
                .snapshot
                .as_deref()
                .is_some_and(|s| s.shift_start != s.current_shift),
            When::LogList => !m.shiftlog.roster_panel && !m.shiftlog.handover_full,
            When::RosterPanel => m.shiftlog.roster_panel,
            When::Leader => super::access::role(m) == Some(Role::DutyLeader),
            When::Staff => !m.town.staff.is_empty(),
            When::Banner => m.escalations.alerts.showing(),
            When::Inbox => m
                .snapshot
                .as_deref()
                .is_some_and(|s| !s.alerts_recent.is_empty()),
            w @ (When::Waiting
            | When::Underway
            | When::NotHistory
            | When::Category
            | When::Switching
            | When::Starting) => forms::offered(m, w),
        }
    }

    /// True when `k` is one of this binding's keys.
    pub fn matches(&self, k: &KeyEvent) -> bool {
        // Ctrl and Alt make another key; Shift is already in the character
        if k.modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return false;
        }
        self.keys.contains(&k.code)
    }
}

const fn b(
    id: &'static str,
    keys: &'static [KeyCode],
    shown: &'static str,
    scope: Scope,
    priority: Option<u8>,
    permission: Option<Permission>,
) -> Binding {
    Binding {
        id,
        keys,
        shown,
        scope,
        when: When::Always,
        priority,
        permission,
    }
}

const fn when(mut x: Binding, w: When) -> Binding {
    x.when = w;
    x
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};
use Permission as P;
use Scope::{Global, On};
use Screen::{Escalations as Esc_, Fleet, Overview, People, Report, Shiftlog};

/// Every action of the console outside its forms and popups (whose keys are rows of
/// [`forms::FORMS`]), screen by screen in tab order, then the global ones.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // Overview
    b("overview.open", &[Enter], "Enter", On(Overview), Some(1), None),
    b("overview.surge", &[Char('S')], "S", On(Overview), Some(20), Some(P::EditTown)),
    // Daily report
    b("report.edit", &[Enter, Char('e')], "Enter/e", On(Report), Some(1), Some(P::EnterReport)),
    b("report.day", &[Left, Right, Char('['), Char(']')], "[ ]", On(Report), Some(2), None),
    b("report.today", &[Char('t')], "t", On(Report), Some(6), None),
    b("report.sort", &[Char('o'), Char('O')], "o/O", On(Report), Some(7), None),
    b("report.chart", &[Char('L')], "L", On(Report), Some(8), None),
    b("report.sign", &[Char('s')], "s", On(Report), Some(3), Some(P::SignReport)),
    b("report.note", &[Char('n')], "n", On(Report), Some(4), Some(P::SignReport)),
    b("report.reopen", &[Char('R')], "R", On(Report), Some(5), Some(P::ReopenReport)),
    // Key populations (issue 15)
    b("people.contact", &[Enter], "Enter", On(People), Some(1), Some(P::RecordContact)),
    b("people.search", &[Char('/')], "/", On(People), Some(2), None),
    b("people.retire", &[Char('x')], "x", On(People), Some(46), Some(P::ManageRegister)),
    // Escalations
    b("esc.detail", &[Enter], "Enter", On(Esc_), Some(1), None),
    b("esc.new", &[Char('n')], "n", On(Esc_), Some(2), Some(P::HandleEscalation)),
    b("esc.ack", &[Char('a')], "a", On(Esc_), Some(3), Some(P::HandleEscalation)),
    b("esc.resolve", &[Char('r')], "r", On(Esc_), Some(4), Some(P::HandleEscalation)),
    b("esc.kind", &[Char('f')], "f", On(Esc_), Some(6), None),
    b("esc.village", &[Char('F')], "F", On(Esc_), Some(7), None),
    b("esc.stock", &[Char('i')], "i", On(Esc_), Some(5), Some(P::SetStock)),
    // Fleet & dispatch
    b("fleet.panel", &[Left, Right], "<- ->", On(Fleet), Some(1), None),
    b("fleet.new", &[Char('n')], "n", On(Fleet), Some(2), Some(P::RequestTransport)),
    // Enter shows the request whole (anyone may look); Enter again there dispatches
    when(b("fleet.accept", &[Enter], "Enter", On(Fleet), Some(3), None), When::Queue),
    when(b("fleet.other", &[Char('v')], "v", On(Fleet), Some(4), Some(P::Dispatch)), When::Queue),
    when(b("fleet.step", &[Char('a')], "a", On(Fleet), Some(5), Some(P::Dispatch)), When::Queue),
    when(b("fleet.cancel", &[Char('c')], "c", On(Fleet), Some(6), Some(P::Dispatch)), When::Queue),
    when(b("fleet.edit", &[Char('e')], "e", On(Fleet), Some(4), Some(P::EditTown)), When::Board),
    when(b("fleet.service", &[Char('x')], "x", On(Fleet), Some(3), Some(P::VehicleService)), When::Board),
    // Shift log
    when(b("log.detail", &[Enter], "Enter", On(Shiftlog), Some(1), None), When::LogList),
    when(b("log.plan_day", &[Enter], "Enter", On(Shiftlog), Some(1), Some(P::PlanRoster)), When::RosterPanel),
    when(b("log.new", &[Char('n')], "n", On(Shiftlog), Some(2), Some(P::WriteLog)), When::OpenShift),
    b("log.amend", &[Char('m')], "m", On(Shiftlog), Some(3), Some(P::WriteLog)),
    when(b("log.edit", &[Char('e')], "e", On(Shiftlog), Some(4), Some(P::WriteLog)), When::OpenShift),
    when(b("log.notes", &[Char('H')], "H", On(Shiftlog), Some(5), Some(P::WriteLog)), When::OpenShift),
    when(b("log.roster", &[Char('d')], "d", On(Shiftlog), Some(7), Some(P::WriteLog)), When::OpenShift),
    when(b("log.sign", &[Char('s')], "s", On(Shiftlog), Some(6), Some(P::SignHandover)), When::OpenShift),
    b("log.handover", &[Char('h')], "h", On(Shiftlog), Some(8), None),
    b("log.plan", &[Char('p')], "p", On(Shiftlog), Some(9), None),
    b("log.shifts", &[Char('['), Char(']')], "[ ]", On(Shiftlog), Some(10), None),
    when(b("log.current", &[Char('t')], "t", On(Shiftlog), Some(2), None), When::PastShift),
    when(b("log.audit", &[Char('A')], "A", On(Shiftlog), Some(11), None), When::Leader),
    // everywhere
    b("global.screens", &[Char('1'), Char('2'), Char('3'), Char('4'), Char('5'), Char('6')], Screen::DIGIT_HINT, Global, Some(40), None),
    b("global.tab", &[Tab, BackTab], "Tab/S-Tab", Global, None, None),
    b("global.move", &[Up, Down], "Up/Down", Global, Some(30), None),
    b("global.page", &[PageUp, PageDown, Home, End], "PgUp/PgDn/Home/End", Global, None, None),
    b("global.back", &[Esc], "Esc", Global, None, None),
    when(b("global.seen", &[Esc], "Esc", Global, Some(0), None), When::Banner),
    when(b("global.inbox", &[Char('!')], "!", Global, Some(35), None), When::Inbox),
    b("global.town", &[Char('T')], "T", Global, Some(45), None),
    when(b("global.switch", &[Char('W')], "W", Global, Some(50), None), When::Staff),
    b("global.quit", &[Char('q')], "q", Global, Some(41), None),
    b("global.ctrl_c", &[], "Ctrl-C", Global, None, None),
    b("global.mouse", &[], "mouse", Global, None, None),
    b("global.help", &[Char('?'), KeyCode::F(1)], "?/F1", Global, None, None),
];

/// The binding for `k` on `screen` in the model's state: the screen's own first, then the
/// global ones.
pub fn find(m: &Model, screen: Screen, k: &KeyEvent) -> Option<&'static Binding> {
    let own = BINDINGS
        .iter()
        .filter(|b| b.scope == Scope::On(screen))
        .find(|b| b.matches(k) && b.offered(m));
    own.or_else(|| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Global)
            .find(|b| b.matches(k))
    })
}

/// The rows of one scope, in table order.
pub fn of(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .chain(forms::FORMS)
        .filter(move |b| b.scope == scope)
}

/// Refuses, before the screen's handler opens any form, a key whose action needs a
/// permission the operator lacks (by the keymap's row). `None` lets the key through.
pub fn refuse(m: &mut Model, k: &KeyEvent) -> Option<Vec<super::Effect>> {
    let p = find(m, m.screen, k)?.permission?;
    super::access::refuse(m, p)
}

/// The footer's key hints for the screen, chosen by priority to fit `width` columns and
/// ending with `? more`: (keys, label, enabled).
pub fn footer(m: &Model, width: usize) -> Vec<(&'static str, &'static str, bool)> {
    let mut rows: Vec<&Binding> = BINDINGS
        .iter()
        .filter(|b| b.scope == Scope::On(m.screen) || b.scope == Scope::Global)
        .filter(|b| b.priority.is_some() && b.offered(m))
        .collect();
    // the screen's own keys before the global ones of the same priority
    rows.sort_by_key(|b| (b.priority, b.scope == Scope::Global));
    let more = ("?", m.t("keymap.label.more"), true);
    let labelled = rows
        .into_iter()
        .map(|b| (b, m.lang.t_static(&b.label_key())));
    let room = width.saturating_sub(hint_width(more.0, more.1));
    let mut out: Vec<_> = fitting(labelled, room, |(b, l)| hint_width(b.shown, l))
        .into_iter()
        .map(|(b, l)| (b.shown, l, b.refusal(m).is_none()))
        .collect();
    out.push(more);
    out
}

/// The columns one hint `keys label` takes in a hint line, with the gap after it.
pub(crate) fn hint_width(keys: &str, label: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    keys.width() + 1 + label.width() + 2
}

/// The first of `items` that fit in `room` columns together. A later, shorter one may
/// still fit, but the order is the priority: it stops at the first that does not.
pub(crate) fn fitting<T>(
    items: impl IntoIterator<Item = T>,
    mut room: usize,
    width: impl Fn(&T) -> usize,
) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        let w = width(&item);
        if w > room {
            break;
        }
        room -= w;
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(b: &Binding) -> Vec<KeyCode> {
        b.keys.to_vec()
    }

    #[test]
    fn no_key_means_two_things_on_one_screen_globals_included() {
        for screen in Screen::ALL {
            let mut seen: Vec<(KeyCode, &str, When)> = Vec::new();
            for b in BINDINGS
                .iter()
                .filter(|b| b.scope == Scope::On(screen) || b.scope == Scope::Global)
            {
                for k in letters(b) {
                    for (k2, id2, w2) in &seen {
                        // the same key twice is allowed only for states that exclude
                        // each other (Fleet: the queue or the board has the focus), or
                        // a screen's Esc over the global back
                        let exclusive = matches!(
                            (b.when, *w2),
                            (When::Queue, When::Board)
                                | (When::Board, When::Queue)
                                | (When::LogList, When::RosterPanel)
                                | (When::RosterPanel, When::LogList)
                        );
                        let esc = k == Esc;
                        assert!(
                            *k2 != k || exclusive || esc,
                            "{screen:?}: {k:?} is both {id2} and {}",
                            b.id
                        );
                    }
                    seen.push((k, b.id, b.when));
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_every_label_and_help_is_in_both_catalogues() {
        let mut ids: Vec<&str> = BINDINGS.iter().map(|b| b.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id used twice");
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
            let keys = lang.keys();
            for b in BINDINGS {
                assert!(keys.contains(&b.label_key().as_str()), "{} {lang:?}", b.id);
                assert!(keys.contains(&b.help_key().as_str()), "{} {lang:?}", b.id);
            }
            assert!(keys.contains(&"keymap.label.more"));
        }
    }

    #[test]
    fn the_digits_row_covers_every_screen() {
        let digits = of(Scope::Global)
            .find(|b| b.id == "global.screens")
            .map(|b| b.keys.len());
        assert_eq!(digits, Some(Screen::COUNT));
    }

    #[test]
    fn the_same_letter_means_the_same_action_name_on_every_screen() {
        // `n` is always "new", `s` always "sign", `a` always "advance", `r` "resolve",
        // `e` "edit", `c` "cancel": the action ids end alike or are listed here
        let meaning = |c: char| -> &'static [&'static str] {
            match c {
                'n' => &["new", "note"],
                's' => &["sign"],
                'a' => &["ack", "step"],
                'r' => &["resolve"],
                'e' => &["edit"],
                'c' => &["cancel"],
                _ => &[],
            }
        };
        for b in BINDINGS.iter().filter(|b| matches!(b.scope, Scope::On(_))) {
            for k in b.keys {
                if let Char(c) = k {
                    let allowed = meaning(*c);
                    if !allowed.is_empty() {
                        let verb = b.id.rsplit('.').next().unwrap_or_default();
                        assert!(allowed.contains(&verb), "{} on {c}", b.id);
                    }
                }
            }
        }
    }
}
