//! The permission table in the console's model: every role (and someone not on the staff
//! list) against every write the console can ask for. A refused write never leaves the
//! model and says which permission is missing; the store refuses the same writes too.
use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use crossterm::event::KeyCode;
use duty_desk::app::escalations::EscalationsWrite;
use duty_desk::app::fleet::FleetWrite;
use duty_desk::app::report::{ReportWrite, SaveRow};
use duty_desk::app::shiftlog::ShiftlogWrite;
use duty_desk::app::{Effect, Screen, WriteCmd, access};
use duty_desk::domain::escalation::{Kind, StockItem};
use duty_desk::domain::fleet::NewRequest;
use duty_desk::domain::report::Figures;
use duty_desk::domain::roles::Permission;
use duty_desk::domain::shift::{Duty, LogCategory};
use duty_desk::domain::transport::TripStatus;
use duty_desk::i18n::Lang;
use duty_desk::store::{Ctx, Store};

/// One person per role, and a stranger.
const PEOPLE: [(&str, &str); 6] = [
    ("蒋文斌", "viewer"),
    ("何丽君", "duty_officer"),
    ("邓宇航", "dispatcher"),
    ("冉小东", "shift_lead"),
    ("罗承志", "duty_leader"),
    ("路人甲", "not on the staff list"),
];

/// Every console write, with the roles that may make it (written out, not computed).
fn table() -> Vec<(WriteCmd, Permission, &'static [&'static str])> {
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let shift = Utc.with_ymd_and_hms(2026, 11, 26, 0, 30, 0).unwrap();
    const REPORT: &[&str] = &["duty_officer", "shift_lead", "duty_leader"];
    const SIGN: &[&str] = &["shift_lead", "duty_leader"];
    const LEADER: &[&str] = &["duty_leader"];
    const DISPATCH: &[&str] = &["duty_officer", "dispatcher", "duty_leader"];
    const ALL_BUT_VIEWER: &[&str] = &["duty_officer", "dispatcher", "shift_lead", "duty_leader"];
    const STOCK: &[&str] = &["duty_officer", "shift_lead", "duty_leader"];
    vec![
        (
            WriteCmd::Report(ReportWrite::Save(Box::new(SaveRow {
                village: "V04".into(),
                date: day,
                figures: Figures::default(),
                expected: None,
            }))),
            Permission::EnterReport,
            REPORT,
        ),
        (
            WriteCmd::Report(ReportWrite::Sign {
                date: day,
                reason: Some("V04 road closed".into()),
            }),
            Permission::SignReport,
            SIGN,
        ),
        (
            WriteCmd::Report(ReportWrite::Note {
                date: day,
                text: "visits falling".into(),
            }),
            Permission::SignReport,
            SIGN,
        ),
        (
            WriteCmd::Report(ReportWrite::Reopen {
                date: day,
                reason: "x".into(),
            }),
            Permission::ReopenReport,
            LEADER,
        ),
        (
            WriteCmd::Fleet(FleetWrite::Request(NewRequest {
                caller: String::new(),
                patient: "王五".into(),
                age: None,
                village: "V01".into(),
                severity: "stable".into(),
                destination: "HC1".into(),
                note: String::new(),
            })),
            Permission::RequestTransport,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Fleet(FleetWrite::Dispatch {
                transport: 4,
                vehicle: "AMB2".into(),
            }),
            Permission::Dispatch,
            DISPATCH,
        ),
        (
            WriteCmd::Fleet(FleetWrite::Advance {
                transport: 3,
                to: TripStatus::OnScene,
            }),
            Permission::Dispatch,
            DISPATCH,
        ),
        (
            WriteCmd::Fleet(FleetWrite::Service {
                vehicle: "RC01".into(),
                in_service: false,
                reason: "x".into(),
            }),
            Permission::VehicleService,
            DISPATCH,
        ),
        (
            WriteCmd::Escalations(EscalationsWrite::Raise {
                kind: Kind::Concern,
                title: "t".into(),
                village: None,
                details: String::new(),
                direct: false,
                due: shift,
            }),
            Permission::HandleEscalation,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Escalations(EscalationsWrite::Ack(1)),
            Permission::HandleEscalation,
            ALL_BUT_VIEWER,
        ),
        // issue 15: duty officers and shift leads record key-population contacts
        (
            WriteCmd::People(duty_desk::app::people::PeopleWrite::Contact(
                duty_desk::store::people::NewContact {
                    person: 1,
                    method: duty_desk::domain::people::Method::Phone,
                    outcome: duty_desk::domain::people::Outcome::Stable,
                    note: String::new(),
                    at: None,
                    lang: Lang::En,
                },
            )),
            Permission::RecordContact,
            STOCK,
        ),
        (
            WriteCmd::Escalations(EscalationsWrite::Resolve(1, "done".into())),
            Permission::HandleEscalation,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Escalations(EscalationsWrite::SetStock {
                place: "HC1".into(),
                item: StockItem::DrugPacks,
                quantity: 5000,
            }),
            Permission::SetStock,
            STOCK,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::Add {
                category: LogCategory::Note,
                text: "t".into(),
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::Amend {
                id: 1,
                text: "t".into(),
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::Edit {
                id: 1,
                text: "t".into(),
                was: String::new(),
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::Notes {
                shift,
                text: "t".into(),
                was: String::new(),
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::SetRoster {
                shift,
                staff: "陈思远".into(),
                duty: Duty::Officer,
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::RemoveRoster {
                shift,
                staff: "黄晓峰".into(),
            }),
            Permission::WriteLog,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Shiftlog(ShiftlogWrite::Sign {
                incoming: "陈思远".into(),
                pin: None,
            }),
            Permission::SignHandover,
            ALL_BUT_VIEWER,
        ),
        (
            WriteCmd::Town(duty_desk::app::town::TownWrite::Surge(true)),
            Permission::EditTown,
            LEADER,
        ),
        (
            WriteCmd::Town(duty_desk::app::town::TownWrite::Vehicle {
                code: "AMB1".into(),
                driver: "王新".into(),
                phone: "139".into(),
            }),
            Permission::EditTown,
            LEADER,
        ),
    ]
}

#[test]
fn every_role_against_every_console_write() {
    let db = common::demo_db();
    let view = common::model(&db.path, Lang::En, "罗承志").view;
    for (name, role) in PEOPLE {
        let mut m = common::model(&db.path, Lang::En, name);
        for (cmd, perm, roles) in table() {
            assert_eq!(access::permission(&cmd), perm, "{cmd:?}");
            let may = roles.contains(&role);
            let out = access::guard(&mut m, vec![Effect::Write(cmd.clone(), view)]);
            if may {
                assert_eq!(
                    out,
                    vec![Effect::Write(cmd.clone(), view)],
                    "{role} {cmd:?}"
                );
                assert!(m.status.is_none(), "{role} {cmd:?}");
            } else {
                assert_eq!(out, vec![Effect::Bell], "{role} must not send {cmd:?}");
                let said = m.status.take().expect("a reason").msg.render(Lang::En);
                assert!(said.starts_with("Not allowed"), "{said}");
                assert!(
                    said.contains(Lang::En.t(perm.label_key())),
                    "{role} {cmd:?}: {said}"
                );
                // issue 19: never the internal names
                assert!(!said.contains('_'), "{role} {cmd:?}: {said}");
                if role.starts_with("not on") {
                    assert!(said.contains("not on the staff list"), "{said}");
                }
            }
        }
    }
}

/// The store holds writes to the same table: what the console refuses, it refuses too
/// (a second process or a stale console cannot get around the check).
#[test]
fn the_store_refuses_what_the_console_refuses() {
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let town = duty_desk::store::town::load(store.conn()).unwrap();
    for (name, role) in PEOPLE {
        let ctx = Ctx {
            operator: name.into(),
            now: common::now(),
        };
        for (cmd, perm, roles) in table() {
            if roles.contains(&role) {
                continue;
            }
            let r = match cmd.clone() {
                WriteCmd::Report(w) => duty_desk::app::report::apply(&mut store, &town, &ctx, w),
                WriteCmd::Fleet(w) => duty_desk::app::fleet::apply(&mut store, &town, &ctx, w),
                WriteCmd::Escalations(w) => {
                    duty_desk::app::escalations::apply(&mut store, &town, &ctx, w)
                }
                WriteCmd::Shiftlog(w) => {
                    duty_desk::app::shiftlog::apply(&mut store, &town, &ctx, w)
                }
                WriteCmd::Town(w) => duty_desk::app::town::apply(&mut store, &ctx, w),
                WriteCmd::People(w) => duty_desk::app::people::apply(&mut store, &town, &ctx, w),
            };
            // a refused save may be judged on its figures first; the rest must name the permission
            let e = r.expect_err(&format!("{role} {cmd:?}")).render(Lang::En);
            if !matches!(cmd, WriteCmd::Report(ReportWrite::Save(_))) {
                assert!(
                    e.contains(Lang::En.t(perm.label_key())),
                    "{role} {cmd:?}: {e}"
                );
            }
        }
    }
}

#[test]
fn a_viewer_pressing_keys_is_told_why_and_nothing_is_sent() {
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "蒋文斌");
    common::show(&mut m, Screen::Shiftlog);
    // issue 19: refused before the form opens, not after the typing
    let fx = common::key(&mut m, KeyCode::Char('n'));
    assert!(!fx.iter().any(|e| matches!(e, Effect::Write(..))), "{fx:?}");
    assert!(!m.modal(), "the entry form opened for a viewer");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Not allowed"), "{screen}");
    assert!(
        screen.contains("a viewer may not write the shift log"),
        "{screen}"
    );
    // the footer says it up front once the message is gone
    m.status = None;
    assert!(common::render(&m, 120, 36).contains("[read only]"));
}

#[test]
fn the_pin_prompt_shows_stars_and_a_wrong_pin_keeps_the_desk_closed() {
    use duty_desk::app::{Action, login, update};
    use duty_desk::store::staff::Login;
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, "");
    let fx = login::start(&mut m, Some("何丽君"));
    assert_eq!(
        fx,
        vec![Effect::Login {
            name: "何丽君".into(),
            pin: None
        }]
    );
    update(
        &mut m,
        Action::LoginChecked("何丽君".into(), Login::NeedsPin),
    );
    for c in "2580".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("PIN for 何丽君 (duty officer):"),
        "{screen}"
    );
    assert!(screen.contains("> ****"), "{screen}");
    assert!(!screen.contains("2580"), "{screen}");
    let fx = common::key(&mut m, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Login {
            name: "何丽君".into(),
            pin: Some(login::Pin("2580".into()))
        }]
    );
    // the PIN never shows in debug output either
    assert!(!format!("{fx:?}").contains("2580"));
    update(
        &mut m,
        Action::LoginChecked("何丽君".into(), Login::WrongPin),
    );
    assert_eq!(m.operator, "", "still nobody at the desk");
    assert!(common::render(&m, 120, 36).contains("Wrong PIN for 何丽君"));
    // keys other than the PIN's do nothing to the screens meanwhile
    common::key(&mut m, KeyCode::Char('3'));
    assert_eq!(m.screen, Screen::Overview);
    update(
        &mut m,
        Action::LoginChecked("何丽君".into(), Login::Accepted),
    );
    assert_eq!(m.operator, "何丽君");
    assert!(m.login.is_none());
}

#[test]
fn a_named_operator_without_a_pin_is_in_before_the_first_key() {
    use duty_desk::app::login;
    use duty_desk::store::staff::{self, Login};
    let db = common::demo_db();
    let store = Store::open(&db.path).unwrap();
    let known = staff::login(store.conn(), "何丽君", None).unwrap();
    assert_eq!(known, Login::Accepted, "the demo's staff have no PIN");
    let mut m = common::model(&db.path, Lang::En, "");
    assert!(login::begin(&mut m, Some("何丽君"), Some(known)).is_empty());
    assert!(m.login.is_none());
    assert_eq!(m.operator, "何丽君");
    // with a PIN the prompt opens at once
    let mut m = common::model(&db.path, Lang::En, "");
    login::begin(&mut m, Some("何丽君"), Some(Login::NeedsPin));
    assert!(common::render(&m, 120, 36).contains("PIN for 何丽君"));
    // nobody named: the chooser
    let mut m = common::model(&db.path, Lang::En, "");
    login::begin(&mut m, None, None);
    assert!(common::render(&m, 120, 36).contains("Who is on duty?"));
}
