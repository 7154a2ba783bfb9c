//! Shared test fixtures: a fixed clock, the demo town on a temp-file database (built once
//! per test binary, copied for each test), the CLI, and rendering a model to a
//! `TestBackend` for snapshots. Each test binary (`tests/<group>/main.rs`) declares this
//! module once; its test modules reach it as `crate::common`.
#![allow(dead_code)]

pub mod drill;
pub mod pty;

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Utc};
use duty_desk::app::{Action, Model, Screen, update};
use duty_desk::i18n::Lang;
use duty_desk::store::snapshot::{self, View};
use duty_desk::store::{Store, town};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The fixed "now" of the tests: 10:30 in the town, after the 10:00 cutoff.
pub const NOW: &str = "2026-11-26T10:30:00+08:00";

/// [`NOW`] as an instant.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// A temp directory holding a demo database built at `at`.
pub struct DemoDb {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The database file.
    pub path: PathBuf,
    /// The operator the demo opens as.
    pub operator: String,
}

/// The files of a demo town built once per test binary at the test clock: name, bytes and
/// permissions of each file the build left in its directory (the database, and any
/// companion file).
struct Template {
    files: Vec<(std::ffi::OsString, Vec<u8>, std::fs::Permissions)>,
    operator: String,
}

/// Built on first use, then only copied: one demo build per test binary instead of one per
/// test. The build's temp directory is removed as soon as its files are read.
static TEMPLATE: LazyLock<Template> = LazyLock::new(|| {
    let built = demo_db_at(now());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(built.dir.path()).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        assert!(meta.is_file(), "the demo build left a directory: {entry:?}");
        files.push((
            entry.file_name(),
            std::fs::read(entry.path()).unwrap(),
            meta.permissions(),
        ));
    }
    assert!(
        files.iter().any(|(name, ..)| name.as_os_str() == "duty.db"),
        "the demo build wrote no duty.db"
    );
    Template {
        files,
        operator: built.operator,
    }
});

/// The demo town at the test clock on a fresh temp-file database of the test's own: a copy
/// of the binary's one demo build, so a test may write to it freely.
pub fn demo_db() -> DemoDb {
    let t = &*TEMPLATE;
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, perms) in &t.files {
        let to = dir.path().join(name);
        std::fs::write(&to, bytes).unwrap();
        std::fs::set_permissions(&to, perms.clone()).unwrap();
    }
    let path = dir.path().join("duty.db");
    DemoDb {
        dir,
        path,
        operator: t.operator.clone(),
    }
}

/// Builds the demo town on a fresh temp-file database at `at` (a build of its own, for a test
/// that needs another instant than [`NOW`]; [`demo_db`] copies the shared build).
pub fn demo_db_at(at: DateTime<Utc>) -> DemoDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("duty.db");
    let operator = duty_desk::demo::build_at(&path, at).unwrap();
    DemoDb {
        dir,
        path,
        operator,
    }
}

/// The demo's duty leader: the CLI's operator unless a test passes `--operator`.
pub const DUTY_LEADER: &str = "罗承志";

/// The CLI binary with the test clock, language and database set, run as the duty leader
/// (`DUTY_DESK_OPERATOR`; a test that needs another operator passes `--operator`).
pub fn cli(db: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("duty-desk").unwrap();
    c.env("DUTY_DESK_NOW", NOW)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("DUTY_DESK_OPERATOR", DUTY_LEADER)
        .env_remove("DUTY_DESK_DB")
        // no settings file from the machine running the tests
        .env(
            "XDG_CONFIG_HOME",
            db.parent().unwrap_or(Path::new("/nonexistent")),
        )
        .arg("--db")
        .arg(db);
    c
}

/// A console model on `db` with a snapshot read at the test clock.
pub fn model(db: &Path, lang: Lang, operator: &str) -> Model {
    model_at(db, lang, operator, now())
}

/// A console model on `db` with a snapshot read at `at`.
pub fn model_at(db: &Path, lang: Lang, operator: &str, at: DateTime<Utc>) -> Model {
    let store = Store::open(db).unwrap();
    let t = Arc::new(town::load(store.conn()).unwrap());
    let mut m = Model::new(lang, t.clone(), operator.to_string(), at);
    // everything every screen shows, the call list too (the console reads it only while
    // its screen is shown; tests switch screens with `show`, which reads nothing)
    let view = View {
        people: true,
        ..View::default()
    };
    let s = snapshot::load(store.conn(), &t, &view, at).unwrap();
    update(&mut m, Action::Loaded(Box::new(s)));
    m
}

/// Re-reads the model's snapshot for its current view (after a write or a view change).
pub fn reload(m: &mut Model, db: &Path) {
    let store = Store::open(db).unwrap();
    let view = View {
        people: true,
        ..m.view
    };
    let s = snapshot::load(store.conn(), &m.town, &view, m.now).unwrap();
    update(m, Action::Loaded(Box::new(s)));
}

/// Renders the model into a `w`×`h` test terminal and returns its text.
pub fn render(m: &Model, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| duty_desk::ui::draw(f, m)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Switches the model to a screen.
pub fn show(m: &mut Model, screen: Screen) {
    m.screen = screen;
    // as the console's reducer does: the call list is read while its screen is shown
    m.view.people = screen == Screen::People;
}

/// Sends a key to the model (no effects are run).
pub fn key(m: &mut Model, code: crossterm::event::KeyCode) -> Vec<duty_desk::app::Effect> {
    update(
        m,
        Action::Key(crossterm::event::KeyEvent::new(
            code,
            crossterm::event::KeyModifiers::NONE,
        )),
    )
}
