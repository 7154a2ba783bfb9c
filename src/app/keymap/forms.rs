//! The keys inside the console's forms and popups, as data (issue 19): one [`Context`] per
//! form or popup, its rows in [`FORMS`] (the same [`Binding`] as the screens', with
//! `Scope::Form`). The hint line of each form and popup ([`hints`], drawn by
//! `ui::form_hints` or in the footer) and the `?` (or F1) overlay inside it are generated
//! from these rows; the handlers keep their own `match`, and
//! `tests/console/keymap_forms_19.rs` checks that each row's keys are answered.

use crossterm::event::KeyCode;

use super::{Binding, Scope, When, b, when};
use crate::app::Model;
use crate::app::screen::Screen;
use crate::domain::transport::TripStatus;

/// A form or popup that owns the keys while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The login (or operator switch) chooser: who is at the keyboard.
    Login,
    /// The login's PIN.
    LoginPin,
    /// The alert inbox.
    Inbox,
    /// The audit view.
    Audit,
    /// The town popup (villages, vehicles, staff, history).
    Town,
    /// A town record's edit form.
    TownForm,
    /// The daily report's figures form.
    ReportForm,
    /// "Sign the report?": `y` or not.
    ReportConfirm,
    /// A one-line prompt of the report (the sign reason, the analysis, the reopen reason).
    ReportPrompt,
    /// The new transport request form.
    FleetRequest,
    /// One transport shown whole.
    FleetDetail,
    /// Choosing a free vehicle for a request.
    FleetVehicles,
    /// Choosing a trip's next step.
    FleetSteps,
    /// Why a request or trip is cancelled.
    FleetCancel,
    /// Why a vehicle goes out of service or comes back.
    FleetReason,
    /// The new escalation or stock count form.
    EscForm,
    /// Resolving an escalation with a note.
    EscResolve,
    /// One escalation shown whole.
    EscDetail,
    /// A log entry, its amendment or correction, or the handover notes.
    LogText,
    /// The roster chooser of the open shift (`d`): each key writes at once.
    LogRoster,
    /// The roster plan of a day ahead (`p`, Enter): saved with Enter.
    LogPlan,
    /// The sign-over: the incoming person picks their name.
    LogSignPick,
    /// The sign-over: the incoming person's PIN.
    LogSignPin,
    /// One log entry shown in full.
    LogDetail,
    /// The Key populations screen's `/` search line.
    PeopleSearch,
    /// The Key populations screen's contact form (method, outcome, note).
    PeopleContact,
    /// Taking a person off the register (`x`): the reason, then Enter.
    PeopleRetire,
}

impl Context {
    /// Every context, for the tests.
    pub const ALL: [Context; 27] = [
        Context::Login,
        Context::LoginPin,
        Context::Inbox,
        Context::Audit,
        Context::Town,
        Context::TownForm,
        Context::ReportForm,
        Context::ReportConfirm,
        Context::ReportPrompt,
        Context::FleetRequest,
        Context::FleetDetail,
        Context::FleetVehicles,
        Context::FleetSteps,
        Context::FleetCancel,
        Context::FleetReason,
        Context::EscForm,
        Context::EscResolve,
        Context::EscDetail,
        Context::LogText,
        Context::LogRoster,
        Context::LogPlan,
        Context::LogSignPick,
        Context::LogSignPin,
        Context::LogDetail,
        Context::PeopleSearch,
        Context::PeopleContact,
        Context::PeopleRetire,
    ];

    /// True when letters are typed here, so `?` is text and only F1 opens the help.
    pub fn types(self) -> bool {
        !matches!(
            self,
            Context::Inbox
                | Context::Audit
                | Context::Town
                | Context::ReportConfirm
                | Context::FleetDetail
                | Context::FleetSteps
                | Context::EscDetail
                | Context::LogDetail
        )
    }

    /// True when the form or popup draws its hint line inside itself, so the footer
    /// leaves it out (the others' hints are the footer's).
    pub fn hints_inside(self) -> bool {
        matches!(
            self,
            Context::Town
                | Context::TownForm
                | Context::ReportForm
                | Context::ReportConfirm
                | Context::ReportPrompt
                | Context::EscForm
                | Context::EscResolve
                | Context::LogText
                | Context::LogRoster
                | Context::LogPlan
                | Context::LogSignPick
                | Context::LogSignPin
                | Context::PeopleContact
                | Context::PeopleRetire
        )
    }

    /// How the help key is written in this context's hint line.
    pub fn help_shown(self) -> &'static str {
        if self.types() { "F1" } else { "?" }
    }
}

/// The form or popup that has the keys now, if any.
pub fn context(m: &Model) -> Option<Context> {
    if let Some(l) = &m.login {
        return match l.stage {
            crate::app::login::Stage::Choose => Some(Context::Login),
            crate::app::login::Stage::Pin { .. } => Some(Context::LoginPin),
            crate::app::login::Stage::Checking { .. } => None,
        };
    }
    if m.escalations.alerts.inbox.is_some() {
        return Some(Context::Inbox);
    }
    if m.town_ui.form.is_some() {
        return Some(Context::TownForm);
    }
    if m.town_ui.open {
        return Some(Context::Town);
    }
    if m.audit.open {
        return Some(Context::Audit);
    }
    match m.screen {
        Screen::Report => report(m),
        Screen::Fleet => fleet(m),
        Screen::Escalations => escalations(m),
        Screen::Shiftlog => shiftlog(m),
        Screen::People => people(m),
        Screen::Overview => None,
    }
}

/// The People screen's contexts, in the order its handler (`app::people::on_key`) tries
/// them.
fn people(m: &Model) -> Option<Context> {
    let p = &m.people;
    if p.form.is_some() {
        Some(Context::PeopleContact)
    } else if p.retire.is_some() {
        Some(Context::PeopleRetire)
    } else if p.searching {
        Some(Context::PeopleSearch)
    } else {
        None
    }
}

fn report(m: &Model) -> Option<Context> {
    let r = &m.report;
    if r.form.is_some() {
        Some(Context::ReportForm)
    } else if r.confirm_sign {
        Some(Context::ReportConfirm)
    } else if r.sign_reason.is_some() || r.note.is_some() || r.reopen.is_some() {
        Some(Context::ReportPrompt)
    } else {
        None
    }
}

fn fleet(m: &Model) -> Option<Context> {
    use crate::app::fleet::Popup;
    Some(match m.fleet.popup.as_ref()? {
        Popup::Form(_) => Context::FleetRequest,
        Popup::Detail { .. } => Context::FleetDetail,
        Popup::Vehicles { .. } => Context::FleetVehicles,
        Popup::Steps { .. } => Context::FleetSteps,
        Popup::ConfirmCancel { .. } => Context::FleetCancel,
        Popup::Reason { .. } => Context::FleetReason,
    })
}

fn escalations(m: &Model) -> Option<Context> {
    use crate::app::escalations::form::Form;
    match &m.escalations.form {
        Some(Form::Resolve(_)) => Some(Context::EscResolve),
        Some(_) => Some(Context::EscForm),
        None if m.escalations.detail.is_some() => Some(Context::EscDetail),
        None => None,
    }
}

fn shiftlog(m: &Model) -> Option<Context> {
    use crate::app::shiftlog::Form;
    match &m.shiftlog.form {
        Some(Form::Roster { .. }) => Some(Context::LogRoster),
        Some(Form::Plan { .. }) => Some(Context::LogPlan),
        Some(Form::Sign { confirm: false, .. }) => Some(Context::LogSignPick),
        Some(Form::Sign { .. }) => Some(Context::LogSignPin),
        Some(_) => Some(Context::LogText),
        None if m.shiftlog.detail => Some(Context::LogDetail),
        None => None,
    }
}

/// True when the state `w` of a form row holds (the screens' states are in
/// `Binding::offered`).
pub fn offered(m: &Model, w: When) -> bool {
    match w {
        When::Waiting => {
            crate::app::fleet::selected_trip(m).is_some_and(|t| t.status == TripStatus::Requested)
        }
        When::Underway => {
            crate::app::fleet::selected_trip(m).is_some_and(|t| t.status != TripStatus::Requested)
        }
        When::NotHistory => m.town_ui.tab != crate::app::town::TownTab::History,
        When::Category => matches!(
            m.shiftlog.form,
            Some(crate::app::shiftlog::Form::Entry { .. })
        ),
        When::Switching => m.login.as_ref().is_some_and(|l| l.switching),
        When::Starting => m.login.as_ref().is_some_and(|l| !l.switching),
        _ => true,
    }
}

use Context as C;
use KeyCode::{
    BackTab, Backspace, Char, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab, Up,
};
use Scope::Form as F;

/// Every form's and popup's keys, context by context. A row without keys documents what
/// is typed (letters find a name, digits give a time).
#[rustfmt::skip]
pub static FORMS: &[Binding] = &[
    // the login chooser and its PIN
    b("login.choose", &[Enter], "Enter", F(C::Login), Some(1), None),
    b("login.move", &[Up, Down, Home, End], "Up/Down", F(C::Login), Some(2), None),
    b("login.find", &[], "a-z", F(C::Login), None, None),
    when(b("login.back", &[Esc], "Esc", F(C::Login), Some(4), None), When::Switching),
    when(b("login.quit", &[Esc], "Esc", F(C::Login), Some(4), None), When::Starting),
    b("pin.confirm", &[Enter], "Enter", F(C::LoginPin), Some(1), None),
    b("pin.back", &[Esc], "Esc", F(C::LoginPin), Some(2), None),
    // the alert inbox
    b("inbox.open", &[Enter], "Enter", F(C::Inbox), Some(1), None),
    b("inbox.move", &[Up, Down, PageUp, PageDown, Home, End], "Up/Down", F(C::Inbox), Some(2), None),
    b("inbox.close", &[Esc, Char('!'), Char('q')], "Esc", F(C::Inbox), Some(3), None),
    // the audit view
    b("audit.move", &[Up, Down, PageUp, PageDown, Home, End], "Up/Down", F(C::Audit), Some(1), None),
    b("audit.close", &[Esc, Char('q'), Char('A')], "Esc", F(C::Audit), Some(2), None),
    // the town popup and its edit form
    b("town.tab", &[Left, Right, Tab, BackTab], "<- ->", F(C::Town), Some(1), None),
    when(b("town.edit", &[Enter, Char('e')], "Enter/e", F(C::Town), Some(2), None), When::NotHistory),
    b("town.move", &[Up, Down, PageUp, PageDown], "Up/Down", F(C::Town), Some(3), None),
    b("town.surge", &[Char('S')], "S", F(C::Town), Some(4), None),
    b("town.close", &[Esc, Char('q'), Char('T')], "Esc", F(C::Town), Some(5), None),
    b("town_form.save", &[Enter], "Enter", F(C::TownForm), Some(1), None),
    b("town_form.field", &[Tab, BackTab, Up, Down], "Tab/Up/Down", F(C::TownForm), Some(2), None),
    b("town_form.close", &[Esc], "Esc", F(C::TownForm), Some(3), None),
    // the daily report's figures form and prompts
    b("report_form.save", &[Enter], "Enter", F(C::ReportForm), Some(1), None),
    b("report_form.field", &[Tab, BackTab, Up, Down], "Tab/Up/Down", F(C::ReportForm), Some(2), None),
    b("report_form.delete", &[Backspace, Delete], "Backspace/Del", F(C::ReportForm), Some(3), None),
    b("report_form.ends", &[Home, End], "Home/End", F(C::ReportForm), Some(5), None),
    b("report_form.close", &[Esc], "Esc", F(C::ReportForm), Some(4), None),
    b("report_confirm.yes", &[Char('y'), Char('Y')], "y", F(C::ReportConfirm), Some(1), None),
    b("report_confirm.no", &[Esc, Char('n')], "n/Esc", F(C::ReportConfirm), Some(2), None),
    b("report_prompt.ok", &[Enter], "Enter", F(C::ReportPrompt), Some(1), None),
    b("report_prompt.close", &[Esc], "Esc", F(C::ReportPrompt), Some(2), None),
    // the fleet's request form and popups
    b("fleet_form.save", &[Enter], "Enter", F(C::FleetRequest), Some(1), None),
    b("fleet_form.field", &[Tab, BackTab, Up, Down], "Tab/Up/Down", F(C::FleetRequest), Some(2), None),
    b("fleet_form.choose", &[Left, Right], "<- ->", F(C::FleetRequest), Some(3), None),
    b("fleet_form.close", &[Esc], "Esc", F(C::FleetRequest), Some(4), None),
    when(b("fleet_detail.accept", &[Enter], "Enter", F(C::FleetDetail), Some(1), None), When::Waiting),
    when(b("fleet_detail.other", &[Char('v')], "v", F(C::FleetDetail), Some(2), None), When::Waiting),
    when(b("fleet_detail.step", &[Char('a')], "a", F(C::FleetDetail), Some(1), None), When::Underway),
    b("fleet_detail.cancel", &[Char('c')], "c", F(C::FleetDetail), Some(3), None),
    b("fleet_detail.close", &[Esc, Char('q')], "Esc", F(C::FleetDetail), Some(4), None),
    b("fleet_vehicles.pick", &[Enter], "Enter", F(C::FleetVehicles), Some(1), None),
    b("fleet_vehicles.move", &[Up, Down], "Up/Down", F(C::FleetVehicles), Some(2), None),
    b("fleet_vehicles.find", &[], "a-z", F(C::FleetVehicles), None, None),
    b("fleet_vehicles.close", &[Esc], "Esc", F(C::FleetVehicles), Some(4), None),
    b("fleet_steps.pick", &[Enter], "Enter", F(C::FleetSteps), Some(1), None),
    b("fleet_steps.move", &[Up, Down], "Up/Down", F(C::FleetSteps), Some(2), None),
    b("fleet_steps.at", &[], "0-9 :", F(C::FleetSteps), Some(3), None),
    b("fleet_steps.close", &[Esc], "Esc", F(C::FleetSteps), Some(4), None),
    b("fleet_cancel.confirm", &[Enter], "Enter", F(C::FleetCancel), Some(1), None),
    b("fleet_cancel.keep", &[Esc], "Esc", F(C::FleetCancel), Some(2), None),
    b("fleet_reason.save", &[Enter], "Enter", F(C::FleetReason), Some(1), None),
    b("fleet_reason.close", &[Esc], "Esc", F(C::FleetReason), Some(2), None),
    // the escalations' forms and detail
    b("esc_form.save", &[Enter], "Enter", F(C::EscForm), Some(1), None),
    b("esc_form.field", &[Tab, BackTab, Up, Down], "Tab/Up/Down", F(C::EscForm), Some(2), None),
    b("esc_form.choose", &[Left, Right, Char(' ')], "<- ->", F(C::EscForm), Some(3), None),
    b("esc_form.close", &[Esc], "Esc", F(C::EscForm), Some(4), None),
    b("esc_resolve.save", &[Enter], "Enter", F(C::EscResolve), Some(1), None),
    b("esc_resolve.close", &[Esc], "Esc", F(C::EscResolve), Some(2), None),
    b("esc_detail.ack", &[Char('a')], "a", F(C::EscDetail), Some(1), None),
    b("esc_detail.resolve", &[Char('r')], "r", F(C::EscDetail), Some(2), None),
    b("esc_detail.close", &[Esc, Enter, Char('q')], "Esc", F(C::EscDetail), Some(3), None),
    // the shift log's forms, choosers and full entry
    b("log_text.save", &[Enter], "Enter", F(C::LogText), Some(1), None),
    when(b("log_text.category", &[Tab, BackTab], "Tab", F(C::LogText), Some(2), None), When::Category),
    b("log_text.close", &[Esc], "Esc", F(C::LogText), Some(3), None),
    b("log_roster.leader", &[Char('1')], "1", F(C::LogRoster), Some(1), None),
    b("log_roster.officer", &[Char('2')], "2", F(C::LogRoster), Some(2), None),
    b("log_roster.off", &[Char('0'), Delete], "0", F(C::LogRoster), Some(3), None),
    b("log_roster.find", &[], "a-z", F(C::LogRoster), None, None),
    b("log_roster.move", &[Up, Down], "Up/Down", F(C::LogRoster), None, None),
    b("log_roster.done", &[Esc, Enter], "Esc", F(C::LogRoster), Some(6), None),
    b("log_plan.save", &[Enter], "Enter", F(C::LogPlan), Some(4), None),
    b("log_plan.leader", &[Char('1')], "1", F(C::LogPlan), Some(1), None),
    b("log_plan.officer", &[Char('2')], "2", F(C::LogPlan), Some(2), None),
    b("log_plan.off", &[Char('0'), Delete], "0", F(C::LogPlan), Some(3), None),
    b("log_plan.find", &[], "a-z", F(C::LogPlan), None, None),
    b("log_plan.move", &[Up, Down], "Up/Down", F(C::LogPlan), None, None),
    b("log_plan.close", &[Esc], "Esc", F(C::LogPlan), Some(5), None),
    b("log_sign.pick", &[Enter], "Enter", F(C::LogSignPick), Some(1), None),
    b("log_sign.move", &[Up, Down], "Up/Down", F(C::LogSignPick), Some(2), None),
    b("log_sign.find", &[], "a-z", F(C::LogSignPick), None, None),
    b("log_sign.close", &[Esc], "Esc", F(C::LogSignPick), Some(4), None),
    b("log_pin.confirm", &[Enter], "Enter", F(C::LogSignPin), Some(1), None),
    b("log_pin.back", &[Esc], "Esc", F(C::LogSignPin), Some(2), None),
    b("log_detail.move", &[Up, Down, Home, End], "Up/Down", F(C::LogDetail), Some(1), None),
    b("log_detail.close", &[Esc, Enter, Char('q')], "Esc", F(C::LogDetail), Some(2), None),
    // the Key populations screen's search, contact form and retirement popup
    b("people_search.done", &[Enter], "Enter", F(C::PeopleSearch), Some(1), None),
    b("people_search.clear", &[Esc], "Esc", F(C::PeopleSearch), Some(2), None),
    b("people_search.find", &[], "a-z", F(C::PeopleSearch), None, None),
    b("people_contact.save", &[Enter], "Enter", F(C::PeopleContact), Some(1), None),
    b("people_contact.field", &[Tab, BackTab, Up, Down], "Tab/Up/Down", F(C::PeopleContact), Some(2), None),
    b("people_contact.choose", &[Left, Right], "<- ->", F(C::PeopleContact), Some(3), None),
    b("people_contact.method", &[Char('p'), Char('v')], "p/v", F(C::PeopleContact), Some(5), None),
    b("people_contact.outcome", &[Char('1'), Char('2'), Char('3'), Char('4')], "1-4", F(C::PeopleContact), Some(6), None),
    b("people_contact.close", &[Esc], "Esc", F(C::PeopleContact), Some(4), None),
    b("people_retire.confirm", &[Enter], "Enter", F(C::PeopleRetire), Some(1), None),
    b("people_retire.close", &[Esc], "Esc", F(C::PeopleRetire), Some(2), None),
];

/// The rows of `c` offered in the model's state, in table order.
pub fn rows(m: &Model, c: Context) -> impl Iterator<Item = &'static Binding> + '_ {
    FORMS
        .iter()
        .filter(move |b| b.scope == Scope::Form(c) && b.offered(m))
}

/// The hint line of the open form or popup `c`: its rows by priority, as many as fit in
/// `width` columns; when some are left out (or `always_more`), it ends with the help key
/// and "more". (keys, label) pairs.
pub fn hints(
    m: &Model,
    c: Context,
    width: usize,
    always_more: bool,
) -> Vec<(&'static str, &'static str)> {
    use super::{fitting, hint_width as cost};
    let mut all: Vec<&Binding> = rows(m, c).filter(|b| b.priority.is_some()).collect();
    all.sort_by_key(|b| b.priority);
    let pairs: Vec<(&'static str, &'static str)> = all
        .iter()
        .map(|b| (b.shown, m.lang.t_static(&b.label_key())))
        .collect();
    let full: usize = pairs.iter().map(|(k, l)| cost(k, l)).sum();
    let more = (c.help_shown(), m.lang.t("keymap.label.more"));
    if full <= width + 2 && !always_more {
        return pairs;
    }
    let room = width.saturating_sub(cost(more.0, more.1));
    let mut out = fitting(pairs, room, |(k, l)| cost(k, l));
    out.push(more);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::BINDINGS;

    /// States of one context that exclude each other (one of the two rows is offered).
    fn exclusive(a: When, b: When) -> bool {
        matches!(
            (a, b),
            (When::Waiting, When::Underway)
                | (When::Underway, When::Waiting)
                | (When::Switching, When::Starting)
                | (When::Starting, When::Switching)
        )
    }

    #[test]
    fn no_key_means_two_things_in_one_form_and_none_hides_the_help() {
        for c in Context::ALL {
            let mut seen: Vec<(KeyCode, &str, When)> = Vec::new();
            for b in FORMS.iter().filter(|b| b.scope == Scope::Form(c)) {
                for &k in b.keys {
                    for (k2, id2, w2) in &seen {
                        assert!(
                            *k2 != k || exclusive(b.when, *w2),
                            "{c:?}: {k:?} is both {id2} and {}",
                            b.id
                        );
                    }
                    seen.push((k, b.id, b.when));
                    // F1 always opens the help; `?` does where nothing is typed
                    assert_ne!(k, KeyCode::F(1), "{}", b.id);
                    if !c.types() {
                        assert_ne!(k, Char('?'), "{}", b.id);
                    }
                }
            }
            assert!(
                FORMS.iter().any(|b| b.scope == Scope::Form(c)),
                "{c:?} has no rows"
            );
        }
    }

    #[test]
    fn form_ids_are_unique_and_labelled_and_explained_in_both_catalogues() {
        let mut ids: Vec<&str> = BINDINGS.iter().chain(FORMS).map(|b| b.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id used twice");
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
            let keys = lang.keys();
            for b in FORMS {
                assert!(matches!(b.scope, Scope::Form(_)), "{}", b.id);
                assert!(keys.contains(&b.label_key().as_str()), "{} {lang:?}", b.id);
                assert!(keys.contains(&b.help_key().as_str()), "{} {lang:?}", b.id);
            }
            // the help says which state a row waits for
            for b in BINDINGS.iter().chain(FORMS) {
                assert!(keys.contains(&b.when_key().as_str()), "{} {lang:?}", b.id);
            }
            for k in ["keymap.form.title", "keymap.form.still"] {
                assert!(keys.contains(&k), "{k} {lang:?}");
            }
        }
    }

    #[test]
    fn the_help_key_is_f1_where_letters_are_typed_and_question_mark_elsewhere() {
        assert_eq!(Context::FleetRequest.help_shown(), "F1");
        assert_eq!(Context::LogRoster.help_shown(), "F1");
        assert_eq!(Context::FleetDetail.help_shown(), "?");
        assert_eq!(Context::Town.help_shown(), "?");
        // F1 opens the help everywhere, so the global help row names it
        let help = BINDINGS.iter().find(|b| b.id == "global.help");
        assert!(help.is_some_and(|b| b.keys.contains(&KeyCode::F(1))));
    }
}
