//! Opening files safely (issue 12): a file given as `--db` that is not a duty-desk database
//! is refused (exit 2, naming it) and left byte for byte as it was, companions included;
//! read commands never change a real database; a killed `init` leaves nothing half-built.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duty_desk::store::open::{APPLICATION_ID, current_schema_version};
use rusqlite::Connection;

/// Every file in `dir` with its bytes: a created `-wal`/`-shm` shows as a difference.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// The commands a wrong file is tried with: reads, writes, the rules and the console.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["vehicles"],
        vec!["report"],
        vec!["report", "--format", "json"],
        vec!["log", "add", "a note"],
        vec!["log", "list"],
        vec!["transport", "list", "--format", "json"],
        vec!["escalation", "list"],
        vec!["handover", "show"],
        vec!["upgrade"],
        vec!["import", "reports", "/nonexistent/reports.csv", "--dry-run"],
        vec!["report", "sign"],
        vec![
            "transport",
            "request",
            "--village",
            "V01",
            "--patient",
            "x",
            "--severity",
            "stable",
            "--to",
            "DH",
        ],
        vec!["transport", "dispatch", "1"],
        vec![
            "stock",
            "set",
            "--place",
            "HC1",
            "--item",
            "drug_packs",
            "--quantity",
            "5",
        ],
        vec!["stock", "list"],
        vec!["handover", "sign", "--incoming", "罗承志"],
        vec!["staff", "set-pin", "罗承志"],
        // no subcommand: the console, refused before it takes the terminal
        vec![],
    ]
}

/// Runs every command on `db` and checks each is refused with exit 2 naming the file,
/// with every file in the folder unchanged; `expect` must appear in the message too.
fn refused_untouched(db: &Path, expect: &str) {
    let dir = db.parent().unwrap();
    let before = files(dir);
    for args in commands() {
        let out = common::cli(db).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&db.display().to_string()),
            "{args:?}: message names the file: {stderr}"
        );
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("database:"),
            "{args:?}: plain words: {stderr}"
        );
        assert_eq!(files(dir), before, "{args:?} changed the folder");
    }
}

#[test]
fn an_empty_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.txt");
    std::fs::write(&db, b"").unwrap();
    refused_untouched(&db, "empty file");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
}

#[test]
fn bytes_that_are_not_sqlite_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, says) in [
        ("short.db", b"hello".to_vec(), "not a duty-desk database"),
        (
            "long.db",
            b"not a database\0\x01\x02".repeat(40),
            "not a duty-desk database",
        ),
        // SQLite's magic with nonsense after it (its application id reads 0xFFFFFFFF)
        (
            "magic.db",
            [b"SQLite format 3\0".as_slice(), &[0xFF; 300]].concat(),
            "left untouched",
        ),
        // SQLite's magic, application id 0, a broken rest
        (
            "broken.db",
            [b"SQLite format 3\0".as_slice(), &[0; 84], &[0xFF; 400]].concat(),
            "cannot be read",
        ),
    ] {
        let db = dir.path().join(name);
        std::fs::write(&db, &bytes).unwrap();
        refused_untouched(&db, says);
        assert_eq!(std::fs::read(&db).unwrap(), bytes);
    }
}

#[test]
fn a_cut_off_duty_desk_database_is_refused_untouched() {
    let demo = common::demo_db();
    let whole = std::fs::read(&demo.path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cut.db");
    // our header (application id and all), then nothing readable
    std::fs::write(&db, &whole[..1024]).unwrap();
    refused_untouched(&db, "damaged or cut off");
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("folder.db");
    std::fs::create_dir(&db).unwrap();
    refused_untouched(&db, "not a file");
}

/// Another program's SQLite file: its own tables (one even named `town`), its own version.
fn foreign(path: &Path, wal: bool, app_id: i32) -> Connection {
    let c = Connection::open(path).unwrap();
    if wal {
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    c.execute_batch(
        "CREATE TABLE town (name TEXT); INSERT INTO town VALUES ('elsewhere');
         CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
         INSERT INTO notes (body) VALUES ('mine');
         PRAGMA user_version = 2;",
    )
    .unwrap();
    c.pragma_update(None, "application_id", app_id).unwrap();
    c
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.sqlite");
    drop(foreign(&db, false, 0));
    refused_untouched(&db, "another program");
    let c = Connection::open(&db).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let tables: i64 = c
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!((v, tables), (2, 2), "no table added, version kept");
}

#[test]
fn another_programs_town_and_audit_tables_are_not_taken_for_ours() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("council.sqlite");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE town (id INTEGER PRIMARY KEY, mayor TEXT);
         CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT, what TEXT);
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(c);
    refused_untouched(&db, "another program");
}

#[test]
fn a_sqlite_file_with_another_application_id_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fossil.db");
    drop(foreign(&db, false, 0x0F05_51C0));
    refused_untouched(&db, "another program");
}

#[test]
fn a_foreign_wal_database_is_refused_untouched_closed_or_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wal.sqlite");
    drop(foreign(&db, true, 0));
    assert!(!common_companion(&db, "-wal").exists());
    refused_untouched(&db, "another program");
    // in use by its own program: -wal and -shm exist and must not be touched either
    let owner = Connection::open(&db).unwrap();
    owner
        .execute("INSERT INTO notes (body) VALUES ('still writing')", [])
        .unwrap();
    assert!(common_companion(&db, "-wal").exists());
    refused_untouched(&db, "another program");
    drop(owner);
}

fn common_companion(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// A demo database closed cleanly (no -wal left), then changed by `sql`.
fn demo_changed(sql: &str) -> (common::DemoDb, PathBuf) {
    let demo = common::demo_db();
    let c = Connection::open(&demo.path).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    let path = demo.path.clone();
    assert!(!common_companion(&path, "-wal").exists());
    (demo, path)
}

#[test]
fn a_database_from_a_newer_schema_names_both_versions_and_is_untouched() {
    let (_demo, db) = demo_changed("PRAGMA user_version = 99;");
    let current = current_schema_version();
    refused_untouched(&db, "schema version 99");
    let out = common::cli(&db).arg("vehicles").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("up to {current}")), "{stderr}");
    assert!(!stderr.to_lowercase().contains("migration"), "{stderr}");
    // and in Chinese
    let out = common::cli(&db)
        .args(["--lang", "zh", "vehicles"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("更新版本") && stderr.contains("99"),
        "{stderr}"
    );
}

#[test]
fn a_reset_schema_version_is_a_plain_message_not_sql() {
    let (_demo, db) = demo_changed("PRAGMA user_version = 0;");
    refused_untouched(&db, "schema version reads 0");
    let out = common::cli(&db)
        .arg("log")
        .arg("add")
        .arg("x")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("CREATE"), "no SQL dump: {stderr}");
}

#[test]
fn a_version_set_back_by_hand_is_a_plain_message_and_changes_nothing() {
    // version 1 claimed, but the later tables are there: the upgrade cannot fit
    let (_demo, db) = demo_changed("PRAGMA user_version = 1;");
    let bytes = std::fs::read(&db).unwrap();
    let out = common::cli(&db).args(["log", "add", "x"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("do not match"), "{stderr}");
    assert!(
        !stderr.contains("CREATE") && !stderr.contains("already exists"),
        "{stderr}"
    );
    assert!(std::fs::read(&db).unwrap() == bytes);
    assert_eq!(ids(&db), (APPLICATION_ID, 1), "not stamped, not migrated");
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn read_commands_leave_a_real_database_unmodified() {
    let demo = common::demo_db();
    let db = &demo.path;
    let bytes = std::fs::read(db).unwrap();
    let when = mtime(db);
    std::thread::sleep(std::time::Duration::from_millis(20));
    for args in [
        vec!["vehicles"],
        vec!["vehicles", "--format", "json"],
        vec!["report"],
        vec!["report", "--format", "json"],
        vec!["transport", "list", "--all", "--format", "json"],
        vec!["log", "list"],
        vec!["handover", "show"],
        vec!["stock", "list"],
        vec!["config", "show"],
    ] {
        let out = common::cli(db).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::read(db).unwrap() == bytes,
            "{args:?} changed the file"
        );
        assert_eq!(mtime(db), when, "{args:?} touched the file");
    }
}

/// A database as the first round made it: built from the first round's two migrations
/// only (so every later migration really runs on it), a small town, no application id,
/// schema version 2.
fn first_round() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("first-round.db");
    let c = Connection::open(&db).unwrap();
    c.execute_batch(include_str!("../../src/store/schema.sql"))
        .unwrap();
    c.execute_batch(include_str!("../../src/store/schema_002_day_totals.sql"))
        .unwrap();
    c.execute_batch(
        "INSERT INTO town (id, name, name_en, utc_offset, report_cutoff, shift_start)
             VALUES (1, '青石镇', 'Qingshi Town', '+08:00', '10:00', '08:30');
         INSERT INTO health_center (code, name, beds, seq) VALUES ('HC1', '青石镇卫生院', 20, 1);
         INSERT INTO village (code, name, population, health_center, seq)
             VALUES ('V01', '石桥社区', 1200, 'HC1', 1);
         INSERT INTO staff (name, role, seq) VALUES ('罗承志', 'duty_leader', 1);
         INSERT INTO vehicle (code, kind, base_hc, status_since, seq)
             VALUES ('AMB1', 'ambulance', 'HC1', '2026-11-26T00:00:00Z', 1);
         INSERT INTO audit (at, operator, action, subject, detail)
             VALUES ('2026-11-26T00:00:00Z', '罗承志', 'init', 'town', '{}');
         PRAGMA user_version = 2; PRAGMA application_id = 0;",
    )
    .unwrap();
    c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(c);
    (dir, db)
}

fn ids(db: &Path) -> (i32, i64) {
    let c = Connection::open(db).unwrap();
    let id: i32 = c
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    (id, v)
}

#[test]
fn an_older_database_is_read_after_an_upgrade_and_never_by_a_read_command() {
    let (_demo, db) = first_round();
    let bytes = std::fs::read(&db).unwrap();
    let out = common::cli(&db).arg("vehicles").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("duty-desk upgrade"), "{stderr}");
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "a read never migrates"
    );
    assert_eq!(ids(&db), (0, 2));
    common::cli(&db).arg("upgrade").assert().success();
    assert_eq!(ids(&db), (APPLICATION_ID, current_schema_version()));
    common::cli(&db).arg("vehicles").assert().success();
    common::cli(&db)
        .arg("upgrade")
        .assert()
        .success()
        .stdout(predicates::str::contains("up to date"));
}

#[test]
fn a_first_round_database_is_recognised_and_stamped_by_a_write() {
    let (_demo, db) = first_round();
    common::cli(&db)
        .args(["log", "add", "after the upgrade"])
        .assert()
        .success();
    assert_eq!(ids(&db), (APPLICATION_ID, current_schema_version()));
    common::cli(&db)
        .args(["log", "list"])
        .assert()
        .success()
        .stdout(predicates::str::contains("after the upgrade"));
}

#[test]
fn init_refuses_to_place_a_database_beside_a_leftover_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    std::fs::write(
        common_companion(&db, "-wal"),
        b"frames of a deleted database",
    )
    .unwrap();
    common::cli(&db)
        .args(["init", "--demo"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("duty.db-wal is left over"));
    assert!(!db.exists());
}

#[test]
fn a_new_database_carries_the_application_id() {
    let demo = common::demo_db();
    assert_eq!(ids(&demo.path), (APPLICATION_ID, current_schema_version()));
}

/// Removes a database and the companions a reader may have left.
fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(common_companion(db, suffix));
    }
}

/// A tiny deterministic generator for the kill moments.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_killed_init_leaves_nothing_or_a_whole_database_and_never_blocks_a_new_one() {
    let town = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/town.toml");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    let mut rng = Lcg(12);
    let (mut none, mut whole, mut temps) = (0, 0, 0);
    // kills land up to `window` µs after the start; a slow, loaded machine may not finish
    // an init within 90 ms, so the window widens until every outcome has been seen
    let mut window = 90_000;
    let mut round = 0;
    while round < 40 || (round < 400 && !(none > 0 && whole > 0 && temps > 0)) {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("duty-desk"))
            .env("DUTY_DESK_NOW", common::NOW)
            .env("DUTY_DESK_OPERATOR", common::DUTY_LEADER)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("DUTY_DESK_LOG_DIR", dir.path().join("logs"))
            .arg("--db")
            .arg(&db)
            .arg("init")
            .arg("--town")
            .arg(&town)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(rng.below(window)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if db.exists() {
            // whatever is there is a whole town: it opens and lists its vehicles
            whole += 1;
            let out = common::cli(&db).arg("vehicles").output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter(|l| l.starts_with("AMB") || l.starts_with("RC"))
                    .count(),
                15,
                "round {round}: every vehicle is there"
            );
            remove_db(&db);
        } else {
            none += 1;
            assert!(!common_companion(&db, "-wal").exists(), "round {round}");
        }
        temps += std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name.starts_with(".duty.db.init-")
                    && !name.ends_with("-wal")
                    && !name.ends_with("-shm")
            })
            .count();
        // nothing left behind blocks a new init
        common::cli(&db)
            .arg("init")
            .arg("--town")
            .arg(&town)
            .assert()
            .success();
        remove_db(&db);
        round += 1;
        if round % 10 == 0 && whole == 0 {
            window *= 2;
        }
    }
    // a killed init's temporary file is swept by the next init
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".duty.db.init-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    eprintln!(
        "{round} killed inits: {none} left nothing, {whole} a whole database, {temps} killed mid-build"
    );
    // the loop saw both outcomes, so it tested what it claims to
    assert!(
        none > 0 && whole > 0 && temps > 0,
        "none {none}, whole {whole}, killed mid-build {temps}"
    );
}

#[test]
fn a_full_disk_is_named_as_such_in_both_languages() {
    use duty_desk::domain::shift::LogCategory;
    use duty_desk::i18n::Lang;
    use duty_desk::store::{Ctx, Store, shiftlog};
    let demo = common::demo_db();
    let mut store = Store::open(&demo.path).unwrap();
    // SQLite answers SQLITE_FULL when the file may not grow: the disk is "full"
    let pages: i64 = store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let ctx = Ctx {
        operator: common::DUTY_LEADER.into(),
        now: common::now(),
    };
    let long = "x".repeat(3000);
    let err = (0..200)
        .find_map(|_| {
            store
                .write(&ctx, |w| shiftlog::add_entry(w, LogCategory::Note, &long))
                .err()
        })
        .expect("the file cannot grow");
    let en = err.render(Lang::En);
    assert!(en.contains("disk holding the database is full"), "{en}");
    assert!(!en.contains("database:") && !en.contains("I/O"), "{en}");
    assert!(err.render(Lang::Zh).contains("磁盘已满"));
}

#[test]
fn a_database_that_cannot_be_written_is_named_in_plain_words() {
    use duty_desk::domain::shift::LogCategory;
    use duty_desk::i18n::Lang;
    use duty_desk::store::{Ctx, Store, shiftlog};
    let demo = common::demo_db();
    let mut store = Store::open_read(&demo.path).unwrap();
    let ctx = Ctx {
        operator: common::DUTY_LEADER.into(),
        now: common::now(),
    };
    let err = store
        .write(&ctx, |w| shiftlog::add_entry(w, LogCategory::Note, "x"))
        .unwrap_err();
    let en = err.render(Lang::En);
    assert!(en.contains("cannot be written"), "{en}");
    assert!(
        en.contains("read-only") && !en.contains("database:"),
        "{en}"
    );
    assert!(err.render(Lang::Zh).contains("无法写入"));
}

#[cfg(unix)]
#[test]
fn diagnostics_logs_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let demo = common::demo_db();
    let logs = demo.dir.path().join("new/logs");
    common::cli(&demo.path)
        .env("DUTY_DESK_LOG_DIR", &logs)
        .args(["log", "add", "a line for the log"])
        .assert()
        .success();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&logs), 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty(), "a write command logs a line");
    for f in files {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

#[test]
fn a_database_whose_name_holds_uri_characters_opens() {
    let demo = common::demo_db();
    let odd = demo.dir.path().join("town ?#% 镇.db");
    std::fs::rename(&demo.path, &odd).unwrap();
    common::cli(&odd).arg("vehicles").assert().success();
    common::cli(&odd)
        .args(["log", "add", "x"])
        .assert()
        .success();
}
