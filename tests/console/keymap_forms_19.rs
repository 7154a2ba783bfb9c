//! Keys inside forms and popups are keymap rows (issue 19): every row of every form's and
//! popup's context (`app::keymap::forms`) names keys its handler answers (pressed in that
//! form, each changes something or asks for something); the footer and hint lines are
//! generated from the rows and end with the help key when cut; `?` (F1 where letters are
//! typed) shows the open form's keys, plus the global ones that still work, and closes
//! again without touching the form.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::keymap::forms::{self, Context};
use duty_desk::app::keymap::{self, Scope};
use duty_desk::app::{Model, Screen, update};
use duty_desk::i18n::Lang;

/// The demo town with the escalation rules run once, so the alert inbox has alerts.
fn demo() -> common::DemoDb {
    let db = common::demo_db();
    let mut s = duty_desk::store::Store::open(&db.path).unwrap();
    let t = duty_desk::store::town::load(s.conn()).unwrap();
    let ctx = duty_desk::store::Ctx {
        operator: "test".into(),
        now: common::now(),
    };
    duty_desk::store::rules::run(&mut s, &t, &ctx, duty_desk::store::rules::Marks::Yes).unwrap();
    db
}

/// Opens `c` on a duty leader's console over the demo town.
fn open(db: &common::DemoDb, c: Context) -> Model {
    use KeyCode::{Char, Down, Enter, Right};
    let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
    let (screen, keys): (Screen, &[KeyCode]) = match c {
        Context::Login => {
            duty_desk::app::login::start(&mut m, None);
            (Screen::Overview, &[])
        }
        // the demo's staff have no PIN, and the yes/no sign needs every village reported:
        // those states are set as the handlers would leave them
        Context::LoginPin => {
            duty_desk::app::login::start(&mut m, None);
            if let Some(l) = m.login.as_mut() {
                l.stage = duty_desk::app::login::Stage::Pin {
                    name: common::DUTY_LEADER.to_string(),
                    input: String::new(),
                };
            }
            (Screen::Overview, &[])
        }
        Context::ReportConfirm => {
            m.report.confirm_sign = true;
            (Screen::Report, &[])
        }
        Context::Inbox => (Screen::Overview, &[Char('!')]),
        Context::Audit => (Screen::Shiftlog, &[Char('A')]),
        Context::Town => (Screen::Overview, &[Char('T')]),
        Context::TownForm => (Screen::Overview, &[Char('T'), Char('e')]),
        Context::ReportForm => (Screen::Report, &[Enter]),
        Context::ReportPrompt => (Screen::Report, &[Char('s')]),
        Context::FleetRequest => (Screen::Fleet, &[Char('n')]),
        Context::FleetDetail => (Screen::Fleet, &[Enter]),
        Context::FleetVehicles => (Screen::Fleet, &[Enter, Char('v')]),
        Context::FleetCancel => (Screen::Fleet, &[Enter, Char('c')]),
        Context::FleetSteps => {
            use duty_desk::app::fleet::Popup;
            // down the queue to a trip under way with more than one next step
            common::show(&mut m, Screen::Fleet);
            for _ in 0..12 {
                common::key(&mut m, Enter);
                common::key(&mut m, Char('a'));
                if matches!(&m.fleet.popup, Some(Popup::Steps { options, .. }) if options.len() > 1)
                {
                    break;
                }
                m.fleet.popup = None;
                common::key(&mut m, Down);
            }
            (Screen::Fleet, &[])
        }
        Context::FleetReason => {
            // down the board to a vehicle that is not on a trip
            common::show(&mut m, Screen::Fleet);
            common::key(&mut m, Right);
            for _ in 0..20 {
                common::key(&mut m, Char('x'));
                if forms::context(&m).is_some() {
                    break;
                }
                common::key(&mut m, Down);
            }
            (Screen::Fleet, &[])
        }
        Context::EscForm => (Screen::Escalations, &[Char('n')]),
        Context::EscResolve => (Screen::Escalations, &[Char('r')]),
        Context::EscDetail => (Screen::Escalations, &[Enter]),
        Context::LogText => (Screen::Shiftlog, &[Char('n')]),
        Context::LogRoster => (Screen::Shiftlog, &[Char('d')]),
        Context::LogPlan => (Screen::Shiftlog, &[Char('p'), Enter]),
        Context::LogSignPick => (Screen::Shiftlog, &[Char('s')]),
        Context::LogSignPin => (Screen::Shiftlog, &[Char('s'), Enter]),
        Context::LogDetail => (Screen::Shiftlog, &[Enter]),
    };
    common::show(&mut m, screen);
    for &k in keys {
        common::key(&mut m, k);
    }
    if c == Context::Audit {
        // the rows come from the store thread with the chain check
        let store = duty_desk::store::Store::open(&db.path).unwrap();
        let rows = duty_desk::app::audit::Watch::default().after_reload(&store, true);
        update(&mut m, rows);
    }
    assert_eq!(
        forms::context(&m),
        Some(c),
        "the setup did not open {c:?}: {:?}",
        m.status.as_ref().map(|s| s.msg.render(Lang::En))
    );
    m
}

/// Everything a key in a form can change (the forms' and popups' states, the selection,
/// the status line, the help).
fn state(m: &Model) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}",
        m.report,
        m.fleet,
        m.escalations,
        m.shiftlog,
        m.town_ui,
        m.audit.selected,
        m.login,
        m.selected,
        m.status.as_ref().map(|s| s.msg.clone()),
        m.help,
        m.audit.open,
        m.screen,
        m.view,
    )
}

/// A key that undoes another is pressed after it, so it has something to undo.
fn primer(k: KeyCode) -> Option<KeyCode> {
    match k {
        KeyCode::Up => Some(KeyCode::Down),
        KeyCode::Home => Some(KeyCode::End),
        KeyCode::PageUp => Some(KeyCode::PageDown),
        KeyCode::Left => Some(KeyCode::Right),
        KeyCode::BackTab => Some(KeyCode::Tab),
        KeyCode::Backspace | KeyCode::Delete => Some(KeyCode::Char('5')),
        _ => None,
    }
}

#[test]
fn every_key_of_every_form_row_is_answered_by_its_handler() {
    let db = demo();
    let mut checked = 0;
    for c in Context::ALL {
        let fresh = open(&db, c);
        for b in forms::rows(&fresh, c) {
            for &k in b.keys {
                // answered in the field the form opens on, or in a later one (<- -> choose
                // the severity, not the caller's name), or on a later row (`1` on someone
                // who is not the leader already)
                let preps = (0..9)
                    .map(|n| (KeyCode::Tab, n))
                    .chain((1..4).map(|n| (KeyCode::Down, n)));
                let answered = preps.into_iter().any(|(prep, n)| {
                    let mut m = open(&db, c);
                    for _ in 0..n {
                        common::key(&mut m, prep);
                    }
                    if let Some(p) = primer(k) {
                        common::key(&mut m, p);
                    }
                    let before = state(&m);
                    let effects = common::key(&mut m, k);
                    !effects.is_empty() || state(&m) != before
                });
                assert!(answered, "{c:?} {}: {k:?} was ignored", b.id);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} keys checked");
}

#[test]
fn the_footer_of_a_popup_is_its_keymap_rows_by_priority_ending_with_more() {
    let db = demo();
    for lang in [Lang::En, Lang::Zh] {
        for c in Context::ALL.into_iter().filter(|c| !c.hints_inside()) {
            let mut m = open(&db, c);
            m.lang = lang;
            let text = common::render(&m, 120, 36);
            let footer = text.lines().last().unwrap_or_default().to_string();
            let more = format!("{} {}", c.help_shown(), lang.t("keymap.label.more"));
            assert!(footer.trim_end().ends_with(&more), "{c:?}: {footer}");
            // the first row by priority is there, first
            let first = forms::rows(&m, c)
                .filter(|b| b.priority.is_some())
                .min_by_key(|b| b.priority)
                .unwrap();
            let label = format!("{} {}", first.shown, lang.t_static(&first.label_key()));
            assert!(footer.starts_with(&label), "{c:?}: {footer}");
        }
    }
}

#[test]
fn a_hint_line_that_does_not_fit_keeps_the_first_rows_and_ends_with_more() {
    let db = demo();
    let m = open(&db, Context::ReportForm);
    let all = forms::hints(&m, Context::ReportForm, 200, false);
    assert!(all.iter().all(|(k, _)| *k != "F1"), "{all:?}");
    let cut = forms::hints(&m, Context::ReportForm, 50, false);
    assert_eq!(cut.last().map(|p| p.0), Some("F1"), "{cut:?}");
    assert_eq!(cut[0], all[0]);
    assert!(cut.len() < all.len() + 1);
    let width: usize = cut
        .iter()
        .map(|(k, l)| unicode_width::UnicodeWidthStr::width(*k) + 1 + l.len() + 2)
        .sum();
    assert!(width <= 52, "{cut:?}");
    // at 80 columns the report form still shows save and the field keys
    let text = common::render(&m, 80, 24);
    assert!(text.contains("Enter save  Tab/Up/Down field"), "{text}");
    assert!(text.contains("F1 more"), "{text}");
}

#[test]
fn help_inside_a_form_lists_its_keys_and_the_global_ones_that_still_work() {
    let db = demo();
    for lang in [Lang::En, Lang::Zh] {
        for c in Context::ALL {
            let mut m = open(&db, c);
            m.lang = lang;
            let before = state(&m);
            // `?` is text where letters are typed; F1 always opens the help
            let key = if c.types() {
                KeyCode::F(1)
            } else {
                KeyCode::Char('?')
            };
            assert!(common::key(&mut m, key).is_empty());
            assert!(m.help, "{c:?}: {key:?} did not open the help");
            let text: Vec<String> = duty_desk::ui::help::lines(&m)
                .iter()
                .map(|l| l.to_string())
                .collect();
            let at = |needle: &str| {
                let needle: String = needle.chars().take(12).collect();
                text.iter().position(|l| l.contains(needle.as_str()))
            };
            let still = at(lang.t("keymap.form.still")).expect("the global part");
            assert_eq!(at(lang.t("keymap.form.title")), Some(0), "{c:?}");
            for b in forms::rows(&m, c) {
                let row = at(lang.t_static(&b.help_key()));
                assert!(row.is_some_and(|r| r < still), "{c:?} {}", b.id);
            }
            // the screen's keys are not offered inside a form
            for b in keymap::of(Scope::On(m.screen)) {
                let sentence = lang.t_static(&b.help_key());
                assert!(
                    !text.iter().any(|l| l.contains(sentence)),
                    "{c:?}: {} listed",
                    b.id
                );
            }
            assert!(at(lang.t("keymap.help.global.ctrl_c")).is_some_and(|r| r > still));
            assert!(
                !text
                    .iter()
                    .any(|l| l.contains(lang.t("keymap.help.global.quit"))),
                "{c:?}: q does not quit inside a form"
            );
            // drawn over the form, and closed by the same key: the form is as it was
            let shown = common::render(&m, 120, 36);
            assert!(shown.contains(lang.t("keymap.form.title")), "{shown}");
            common::key(&mut m, key);
            assert!(!m.help);
            assert_eq!(state(&m), before, "{c:?}: the help changed the form");
            assert_eq!(forms::context(&m), Some(c));
        }
    }
}

#[test]
fn question_mark_is_still_typed_where_letters_are_typed() {
    let db = demo();
    for c in Context::ALL.into_iter().filter(|c| c.types()) {
        let mut m = open(&db, c);
        common::key(&mut m, KeyCode::Char('?'));
        assert!(!m.help, "{c:?}: ? opened the help");
    }
    let mut m = open(&db, Context::LogText);
    common::key(&mut m, KeyCode::Char('?'));
    assert!(!m.help);
    let Some(duty_desk::app::shiftlog::Form::Entry { text, .. }) = &m.shiftlog.form else {
        panic!("the entry form closed");
    };
    assert_eq!(text.text(), "?");
}

#[test]
fn the_screens_help_shows_a_row_whose_state_does_not_hold_dimmed_with_the_state() {
    // the Fleet with the request list focused: the board's keys are listed, dimmed, with
    // where they act, so a tired officer learns them without pressing them blind
    let db = demo();
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, common::DUTY_LEADER);
        common::show(&mut m, Screen::Fleet);
        common::key(&mut m, KeyCode::Char('?'));
        let lines = duty_desk::ui::help::lines(&m);
        let service = keymap::of(Scope::On(Screen::Fleet))
            .find(|b| b.id == "fleet.service")
            .unwrap();
        let sentence: String = lang
            .t_static(&service.help_key())
            .chars()
            .take(10)
            .collect();
        let i = lines
            .iter()
            .position(|l| l.to_string().contains(&sentence))
            .expect("listed");
        let row: String = lines[i..i + 3].iter().map(|l| l.to_string()).collect();
        let want: String = lang.t("keymap.when.board").chars().take(4).collect();
        assert!(row.contains(&want), "{row}");
        let dim = lines[i]
            .spans
            .iter()
            .all(|s| s.style.add_modifier.contains(ratatui::style::Modifier::DIM));
        assert!(dim, "{:?}", lines[i]);
        // the queue's own keys are not dimmed
        let new = lang.t("keymap.help.fleet.new");
        let j = lines
            .iter()
            .position(|l| l.to_string().contains(new))
            .unwrap();
        assert!(
            !lines[j]
                .spans
                .iter()
                .any(|s| s.style.add_modifier.contains(ratatui::style::Modifier::DIM))
        );
    }
}

#[test]
fn the_report_prompts_name_enter_by_what_it_does() {
    let db = demo();
    let m = open(&db, Context::ReportPrompt);
    let text = common::render(&m, 120, 36);
    let sign = format!("Enter {}", Lang::En.t("daily.sign.key_sign"));
    assert!(text.contains(&sign), "{text}");
}

#[test]
fn f1_opens_the_help_on_every_screen_too() {
    let db = demo();
    for screen in Screen::ALL {
        let mut m = common::model(&db.path, Lang::En, common::DUTY_LEADER);
        common::show(&mut m, screen);
        assert!(common::key(&mut m, KeyCode::F(1)).is_empty());
        assert!(m.help, "{screen:?}");
        assert!(forms::context(&m).is_none());
        common::key(&mut m, KeyCode::F(1));
        assert!(!m.help, "{screen:?}: F1 closes it again");
    }
}

#[test]
fn popups_where_nothing_is_typed_answer_no_key_their_rows_do_not_name() {
    // the other direction: a key that acts in a popup is a row of it (so the hint line and
    // the help are the whole truth); j and k are the vim arrows, documented with movement
    let db = demo();
    let mut codes: Vec<KeyCode> = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .chain(['[', ']', '!', '/', ' '])
        .map(KeyCode::Char)
        .collect();
    codes.extend([
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
    ]);
    for c in Context::ALL
        .into_iter()
        .filter(|c| !c.types() && *c != Context::ReportConfirm && *c != Context::FleetSteps)
    {
        // a row offered in another state (`a` on a waiting request) is still its key:
        // the handler says why not
        let named: Vec<KeyCode> = keymap::of(Scope::Form(c))
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for &k in &codes {
            if named.contains(&k) || matches!(k, KeyCode::Char('j' | 'k')) {
                continue;
            }
            let mut m = open(&db, c);
            if let Some(p) = primer(k) {
                common::key(&mut m, p);
            }
            let before = state(&m);
            let effects = common::key(&mut m, k);
            assert!(
                effects.is_empty() && state(&m) == before,
                "{c:?}: {k:?} acts but no row names it"
            );
        }
    }
}

#[test]
fn clicking_f1_more_in_a_forms_footer_opens_its_help() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let db = demo();
    let mut m = open(&db, Context::FleetRequest);
    let screen = common::render(&m, 120, 36);
    let lines: Vec<&str> = screen.lines().collect();
    let y = lines.len() - 1;
    let line = lines[y];
    assert!(line.contains("F1 more"), "{line}");
    let x = unicode_width::UnicodeWidthStr::width(&line[..line.find("F1 more").unwrap()]);
    update(
        &mut m,
        duty_desk::app::Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x as u16,
            row: y as u16,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert!(m.help, "{screen}");
    assert_eq!(forms::context(&m), Some(Context::FleetRequest));
}
