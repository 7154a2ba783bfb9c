//! The Daily report screen: snapshots in both languages (table, totals, trend, warnings,
//! completeness), the entry form, sorting and sign-off keys, on the demo town.

use crate::common;

use crossterm::event::KeyCode;
use duty_desk::app::report::{ReportWrite, apply, ordered};
use duty_desk::app::{Action, Effect, Model, Screen, WriteCmd, update};
use duty_desk::domain::report::Field;
use duty_desk::i18n::Lang;
use duty_desk::store::{Ctx, Store};

fn report_model(lang: Lang) -> (common::DemoDb, Model) {
    let db = common::demo_db();
    let mut m = common::model(&db.path, lang, &db.operator);
    common::show(&mut m, Screen::Report);
    (db, m)
}

fn type_text(m: &mut Model, s: &str) {
    for c in s.chars() {
        common::key(m, KeyCode::Char(c));
    }
}

/// Selects Fenglin (V04, not reported today) and opens the form on it.
fn open_fenglin(m: &mut Model) {
    common::key(m, KeyCode::Home);
    for _ in 0..3 {
        common::key(m, KeyCode::Down);
    }
    common::key(m, KeyCode::Enter);
    assert_eq!(
        m.report.form.as_ref().map(|f| f.village.as_str()),
        Some("V04")
    );
}

/// Runs the writes among `effects` as the store thread would, then reloads.
fn run_writes(
    m: &mut Model,
    db: &common::DemoDb,
    effects: Vec<Effect>,
) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    for e in effects {
        if let Effect::Write(WriteCmd::Report(w), _) = e {
            let mut store = Store::open(&db.path).unwrap();
            let ctx = Ctx {
                operator: m.operator.clone(),
                now: common::now(),
            };
            let town = m.town.clone();
            let r = apply(&mut store, &town, &ctx, w);
            out.push(
                r.clone()
                    .map(|x| x.render(Lang::En))
                    .map_err(|x| x.render(Lang::En)),
            );
            update(m, Action::WriteDone(r));
        }
    }
    common::reload(m, &db.path);
    out
}

#[test]
fn screen_in_english() {
    let (_db, m) = report_model(Lang::En);
    insta::assert_snapshot!("report_en", common::render(&m, 120, 36));
}

#[test]
fn screen_in_chinese() {
    let (_db, m) = report_model(Lang::Zh);
    insta::assert_snapshot!("report_zh", common::render(&m, 120, 36));
}

fn fill_bad_fenglin(m: &mut Model) {
    open_fenglin(m);
    type_text(m, "12");
    common::key(m, KeyCode::Tab);
    type_text(m, "2000"); // above the population of 1730
    common::key(m, KeyCode::Tab);
    type_text(m, "60"); // four times the median of the last 7 days
}

#[test]
fn form_shows_findings_beside_the_fields_in_english() {
    let (_db, mut m) = report_model(Lang::En);
    fill_bad_fenglin(&mut m);
    assert!(m.modal() && m.dirty);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("above the village population 1730"),
        "{screen}"
    );
    insta::assert_snapshot!("report_form_en", screen);
}

#[test]
fn form_shows_findings_beside_the_fields_in_chinese() {
    let (_db, mut m) = report_model(Lang::Zh);
    fill_bad_fenglin(&mut m);
    insta::assert_snapshot!("report_form_zh", common::render(&m, 120, 36));
}

#[test]
fn a_hard_finding_refuses_the_save_and_names_the_field() {
    let (_db, mut m) = report_model(Lang::En);
    fill_bad_fenglin(&mut m);
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Write(..))));
    let status = m.status.as_ref().unwrap();
    assert!(status.error);
    assert!(
        status
            .msg
            .render(Lang::En)
            .starts_with("Not saved: Cumulative infections:")
    );
    let form = m.report.form.as_ref().unwrap();
    assert_eq!(form.focused(), Field::CumulativeInfections);
    // issue 19: the form itself says it was not saved and how many problems it marks
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Not saved: "), "{screen}");
    assert!(
        screen.contains("the first is Cumulative infections"),
        "{screen}"
    );
}

#[test]
fn saving_through_the_form_stores_nulls_for_empty_fields_and_shows_warnings() {
    let (db, mut m) = report_model(Lang::En);
    open_fenglin(&mut m);
    type_text(&mut m, "12");
    common::key(&mut m, KeyCode::Tab);
    type_text(&mut m, "494");
    common::key(&mut m, KeyCode::Tab);
    type_text(&mut m, "60"); // a spike: saved, with a warning
    // inpatients .. referrals left empty
    let effects = common::key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &effects[..],
        [Effect::Write(WriteCmd::Report(ReportWrite::Save(row)), _)]
            if row.expected.is_none() && row.village == "V04"
    ));
    let results = run_writes(&mut m, &db, effects);
    assert_eq!(
        results,
        vec![Ok(
            "Saved V04 for 2026-11-26, with 1 warning(s) shown beside the values.".into()
        )]
    );
    assert!(m.report.form.is_none() && !m.dirty);
    let s = m.snapshot.as_deref().unwrap();
    let row = &s.report_rows["V04"];
    assert_eq!(row.figures.get(Field::CumulativeInfections), Some(494));
    assert_eq!(row.figures.get(Field::Inpatients), None);
    assert_eq!(row.figures.get(Field::Referrals), None);
    assert!(row.late, "entered at 10:30, after the 10:00 cutoff");
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("60!"), "{screen}");
    assert!(screen.contains("Warnings: 1"), "{screen}");
    assert!(screen.contains("10:30 late"), "{screen}");
    insta::assert_snapshot!("report_saved_with_warning_en", screen);
}

#[test]
fn editing_a_row_changed_by_someone_else_is_a_conflict() {
    let (db, mut m) = report_model(Lang::En);
    common::key(&mut m, KeyCode::Enter); // V01, reported
    common::key(&mut m, KeyCode::End);
    type_text(&mut m, "5");
    let effects = common::key(&mut m, KeyCode::Enter);
    // meanwhile another operator replaces V01's row
    let csv = db.dir.path().join("v01.csv");
    std::fs::write(
        &csv,
        format!(
            "{}\n2026-11-26,V01,20,1338,19,7,2,0,1,2\n",
            duty_desk::domain::report_csv::HEADER
        ),
    )
    .unwrap();
    common::cli(&db.path)
        .args(["import", "reports", "--replace"])
        .arg(&csv)
        .assert()
        .success();
    let results = run_writes(&mut m, &db, effects);
    assert!(
        results[0]
            .as_ref()
            .unwrap_err()
            .contains("changed by another operator")
    );
    let form = m
        .report
        .form
        .as_ref()
        .expect("the form stays open with its figures");
    assert_eq!(form.inputs[Field::Referrals.index()].text(), "15");
    assert!(form.refused.is_some());
}

#[test]
fn esc_and_q_ask_before_losing_changes() {
    let (_db, mut m) = report_model(Lang::En);
    open_fenglin(&mut m);
    common::key(&mut m, KeyCode::Esc);
    assert!(m.report.form.is_none(), "an untouched form closes at once");
    open_fenglin(&mut m);
    type_text(&mut m, "3");
    common::key(&mut m, KeyCode::Esc);
    assert!(m.report.form.as_ref().unwrap().confirm_discard);
    assert!(common::render(&m, 120, 36).contains("Discard your changes?"));
    common::key(&mut m, KeyCode::Char('n'));
    assert_eq!(m.report.form.as_ref().unwrap().inputs[0].text(), "3");
    let effects = common::key(&mut m, KeyCode::Char('q'));
    assert!(effects.is_empty() && m.confirm_quit && !m.quit);
    common::key(&mut m, KeyCode::Char('n'));
    assert!(!m.confirm_quit && m.report.form.is_some());
    common::key(&mut m, KeyCode::Esc);
    common::key(&mut m, KeyCode::Char('y'));
    assert!(m.report.form.is_none() && !m.dirty);
}

#[test]
fn o_cycles_the_sort_column_and_capital_o_reverses() {
    let (_db, mut m) = report_model(Lang::En);
    let codes = |m: &Model| {
        ordered(m)
            .iter()
            .map(|v| v.code.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&m)[0], "V01");
    common::key(&mut m, KeyCode::Char('o')); // new infections, ascending: missing first
    assert_eq!(&codes(&m)[..4], ["V04", "V07", "V10", "V12"]);
    common::key(&mut m, KeyCode::Char('O')); // descending: the most new infections first
    assert_eq!(codes(&m)[0], "V01");
    assert_eq!(codes(&m)[1], "V02");
    assert!(common::render(&m, 120, 36).contains("Newv"));
    // Enter opens the village shown on the selected row, not the town file's order
    common::key(&mut m, KeyCode::End);
    common::key(&mut m, KeyCode::Enter);
    assert_eq!(m.report.form.as_ref().unwrap().village, "V12");
    common::key(&mut m, KeyCode::Esc);
    common::key(&mut m, KeyCode::Char('o')); // cumulative infections, descending
    assert_eq!(codes(&m)[0], "V01");
    assert_eq!(codes(&m)[1], "V08");
}

#[test]
fn signing_locks_the_day_and_reopening_needs_a_reason() {
    let (db, mut m) = report_model(Lang::En);
    // the demo's officer may not sign: the console says so and sends nothing
    // (issue 19: before any question opens, by the role's and the action's labels)
    let effects = common::key(&mut m, KeyCode::Char('s'));
    assert!(!effects.iter().any(|e| matches!(e, Effect::Write(..))));
    assert!(m.report.sign_reason.is_none() && !m.modal());
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Not allowed: not permitted: a duty officer may not sign a day's report"),
        "{screen}"
    );
    // signing and reopening are the duty leader's; with 4 villages missing the console
    // asks why (issue 17) instead of a plain yes/no
    m.operator = common::DUTY_LEADER.to_string();
    common::key(&mut m, KeyCode::Char('s'));
    assert!(m.report.sign_reason.is_some() && !m.report.confirm_sign);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("4 villages have not reported on 2026-11-26: V04, V07, V10, V12"),
        "{screen}"
    );
    // an empty reason is refused and nothing is written
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    assert!(m.status.as_ref().unwrap().error);
    common::key(&mut m, KeyCode::Char('s'));
    type_text(&mut m, "V04 road closed by landslide");
    let effects = common::key(&mut m, KeyCode::Enter);
    run_writes(&mut m, &db, effects);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains(&format!("SIGNED by {}", common::DUTY_LEADER)),
        "{screen}"
    );
    assert!(screen.contains("│Signed with villages missing"), "{screen}");
    let store = Store::open(&db.path).unwrap();
    let sign = duty_desk::store::reports::sign_info(
        store.conn(),
        m.snapshot.as_ref().unwrap().report_date,
    )
    .unwrap()
    .unwrap();
    assert_eq!(sign.missing_reason, "V04 road closed by landslide");
    drop(store);
    // a signed day's form does not open
    common::key(&mut m, KeyCode::Enter);
    assert!(m.report.form.is_none());
    assert!(
        m.status
            .as_ref()
            .unwrap()
            .msg
            .render(Lang::En)
            .contains("is signed and read-only")
    );
    // reopen: an empty reason is refused, then a reason reopens
    common::key(&mut m, KeyCode::Char('R'));
    assert!(m.report.reopen.is_some());
    assert!(common::key(&mut m, KeyCode::Enter).is_empty());
    assert!(m.status.as_ref().unwrap().error);
    type_text(&mut m, "V04 figures late");
    let effects = common::key(&mut m, KeyCode::Enter);
    run_writes(&mut m, &db, effects);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("Reopened by"), "{screen}");
    assert!(screen.contains("V04 figures late"), "{screen}");
    let store = Store::open(&db.path).unwrap();
    let actions: Vec<String> = store
        .audit_for("day:2026-11-26")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["report.sign", "report.reopen"]);
}

#[test]
fn day_keys_and_chart_span() {
    let (db, mut m) = report_model(Lang::En);
    let effects = common::key(&mut m, KeyCode::Char('['));
    assert_eq!(effects, vec![Effect::Reload(m.view)]);
    common::reload(&mut m, &db.path);
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Daily report 2026-11-25: 12/12 reported"),
        "{screen}"
    );
    assert!(screen.contains("Every village has reported."), "{screen}");
    assert!(
        screen.contains("11-12") && screen.contains("11-25"),
        "{screen}"
    );
    common::key(&mut m, KeyCode::Char('L'));
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Trend, 30 days") && screen.contains("10-27"),
        "{screen}"
    );
    common::key(&mut m, KeyCode::Char('t'));
    common::reload(&mut m, &db.path);
    assert!(common::render(&m, 120, 36).contains("Daily report 2026-11-26"));
}

#[test]
fn sign_and_reopen_prompts() {
    let (db, mut m) = report_model(Lang::En);
    // signing and reopening are the duty leader's
    m.operator = common::DUTY_LEADER.to_string();
    common::key(&mut m, KeyCode::Char('s'));
    type_text(&mut m, "V04 road closed");
    insta::assert_snapshot!("report_sign_en", common::render(&m, 120, 36));
    let effects = common::key(&mut m, KeyCode::Enter);
    run_writes(&mut m, &db, effects);
    m.lang = Lang::Zh;
    common::key(&mut m, KeyCode::Char('R'));
    type_text(&mut m, "枫林村补报数据");
    insta::assert_snapshot!("report_reopen_zh", common::render(&m, 120, 36));
}

#[test]
fn help_lists_the_report_keys_on_the_report_screen() {
    let (_db, mut m) = report_model(Lang::En);
    common::key(&mut m, KeyCode::Char('?'));
    let screen = common::render(&m, 120, 36);
    assert!(
        screen.contains("Next sort column / reverse the order"),
        "{screen}"
    );
    assert!(screen.contains("Esc or ? closes this help."), "{screen}");
    // on a small terminal the general keys and the closing hint come first
    let small = common::render(&m, 80, 24);
    assert!(small.contains("Esc or ? closes this help."), "{small}");
}

#[test]
fn small_terminal_80x24() {
    let (_db, mut m) = report_model(Lang::En);
    insta::assert_snapshot!("report_en_80x24", common::render(&m, 80, 24));
    open_fenglin(&mut m);
    insta::assert_snapshot!("report_form_en_80x24", common::render(&m, 80, 24));
}

/// Issue 17: the shift lead's analysis (研判) is written on the report screen, shown in
/// its warnings panel, audited, and frozen once the day is signed.
#[test]
fn the_analysis_is_written_shown_and_frozen_with_the_signature() {
    let (db, mut m) = report_model(Lang::Zh);
    m.operator = common::DUTY_LEADER.to_string();
    common::key(&mut m, KeyCode::Char('n'));
    assert!(m.report.note.is_some());
    type_text(&mut m, "发热门诊就诊人数回落");
    insta::assert_snapshot!("report_note_zh", common::render(&m, 120, 36));
    let effects = common::key(&mut m, KeyCode::Enter);
    run_writes(&mut m, &db, effects);
    let screen = common::render(&m, 120, 36);
    assert!(screen.contains("研判：发热门诊就诊人数回落"), "{screen}");
    // opening it again starts from the stored text
    common::key(&mut m, KeyCode::Char('n'));
    assert_eq!(
        m.report.note.as_ref().map(|n| n.text()),
        Some("发热门诊就诊人数回落")
    );
    common::key(&mut m, KeyCode::Esc);
    assert!(m.report.note.is_none());
    common::key(&mut m, KeyCode::Char('s'));
    type_text(&mut m, "V04 道路中断");
    let effects = common::key(&mut m, KeyCode::Enter);
    run_writes(&mut m, &db, effects);
    common::key(&mut m, KeyCode::Char('n'));
    assert!(m.report.note.is_none(), "a signed day's analysis is frozen");
    assert!(m.status.as_ref().unwrap().error);
    m.lang = Lang::En;
    insta::assert_snapshot!("report_signed_with_reason_en", common::render(&m, 120, 36));
    let store = Store::open(&db.path).unwrap();
    let actions: Vec<String> = store
        .audit_for("day:2026-11-26")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["report.note", "report.sign"]);
}

/// Issue 17: the facilities panel shows each health center's beds, oximeters, fever
/// clinic, oxygen and reserve against its line, in both languages.
#[test]
fn the_facilities_panel_in_both_languages() {
    let (db, mut m) = report_model(Lang::En);
    {
        let mut store = Store::open(&db.path).unwrap();
        let town = duty_desk::store::town::load(store.conn()).unwrap();
        let ctx = Ctx {
            operator: common::DUTY_LEADER.to_string(),
            now: common::now(),
        };
        store
            .write(&ctx, |w| {
                duty_desk::store::facility::set_capacity(
                    w,
                    &town,
                    "HC1",
                    &duty_desk::store::facility::CapacityUpdate {
                        beds_occupied: Some(36),
                        oxygen_concentrators: Some(3),
                        oxygen_bags: Some(20),
                        oximeters: Some(12),
                        fever_clinic: Some(duty_desk::domain::facility::FeverClinic::Open),
                    },
                )
            })
            .unwrap();
    }
    common::reload(&mut m, &db.path);
    let en = common::render(&m, 120, 36);
    assert!(
        en.contains("HC1 beds 36/40  oximeters 12  fever open"),
        "{en}"
    );
    assert!(
        en.contains("O2 3/20  drugs 4100/2655  kits 3800/2655"),
        "{en}"
    );
    insta::assert_snapshot!("report_facilities_en", en);
    m.lang = Lang::Zh;
    let zh = common::render(&m, 120, 36);
    assert!(zh.contains("HC1 床位36/40 血氧仪12 发热门诊开诊"), "{zh}");
    insta::assert_snapshot!("report_facilities_zh", zh);
}
