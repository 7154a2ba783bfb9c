//! Hostile text (issue 12): control characters, escape sequences (OSC 0/8/52, CSI 2J),
//! bidirectional marks and line breaks typed into every text field never reach a listing,
//! an export or the console, and never add a record line or a heading.

use crate::common;

use duty_desk::app::Screen;
use duty_desk::i18n::Lang;
use proptest::prelude::*;

/// Pieces a hostile caller or spreadsheet may send (no NUL: it cannot be an argument).
const PIECES: &[&str] = &[
    "x",
    "病人",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]0;pwned\u{1b}\\",
    "\u{1b}[2J",
    "\u{1b}[31m",
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
    "\u{1b}P1$qm\u{1b}\\",
    "\u{1b}c",
    "\u{9b}2J",
    "\u{9d}0;t\u{9c}",
    "\u{85}",
    "\u{7}",
    "\u{8}",
    "\u{7f}",
    "\u{202e}",
    "\u{202a}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{2028}",
    "# forged heading",
    "## 交接",
    "| a | b |",
    "- item",
    "09:00 forged entry",
    "[x](javascript:alert(1))",
    "<script>",
    "*",
];

fn hostile() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 1..8)
        .prop_map(|v| format!("x{}", v.concat()))
}

/// True for what may never reach a terminal: C0 controls other than the newline that
/// ends a line, DEL, C1 controls, bidirectional overrides and isolates.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn check_clean(what: &str, out: &str) {
    if let Some(c) = out.chars().find(|c| forbidden(*c)) {
        panic!("{what}: U+{:04X} in output:\n{out}", c as u32);
    }
}

/// Every listing and export, as text.
fn listings(db: &std::path::Path) -> Vec<(&'static str, String)> {
    let run: &[(&str, &[&str])] = &[
        ("log list", &["log", "list"]),
        ("handover show md", &["handover", "show", "--with-names"]),
        ("escalation list", &["escalation", "list", "--all"]),
        ("vehicles", &["vehicles"]),
        (
            "transport list",
            &["transport", "list", "--all", "--with-names"],
        ),
        ("transport list masked", &["transport", "list", "--all"]),
        ("report text", &["report", "--format", "text"]),
        ("report md", &["report", "--format", "md"]),
    ];
    run.iter()
        .map(|(name, args)| {
            let out = common::cli(db).args(*args).output().unwrap();
            assert!(out.status.success(), "{name}: {out:?}");
            (*name, String::from_utf8(out.stdout).unwrap())
        })
        .collect()
}

/// Types `text` into every text field of the demo town through the command line.
fn type_everywhere(db: &std::path::Path, text: &str) {
    let ok = |args: &[&str]| {
        let out = common::cli(db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    ok(&["log", "add", text]);
    let id = ok(&["log", "add", "plain"]);
    ok(&["log", "amend", &id, text]);
    ok(&[
        "escalation",
        "add",
        "--kind",
        "concern",
        "--title",
        text,
        "--due",
        "2h",
    ]);
    let id = ok(&[
        "escalation",
        "add",
        "--kind",
        "other",
        "--title",
        text,
        "--due",
        "3h",
    ]);
    ok(&["escalation", "resolve", &id, "--note", text]);
    ok(&[
        "transport",
        "request",
        "--village",
        "V01",
        "--patient",
        text,
        "--severity",
        "critical",
        "--to",
        "DH",
        "--caller",
        text,
        "--note",
        text,
    ]);
    ok(&["transport", "service", "RC03", "out", "--reason", text]);
    ok(&["handover", "notes", text]);
}

fn headings(s: &str) -> usize {
    s.lines().filter(|l| l.starts_with('#')).count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The same writes with hostile text and with plain text give listings of the same
    /// shape (lines, headings), and the hostile ones hold no forbidden character.
    #[test]
    fn every_listing_and_export_is_clean(text in hostile()) {
        let bad = common::demo_db();
        let plain = common::demo_db();
        type_everywhere(&bad.path, &text);
        type_everywhere(&plain.path, "xplain");
        for ((name, b), (_, p)) in listings(&bad.path).into_iter().zip(listings(&plain.path)) {
            check_clean(name, &b);
            prop_assert_eq!(b.lines().count(), p.lines().count(), "{}:\n{}", name, b);
            prop_assert_eq!(headings(&b), headings(&p), "{}:\n{}", name, b);
        }
    }
}

/// The attack from the issue, by name, through the store, the console model and a
/// `TestBackend`: every screen and the handover panel render with no forbidden character.
#[test]
fn the_console_shows_no_control_characters() {
    let db = common::demo_db();
    let text = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}evil\n## forged\u{1b}]52;c;ZXZpbA==\u{7}";
    type_everywhere(&db.path, text);
    // text stored by an older version (before entry cleaning) is shown clean too
    {
        let store = duty_desk::store::Store::open(&db.path).unwrap();
        store
            .conn()
            .execute(
                "UPDATE log_entry SET text = ?1 WHERE id = (SELECT MAX(id) FROM log_entry WHERE auto_msg IS NULL)",
                [text],
            )
            .unwrap();
        store
            .conn()
            .execute("UPDATE escalation SET title = ?1", [text])
            .unwrap();
        store
            .conn()
            .execute(
                "UPDATE vehicle SET status_reason = ?1 WHERE code = 'RC03'",
                [text],
            )
            .unwrap();
        store
            .conn()
            .execute("UPDATE transport SET patient = ?1, note = ?1", [text])
            .unwrap();
    }
    for lang in [Lang::En, Lang::Zh] {
        let mut m = common::model(&db.path, lang, &db.operator);
        for screen in [
            Screen::Overview,
            Screen::Report,
            Screen::Escalations,
            Screen::Fleet,
            Screen::Shiftlog,
        ] {
            common::show(&mut m, screen);
            let out = common::render(&m, 160, 50);
            check_clean(&format!("{screen:?}"), &out);
            assert!(!out.contains("pwned"), "{screen:?}:\n{out}");
        }
        // the escalation detail view
        common::show(&mut m, Screen::Escalations);
        common::key(&mut m, crossterm::event::KeyCode::Enter);
        check_clean("escalation detail", &common::render(&m, 160, 50));
    }
    for (name, out) in listings(&db.path) {
        check_clean(name, &out);
    }
}

/// A village cell with escape bytes, a 10 MB cell and a thousand bad lines: the errors
/// are clean, each cell is quoted to about 80 characters, and the lines are capped.
#[test]
fn import_errors_are_clean_and_bounded() {
    let db = common::demo_db();
    let dir = tempfile::tempdir().unwrap();
    let header = duty_desk::domain::report_csv::HEADER;
    let evil = dir.path().join("evil.csv");
    std::fs::write(
        &evil,
        format!(
            "{header}\n2026-11-25,\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}V01,1,1,,,,,,\n2026-11-25,{},1,1,,,,,,\n",
            "V".repeat(10_000_000)
        ),
    )
    .unwrap();
    let out = common::cli(&db.path)
        .args(["import", "reports"])
        .arg(&evil)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    check_clean("import errors", &err);
    assert!(
        err.contains(":2: village:") && err.contains(":3: village:"),
        "{err}"
    );
    assert!(err.len() < 2_000, "{} bytes of stderr", err.len());

    let many = dir.path().join("many.csv");
    let rows: String = (0..1000)
        .map(|i| format!("2026-11-25,NOPE{i},1,1,,,,,,\n"))
        .collect();
    std::fs::write(&many, format!("{header}\n{rows}")).unwrap();
    let out = common::cli(&db.path)
        .args(["import", "reports"])
        .arg(&many)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines.len() <= 53, "{} lines", lines.len());
    assert!(err.contains("… and 950 more problems"), "{err}");
    assert!(err.contains("1000 problem(s)"), "{err}");

    // a duplicate header column is named
    let dup = dir.path().join("dup.csv");
    std::fs::write(&dup, format!("{header},severe\n")).unwrap();
    common::cli(&db.path)
        .args(["import", "reports"])
        .arg(&dup)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ":1: severe: column appears more than once",
        ));
}

/// Command-line values that clap or the commands echo back in an error are cleaned too.
#[test]
fn argument_errors_echo_no_escape_sequences() {
    let db = common::demo_db();
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x";
    for args in [
        &["transport", "service", "RC03", evil, "--reason", "x"][..],
        &["report", "--date", evil],
        &["log", "add", "x", "--category", evil],
        &[
            "escalation",
            "add",
            "--kind",
            evil,
            "--title",
            "t",
            "--due",
            "2h",
        ],
        &[
            "escalation",
            "add",
            "--kind",
            "concern",
            "--title",
            "t",
            "--due",
            evil,
        ],
        &["import", "reports", evil],
        &[evil],
    ] {
        let out = common::cli(&db.path).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        check_clean(&format!("{args:?}"), &err);
        assert!(!err.trim().is_empty());
    }
}

/// Entry cleaning happens in the store's write functions, so the console, the command
/// line and imports all get it: what is stored holds no control character but newline
/// and tab (NUL included, which no argument can carry).
#[test]
fn the_store_keeps_typed_text_without_control_characters() {
    use duty_desk::domain::shift::LogCategory;
    use duty_desk::store::{Ctx, Store, shiftlog};
    let db = common::demo_db();
    let mut store = Store::open(&db.path).unwrap();
    let ctx = Ctx {
        operator: common::DUTY_LEADER.into(),
        now: common::now(),
    };
    let text = "a\u{0}b\u{1b}]0;pwned\u{7}c\r\nd\te\u{7f}\u{9b}2Jf";
    let id = store
        .write(&ctx, |w| shiftlog::add_entry(w, LogCategory::Note, text))
        .unwrap();
    let stored: String = store
        .conn()
        .query_row("SELECT text FROM log_entry WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, "abc\nd\tef");
}

/// Keys that carry a control character or a bidi override are not typed into a form.
#[test]
fn console_forms_take_no_control_characters() {
    use crossterm::event::KeyCode;
    use duty_desk::app::shiftlog::Form;
    let db = common::demo_db();
    let mut m = common::model(&db.path, Lang::En, &db.operator);
    common::show(&mut m, Screen::Shiftlog);
    common::key(&mut m, KeyCode::Char('n'));
    for c in "a\u{1b}]0;x\u{7}\u{202e}b\u{0}\u{9b}".chars() {
        common::key(&mut m, KeyCode::Char(c));
    }
    match &m.shiftlog.form {
        Some(Form::Entry { text, .. }) => {
            assert_eq!(text.text(), "a]0;xb");
            // and the input says one was left out (issue 19: never dropped silently)
            assert!(text.notice.is_some());
        }
        other => panic!("{other:?}"),
    }
}
