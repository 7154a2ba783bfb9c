//! The handover document: sections in order, both languages, Markdown shape.

use chrono::{Duration, NaiveDate};

use super::*;
use crate::domain::escalation::{Kind, State};
use crate::domain::handover::{EscalationIn, Inputs, compile};
use crate::domain::report::Totals;
use crate::domain::shift::Duty;

fn handover() -> Handover {
    let start = from_db("2026-11-26T00:30:00Z").unwrap();
    let now = start + Duration::hours(23);
    compile(&Inputs {
        shift_start: start,
        shift_end: start + Duration::hours(24),
        now,
        day: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        villages_expected: 2,
        missing: vec!["V02".into()],
        past_cutoff: true,
        report_signed: false,
        totals: Totals::default(),
        before: Totals::default(),
        escalations: vec![EscalationIn {
            id: 7,
            kind: Kind::Referral,
            title: "direct referral".into(),
            subject: None,
            village: Some("V01".into()),
            place: None,
            owner: String::new(),
            due: now - Duration::minutes(30),
            state: State::Open,
            raised_at: start - Duration::hours(2),
        }],
        transports: vec![],
        out_of_service: vec![],
        notes: "first line\nsecond line".into(),
        roster: vec![("Luo".into(), Duty::Leader)],
        log_entries: 3,
    })
}

fn doc(lang: Lang, signed: Option<Signature>) -> (Vec<DocLine>, String) {
    let h = handover();
    let place = |c: &str| format!("<{c}>");
    let c = DocCtx {
        lang,
        offset: crate::domain::time::parse_offset("+08:00").unwrap(),
        town: "Qingshi",
        place: &place,
        signed,
    };
    (lines(&h, &c), markdown(&h, &c))
}

#[test]
fn sections_come_in_reading_order_with_the_status_first() {
    let (lines, md) = doc(Lang::En, None);
    let headings: Vec<&str> = lines
        .iter()
        .filter(|l| l.tone == Tone::Heading)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "Status",
            "Daily report 2026-11-26",
            "Action list (1)",
            "Situation",
            "Notes from the outgoing team"
        ]
    );
    assert!(md.starts_with("# Qingshi shift handover, 2026-11-26 08:30 to 2026-11-27 08:30\n"));
    assert!(
        md.contains("**URGENT: open escalations 1 (overdue 1)"),
        "{md}"
    );
    // place names are people-typed text: Markdown markup in them is escaped
    assert!(md.contains("- LATE, not reported: \\<V02\\>\n"), "{md}");
    assert!(
        md.contains("- #7 Referral: direct referral (\\<V01\\>); in hand: nobody yet; OVERDUE since 11-27 07:00 (30m) [carried over]\n"),
        "{md}"
    );
    // the notes are one line: a line break in them never starts a section
    assert!(md.contains("first line / second line\n"), "{md}");
    assert!(md.contains("not yet signed"));
}

#[test]
fn chinese_has_no_missing_keys_and_shows_the_signature() {
    let signed = Signature {
        by: "谭慧敏".into(),
        at: "2026-11-27T00:25:00Z".into(),
    };
    let (lines, md) = doc(Lang::Zh, Some(signed));
    for l in &lines {
        assert!(!l.text.contains("handover."), "untranslated: {}", l.text);
        assert!(!l.text.contains('{'), "unfilled: {}", l.text);
    }
    assert!(md.contains("已于 11-27 08:25 交接给 谭慧敏"), "{md}");
    assert!(md.contains("【上班遗留】"), "{md}");
}

#[test]
fn a_rule_escalation_reads_in_the_readers_language() {
    let mut h = handover();
    if let Some(crate::domain::handover::ActionItem::Escalation { title, subject, .. }) =
        h.actions.first_mut()
    {
        *title = "No daily report from V02 for 11-26".into();
        *subject = Some("missing_report:V02:2026-11-26".into());
    }
    let place = |c: &str| format!("<{c}>");
    let zh = DocCtx {
        lang: Lang::Zh,
        offset: crate::domain::time::parse_offset("+08:00").unwrap(),
        town: "青石镇",
        place: &place,
        signed: None,
    };
    let md = markdown(&h, &zh);
    assert!(md.contains("11月26日"), "{md}");
    assert!(!md.contains("No daily report"), "{md}");
}

/// Issue 19: "1 entries in the shift log."
#[test]
fn one_log_entry_is_one_entry_in_both_languages() {
    let mut h = handover();
    h.log_entries = 1;
    let place = |c: &str| format!("<{c}>");
    for (lang, want) in [
        (Lang::En, "1 entry in the shift log."),
        (Lang::Zh, "本班日志共 1 条。"),
    ] {
        let c = DocCtx {
            lang,
            offset: crate::domain::time::parse_offset("+08:00").unwrap(),
            town: "Qingshi",
            place: &place,
            signed: None,
        };
        let md = markdown(&h, &c);
        assert!(md.contains(want), "{md}");
        assert!(!md.contains("1 entries"), "{md}");
    }
    let (_, md) = doc(Lang::En, None);
    assert!(md.contains("3 entries in the shift log."), "{md}");
}
