//! Prints duty-desk's speed and memory figures on a generated database
//! (`BENCH_ONLY=people`: only the key-population figures of issue 15; `BENCH_ONLY=quick`:
//! only the report, `escalation list`, the town history and a deep Shift log page).
//!
//! ```sh
//! cargo build --release --bins --examples
//! cargo run --release --example generate -- --db /tmp/county.db --villages 200 --days 1095
//! cargo run --release --example generate -- --db /tmp/small.db --villages 10 --days 30
//! cargo run --release --example bench -- /tmp/county.db /tmp/small.db
//! ```
//!
//! Each figure is a median over repeated runs. The whole-process figures use the release
//! binary next to this example (`$CARGO_TARGET_DIR`, else the bench's own target
//! directory, else `cargo metadata`'s). `bench --console DB…` times only the console's
//! first frame and peak memory. When `sqlite3` is on the PATH the bench runs the
//! reference work with it in the same run and prints each figure as a ratio against it
//! (machines differ; ratios measured side by side hold better); when it is not, it says so.
#![deny(clippy::unwrap_used, clippy::expect_used)]
// a test or a measuring program reads best as one story from set-up to check: the
// function-length limit (clippy.toml, issue 20) is for the desk's own code
#![allow(clippy::too_many_lines)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use duty_desk::app::{Action, Model, Screen, update};
use duty_desk::i18n::Lang;
use duty_desk::store::snapshot::{self, View};
use duty_desk::store::{Store, town};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: &str = "2026-11-26T10:30:00+08:00";
/// The generator's first staff member, a duty leader.
const OPERATOR: &str = "值班员001";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The release directory holding `duty-desk` and `examples/generate`.
fn release_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(d) = std::env::var_os("CARGO_TARGET_DIR") {
            return PathBuf::from(d).join("release");
        }
        // this example runs from <target>/release/examples/bench
        if let Some(d) = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent()?.parent().map(Path::to_path_buf))
            && d.join("duty-desk").exists()
        {
            return d;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .and_then(|v| v["target_directory"].as_str().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
            .join("release")
    })
    .clone()
}

fn binary() -> PathBuf {
    release_dir().join("duty-desk")
}

/// Whether the sqlite3 CLI answers (`sqlite3 -version`).
fn have_sqlite3() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs `cmd` (stdout discarded) and returns its wall time and, when `/usr/bin/time` is
/// there, its peak resident memory in kB.
fn run_measured(program: &Path, args: &[&str], stdin: Option<&Path>) -> (Duration, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    let rss_file = std::env::temp_dir().join(format!("duty-desk-bench-rss-{}", std::process::id()));
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o"]).arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .env("DUTY_DESK_NOW", NOW)
        .env("DUTY_DESK_OPERATOR", OPERATOR)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some(f) = stdin
        && let Ok(file) = std::fs::File::open(f)
    {
        cmd.stdin(file);
    }
    let t = Instant::now();
    let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
    let el = t.elapsed();
    if !ok {
        eprintln!("failed: {} {}", program.display(), args.join(" "));
    }
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    let _ = std::fs::remove_file(&rss_file);
    (el, rss)
}

/// Median time and the largest peak memory over `runs` runs.
fn measured(program: &Path, args: &[&str], runs: usize) -> (Duration, Option<u64>) {
    let results: Vec<_> = (0..runs)
        .map(|_| run_measured(program, args, None))
        .collect();
    let peak = results.iter().filter_map(|r| r.1).max();
    (median(results.iter().map(|r| r.0).collect()), peak)
}

fn ratio(ours: Duration, reference: Option<Duration>) -> String {
    match reference {
        Some(r) if !r.is_zero() => format!(
            "{} vs sqlite3 {} = {:.2}x",
            ms(ours),
            ms(r),
            ours.as_secs_f64() / r.as_secs_f64()
        ),
        _ => ms(ours),
    }
}

/// Whether `perf stat` can count a child's CPU time here (`perf` installed and allowed).
fn have_perf() -> bool {
    cpu_time(Path::new("true"), &[], 1).is_some()
}

/// The mean CPU time (task-clock: user + system, every thread) of `runs` runs of the
/// program, by `perf stat -r`. CPU time is what a loaded machine disturbs least: other
/// processes lengthen the wall clock, not the work done (issue 18).
fn cpu_time(program: &Path, args: &[&str], runs: usize) -> Option<Duration> {
    let out = Command::new("perf")
        .args([
            "stat",
            "-x,",
            "-e",
            "task-clock",
            "-r",
            &runs.to_string(),
            "--",
        ])
        .arg(program)
        .args(args)
        .env("DUTY_DESK_NOW", NOW)
        .env("DUTY_DESK_OPERATOR", OPERATOR)
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.contains("task-clock"))?;
    let msec: f64 = line.split(',').next()?.trim().parse().ok()?;
    Some(Duration::from_secs_f64(msec / 1000.0))
}

/// "CPU time X vs sqlite3 Y = r" for `ours` and sqlite3 running `sqlite_args`.
fn cpu_ratio(ours: &[&str], sqlite_args: &[&str], runs: usize) -> String {
    let Some(mine) = cpu_time(&binary(), ours, runs) else {
        return "CPU time: perf stat unavailable".into();
    };
    let reference = cpu_time(Path::new("sqlite3"), sqlite_args, runs);
    format!("CPU time {}", ratio(mine, reference))
}

fn mb(kb: Option<u64>) -> String {
    kb.map(|k| format!("{:.1} MB", k as f64 / 1024.0))
        .unwrap_or_else(|| "? MB".into())
}

/// The report's query work in sqlite3: the day's rows and their totals, and (since issue
/// 15) the follow-up section: the week's key-population people and counted contacts by
/// village and level (ISO week 47, Monday 16 to Sunday 22 November in town time, UTC+8).
const REPORT_SQL: &str = "SELECT * FROM daily_report WHERE date = '2026-11-20' ORDER BY village;
SELECT COUNT(*), SUM(new_infections), SUM(cumulative_infections), SUM(outpatients),
  SUM(inpatients), SUM(severe), SUM(deaths), SUM(emergency_visits), SUM(referrals)
  FROM daily_report WHERE date = '2026-11-20';
SELECT * FROM daily_report WHERE date = '2026-11-19' ORDER BY village;
SELECT p.village, p.level, COUNT(*), COALESCE(SUM(c.n), 0) FROM person p
  LEFT JOIN (SELECT person, COUNT(*) AS n FROM person_contact INDEXED BY person_contact_by_at
             WHERE at >= '2026-11-15T16:00:00Z' AND at < '2026-11-22T16:00:00Z'
               AND outcome <> 'unreachable' GROUP BY person) c ON c.person = p.id
  WHERE p.retired = 0 GROUP BY p.village, p.level;";

/// Every transport, newest first, as JSON.
const TRANSPORTS_SQL: &str = "SELECT * FROM transport ORDER BY requested_at DESC, id DESC;";

/// Every escalation, as JSON.
const ESCALATIONS_SQL: &str = "SELECT * FROM escalation ORDER BY state = 'resolved', due, id;";

/// The listings: whole process time and peak memory, against sqlite3 doing the same query.
fn listings(db: &Path, sqlite: bool) {
    let d = db.display().to_string();
    let cases: [(&str, Vec<&str>, &str); 4] = [
        (
            "transport list --all --format json",
            vec!["transport", "list", "--all", "--format", "json"],
            TRANSPORTS_SQL,
        ),
        (
            "escalation list --all --format json",
            vec!["escalation", "list", "--all", "--format", "json"],
            ESCALATIONS_SQL,
        ),
        (
            "audit list --format json",
            vec!["audit", "list", "--format", "json"],
            "SELECT * FROM audit ORDER BY id;",
        ),
        // text: sqlite3's own list mode, one line a row
        (
            "audit list (text)",
            vec!["audit", "list"],
            "SELECT id, at, operator, action, subject, detail FROM audit ORDER BY id;",
        ),
    ];
    for (name, args, sql) in cases {
        let mut full = vec!["--db", d.as_str()];
        let mode = if args.contains(&"json") {
            "-json"
        } else {
            "-list"
        };
        full.extend(args);
        let (t, rss) = measured(&binary(), &full, 3);
        let reference = sqlite.then(|| measured(Path::new("sqlite3"), &[mode, d.as_str(), sql], 3));
        println!(
            "{name} (median of 3): {}, peak {}{}",
            ratio(t, reference.map(|r| r.0)),
            mb(rss),
            reference
                .map(|r| format!(" (sqlite3 peak {})", mb(r.1)))
                .unwrap_or_default()
        );
    }
}

/// `escalation list` (the rules run first) as a whole process.
fn escalation_list(db: &Path, sqlite: bool) {
    let d = db.display().to_string();
    let (t, _) = measured(
        &binary(),
        &["--db", &d, "escalation", "list", "--format", "json"],
        11,
    );
    let reference = sqlite.then(|| {
        measured(
            Path::new("sqlite3"),
            &[
                "-json",
                d.as_str(),
                "SELECT * FROM escalation WHERE state <> 'resolved' ORDER BY due, id;",
            ],
            11,
        )
        .0
    });
    println!(
        "escalation list --format json, rules first (median of 11): {}",
        ratio(t, reference)
    );
    if sqlite && have_perf() {
        println!(
            "escalation list --format json, rules first, {} (perf stat, mean of 11)",
            cpu_ratio(
                &["--db", &d, "escalation", "list", "--format", "json"],
                &[
                    "-json",
                    d.as_str(),
                    "SELECT * FROM escalation WHERE state <> 'resolved' ORDER BY due, id;",
                ],
                11,
            )
        );
    }
    let open: usize = Store::open(db)
        .ok()
        .and_then(|s| duty_desk::store::escalations::open_escalations(s.conn()).ok())
        .map_or(0, |v| v.len());
    println!("(open escalations listed: {open})");
}

/// The town popup's change history (`town_history`, read while the popup is open) and a
/// page of the Shift log deep in the open shift (`log_page`), in process (issue 18).
fn history_and_pages(db: &Path) {
    let Ok(store) = Store::open(db) else {
        return;
    };
    let times: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            let _ = town::town_history(store.conn(), snapshot::TOWN_HISTORY);
            t.elapsed()
        })
        .collect();
    println!(
        "town change history popup, read in process (median of 21): {}",
        ms(median(times))
    );
    let Ok(shift) = duty_desk::store::shiftlog::current_shift_start(store.conn(), now()) else {
        return;
    };
    let total = duty_desk::store::shiftlog::count_entries(store.conn(), shift).unwrap_or(0);
    let page = |p| {
        duty_desk::store::shiftlog::log_page(store.conn(), shift, p, snapshot::LOG_WINDOW, total)
    };
    use duty_desk::store::shiftlog::LogPage;
    // the entry halfway through the open shift (found once here by OFFSET; the console
    // reaches it page by page, each page a keyset range)
    let Ok(mid) = store.conn().query_row(
        "SELECT id FROM log_entry WHERE shift_start = ?1 ORDER BY at, id LIMIT 1 OFFSET ?2",
        rusqlite::params![
            duty_desk::domain::time::to_db(shift),
            i64::try_from(total / 2).unwrap_or(0)
        ],
        |r| r.get::<_, i64>(0),
    ) else {
        return;
    };
    let times: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            let _ = page(LogPage::Until(mid));
            t.elapsed()
        })
        .collect();
    println!(
        "shift log page halfway through the open shift of {total} entries (median of 21): {}",
        ms(median(times))
    );
}

/// The call list's query work in sqlite3 (issue 15): every person with their next due date
/// (last contact in town time + the level's interval, else the import date) and the
/// week's counted contacts, those due on the day, as JSON.
const PEOPLE_DUE_SQL: &str = "SELECT * FROM (SELECT p.id, p.village, p.name, p.age, p.level,
  p.cadre, p.doctor, p.phone, p.last_contact,
  coalesce(date(p.last_contact, '+8 hours', '+' || (7 / CASE p.level WHEN 'red' THEN 3
    WHEN 'yellow' THEN 2 ELSE 1 END) || ' days'), p.imported_on) AS next_due,
  (SELECT COUNT(*) FROM person_contact c WHERE c.person = p.id
     AND c.at >= '2026-11-22T16:00:00Z' AND c.at < '2026-11-29T16:00:00Z'
     AND c.outcome <> 'unreachable') AS contacts_this_week
  FROM person p WHERE p.retired = 0) WHERE next_due <= '2026-11-26'
  ORDER BY village, level, id;";

/// `people due` (issue 15): the call list loaded in process (the console's need, goal
/// under 10 ms at 10,000 people), and `people due --format json` as a whole process
/// against sqlite3 doing the same query.
fn people_due(db: &Path, sqlite: bool) {
    let Ok(store) = Store::open(db) else {
        return;
    };
    let Ok(t) = town::load(store.conn()) else {
        return;
    };
    let date = duty_desk::domain::time::local_date(now(), t.info.offset);
    use duty_desk::store::people::{CallListCache, call_list, due, standings};
    let (wall, cpu, n) = timed(21, || {
        call_list(store.conn(), &t, date).map_or(0, |v| v.len())
    });
    println!(
        "call list loaded in process ({n} due, with details and pinyin; goal under 10 ms) (median of 21): {}, on the CPU (mean) {}",
        ms(wall),
        ms(cpu)
    );
    let (wall, cpu, n) = timed(21, || due(store.conn(), &t, date).map_or(0, |v| v.len()));
    println!(
        "people due / the overdue_contact rule's read ({n} due) (median of 21): {}, on the CPU (mean) {}",
        ms(wall),
        ms(cpu)
    );
    let (wall, cpu, n) = timed(21, || {
        standings(store.conn(), &t, date).map_or(0, |v| v.len())
    });
    println!(
        "whole register's standings ({n} people, people list) (median of 21): {}, on the CPU (mean) {}",
        ms(wall),
        ms(cpu)
    );
    let mut cache = CallListCache::default();
    let _ = cache.get(store.conn(), &t, date);
    let (wall, cpu, _) = timed(21, || {
        cache.get(store.conn(), &t, date).map_or(0, |v| v.len())
    });
    println!(
        "console call list on a refresh with nothing changed (cached, median of 21): {}, on the CPU (mean) {}",
        ms(wall),
        ms(cpu)
    );
    let d = db.display().to_string();
    let (ours, _) = measured(
        &binary(),
        &["--db", &d, "people", "due", "--format", "json"],
        11,
    );
    let reference = sqlite.then(|| {
        measured(
            Path::new("sqlite3"),
            &["-json", d.as_str(), PEOPLE_DUE_SQL],
            11,
        )
        .0
    });
    println!(
        "people due --format json, whole process (median of 11): {}",
        ratio(ours, reference)
    );
}

/// This thread's time on the CPU so far (`/proc/thread-self/schedstat`, nanoseconds): on a
/// busy machine the wall time of a read counts the time it waited for a core too.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Runs `f` `runs` times: the median wall time, the mean time on the CPU (the kernel
/// counts it by scheduler ticks, so only a sum over the runs is exact enough), and what the
/// last run returned.
fn timed(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let (mut wall, mut n) = (Vec::new(), 0);
    let cpu = cpu_now();
    for _ in 0..runs {
        let w = Instant::now();
        n = f();
        wall.push(w.elapsed());
    }
    let cpu = cpu_now().saturating_sub(cpu) / runs.max(1) as u32;
    (median(wall), cpu, n)
}

/// The same report's query work by the sqlite3 CLI.
fn report_reference(db: &Path, runs: usize) -> Duration {
    let d = db.display().to_string();
    measured(
        Path::new("sqlite3"),
        &["-json", d.as_str(), REPORT_SQL],
        runs,
    )
    .0
}

/// The report's CPU time against sqlite3's doing the same query work (`perf stat`).
fn report_cpu(db: &Path, sqlite: bool) {
    if !(sqlite && have_perf()) {
        println!("report CPU time: needs sqlite3 and perf stat (no CPU-time ratio)");
        return;
    }
    let d = db.display().to_string();
    println!(
        "report --format json, {} (perf stat, mean of 40)",
        cpu_ratio(
            &[
                "--db",
                &d,
                "report",
                "--date",
                "2026-11-20",
                "--format",
                "json"
            ],
            &["-json", d.as_str(), REPORT_SQL],
            40,
        )
    );
}

/// `duty-desk report --date D --format json` as a whole process.
fn report_process(db: &Path, runs: usize) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new(binary())
                    .env("DUTY_DESK_NOW", NOW)
                    .args(["--db"])
                    .arg(db)
                    .args(["report", "--date", "2026-11-20", "--format", "json"])
                    .output();
                let el = t.elapsed();
                if !out.map(|o| o.status.success()).unwrap_or(false) {
                    eprintln!("report failed on {}", db.display());
                }
                el
            })
            .collect(),
    )
}

fn model(db: &Path) -> (Model, Store) {
    let store = Store::open(db).unwrap_or_else(|e| panic!("{e}"));
    let t = Arc::new(town::load(store.conn()).unwrap_or_else(|e| panic!("{e}")));
    let mut m = Model::new(Lang::En, t.clone(), "bench".into(), now());
    // everything every screen draws, the call list too (the console reads it only while
    // the Key populations screen is shown)
    let view = View {
        people: true,
        ..View::default()
    };
    let s = snapshot::load(store.conn(), &t, &view, now()).unwrap_or_else(|e| panic!("{e}"));
    update(&mut m, Action::Loaded(Box::new(s)));
    (m, store)
}

/// Each screen drawn to a 200×50 test terminal: median per frame.
fn render_screens(db: &Path) -> Vec<(Screen, Duration)> {
    let (mut m, _store) = model(db);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap_or_else(|e| panic!("{e}"));
    Screen::ALL
        .iter()
        .map(|s| {
            m.screen = *s;
            let times = (0..200)
                .map(|_| {
                    let t = Instant::now();
                    let _ = term.draw(|f| duty_desk::ui::draw(f, &m));
                    t.elapsed()
                })
                .collect();
            (*s, median(times))
        })
        .collect()
}

/// Reading a snapshot for another report day (what ← on screen 2 costs), and a refresh.
fn reload(db: &Path) -> (Duration, Duration) {
    let (m, store) = model(db);
    let day = (1..60)
        .map(|i| {
            let view = View {
                report_date: Some(now().date_naive() - chrono::Duration::days(i)),
                ..View::default()
            };
            let t = Instant::now();
            let _ = snapshot::load(store.conn(), &m.town, &view, now());
            t.elapsed()
        })
        .collect();
    let refresh = (0..60)
        .map(|_| {
            let t = Instant::now();
            let _ = snapshot::load(store.conn(), &m.town, &View::default(), now());
            t.elapsed()
        })
        .collect();
    (median(day), median(refresh))
}

/// The console's first complete frame and its peak memory, in a pseudo-terminal.
fn first_frame(db: &Path, runs: usize) -> (Duration, u64) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let pty = native_pty_system();
        let pair = match pty.openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        }) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("first frame: no pty: {e}");
                continue;
            }
        };
        let mut cmd = CommandBuilder::new(binary());
        cmd.args(["--db", &db.display().to_string(), "--operator", OPERATOR]);
        cmd.env("DUTY_DESK_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        let t = Instant::now();
        let mut child = match pair.slave.spawn_command(cmd) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("first frame: cannot start the console: {e}");
                continue;
            }
        };
        let pid = child.process_id();
        let Ok(mut reader) = pair.master.try_clone_reader() else {
            continue;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut parser = vt100::Parser::new(
                std::num::NonZero::new(50).unwrap_or(std::num::NonZero::<u16>::MIN),
                std::num::NonZero::new(200).unwrap_or(std::num::NonZero::<u16>::MIN),
                0,
            );
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.process(&buf[..n]);
                // the first frame with data: the availability panel has rows
                if parser
                    .screen()
                    .contents()
                    .contains("Availability per village")
                    && parser.screen().contents().contains("available")
                {
                    let _ = tx.send(Instant::now());
                    break;
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(seen) => times.push(seen - t),
            Err(_) => eprintln!("first frame: no complete frame within 10 s"),
        }
        std::thread::sleep(Duration::from_millis(1500));
        if let Some(pid) = pid
            && let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb);
        }
        let _ = child.kill();
    }
    (
        if times.is_empty() {
            Duration::ZERO
        } else {
            median(times)
        },
        peak,
    )
}

/// `import reports` of `rows` rows into a fresh database, as a whole process: rows per
/// second, and (with sqlite3) the time of sqlite3 writing the same rows into a copy of the
/// same database, plainly and with one audit row each.
fn import_rate(rows: usize, sqlite: bool) -> (f64, Option<(Duration, Duration)>, Duration) {
    let dir = std::env::temp_dir().join(format!("duty-desk-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("import.db");
    let villages = 200;
    let generated = Command::new(release_dir().join("examples/generate"))
        .args([
            "--db",
            &db.display().to_string(),
            "--villages",
            "200",
            "--days",
            "1",
        ])
        .output();
    if !generated.map(|o| o.status.success()).unwrap_or(false) {
        eprintln!("generate failed (build it with cargo build --release --examples)");
        return (0.0, None, Duration::ZERO);
    }
    let days = rows / villages;
    let mut csv = String::from(duty_desk::domain::report_csv::HEADER);
    csv.push('\n');
    // the same rows into a table shaped like daily_report (same key), without the
    // project's guard triggers: what sqlite3 alone costs to write them
    let table = "CREATE TABLE report_ref (date TEXT NOT NULL, village TEXT NOT NULL,
        new_infections INTEGER, cumulative_infections INTEGER, outpatients INTEGER,
        inpatients INTEGER, severe INTEGER, deaths INTEGER, emergency_visits INTEGER,
        referrals INTEGER, entered_at TEXT NOT NULL, entered_by TEXT NOT NULL,
        PRIMARY KEY (date, village)) WITHOUT ROWID;\n";
    let mut plain = format!("BEGIN;\n{table}");
    let mut audited = format!(
        "BEGIN;\n{table}CREATE TABLE audit_ref (id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL,
           action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL);\n"
    );
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    for d in 0..days {
        let date = start + chrono::Duration::days(d as i64);
        for v in 0..villages {
            let cum = d as i64 + 1;
            csv.push_str(&format!("{date},V{:04},1,{cum},2,0,0,0,0,0\n", v + 1));
            let insert = format!(
                "INSERT INTO report_ref (date, village, new_infections, cumulative_infections,
                   outpatients, inpatients, severe, deaths, emergency_visits, referrals,
                   entered_at, entered_by) VALUES ('{date}', 'V{:04}', 1, {cum}, 2, 0, 0, 0, 0, 0,
                   '2026-11-26T02:30:00Z', 'bench');\n",
                v + 1
            );
            plain.push_str(&insert);
            audited.push_str(&insert);
            audited.push_str(&format!(
                "INSERT INTO audit_ref (at, operator, action, subject, detail, hash) VALUES
                   ('2026-11-26T02:30:00Z', 'bench', 'report.import', 'report:{date}:V{:04}',
                   '{{\"new_infections\":1,\"cumulative_infections\":{cum}}}',
                   '0000000000000000000000000000000000000000000000000000000000000000');\n",
                v + 1
            ));
        }
    }
    plain.push_str("COMMIT;\n");
    audited.push_str("COMMIT;\n");
    let file = dir.join("rows.csv");
    let _ = std::fs::write(&file, csv);
    let reference = sqlite.then(|| {
        let run = |script: &str, name: &str| {
            let copy = dir.join(format!("{name}.db"));
            let sql = dir.join(format!("{name}.sql"));
            let _ = std::fs::copy(&db, &copy);
            let _ = std::fs::write(&sql, script);
            let d = copy.display().to_string();
            run_measured(Path::new("sqlite3"), &[d.as_str()], Some(&sql)).0
        };
        (run(&plain, "plain"), run(&audited, "audited"))
    });
    let d = db.display().to_string();
    let f = file.display().to_string();
    let (el, _) = run_measured(
        &binary(),
        &["--db", &d, "--operator", OPERATOR, "import", "reports", &f],
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    ((days * villages) as f64 / el.as_secs_f64(), reference, el)
}

/// What a person waits for in the console, end to end through the reducer and the store
/// as the store thread does it: a key, the rule pass (gated as in the console), the
/// snapshot for the new view, the reducer, and the frame drawn at 200×50.
fn console_waits(db: &Path) -> (Duration, Duration, Duration) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use duty_desk::app::Effect;
    use duty_desk::store::rules::{self, Gate, Marks};
    let (mut m, mut store) = model(db);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap_or_else(|e| panic!("{e}"));
    let mut gate = Gate::default();
    let ctx = duty_desk::store::Ctx {
        operator: "bench".into(),
        now: now(),
    };
    let mut press = |m: &mut Model, store: &mut Store, gate: &mut Gate, code, gated: bool| {
        let t = Instant::now();
        let effects = update(m, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        for e in effects {
            if let Effect::Reload(view) = e {
                let town = m.town.clone();
                if gated {
                    let _ = gate.run(store, &town, &ctx, Marks::Yes);
                } else {
                    let _ = rules::run(store, &town, &ctx, Marks::Yes);
                }
                if let Ok(s) = snapshot::load(store.conn(), &town, &view, now()) {
                    update(m, Action::Loaded(Box::new(s)));
                }
            }
        }
        let _ = term.draw(|f| duty_desk::ui::draw(f, m));
        t.elapsed()
    };
    m.screen = Screen::Report;
    let day: Vec<Duration> = (0..30)
        .map(|_| press(&mut m, &mut store, &mut gate, KeyCode::Left, true))
        .collect();
    let day_ungated: Vec<Duration> = (0..30)
        .map(|_| press(&mut m, &mut store, &mut gate, KeyCode::Right, false))
        .collect();
    let switch: Vec<Duration> = (0..30)
        .map(|_| press(&mut m, &mut store, &mut gate, KeyCode::Tab, true))
        .collect();
    (median(day), median(day_ungated), median(switch))
}

fn main() {
    let mut args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    // `--console DB…`: only the console's first frame and peak memory (a database generated
    // with `--no-sign-over`, whose open shift holds the whole history)
    let console_only = args.first().is_some_and(|a| a.as_os_str() == "--console");
    if console_only {
        args.remove(0);
    }
    // the console runs in a pseudo-terminal from another directory: paths made absolute
    let args: Vec<PathBuf> = args
        .into_iter()
        .map(|a| std::fs::canonicalize(&a).unwrap_or(a))
        .collect();
    if args.is_empty() {
        eprintln!("usage: bench BIG.db [SMALL.db] | bench --console DB…");
        std::process::exit(2);
    }
    if console_only {
        for db in &args {
            let (f, mem) = first_frame(db, 5);
            println!(
                "{}: console first complete frame (median of 5): {}, peak memory (VmHWM) {:.1} MB",
                db.display(),
                ms(f),
                mem as f64 / 1024.0
            );
            history_and_pages(db);
        }
        return;
    }
    let sqlite = have_sqlite3();
    if sqlite {
        println!(
            "sqlite3 found: each figure is also given as a ratio against sqlite3 doing the same work in this run"
        );
    } else {
        println!("sqlite3 is not on the PATH: no reference figures (install it for the ratios)");
    }
    println!("binaries: {}", release_dir().display());
    // `BENCH_ONLY=people`: only the key-population figures (issue 15), for a quick run
    if std::env::var("BENCH_ONLY").as_deref() == Ok("people") {
        for db in &args {
            println!("== {}", db.display());
            people_due(db, sqlite);
            for (s, d) in render_screens(db) {
                if s == Screen::People {
                    println!("render {s:?} at 200x50 (median of 200): {}", ms(d));
                }
            }
        }
        return;
    }
    // `BENCH_ONLY=quick`: the report's and escalation list's ratios (wall and CPU time),
    // the town history popup and a deep Shift log page, a minute on a county (issue 18)
    if std::env::var("BENCH_ONLY").as_deref() == Ok("quick") {
        for db in &args {
            println!("== {}", db.display());
            let r = report_process(db, 21);
            let reference = sqlite.then(|| report_reference(db, 21));
            println!(
                "report --format json, whole process (median of 21): {}",
                ratio(r, reference)
            );
            report_cpu(db, sqlite);
            escalation_list(db, sqlite);
            history_and_pages(db);
        }
        return;
    }
    let mut report_times = Vec::new();
    let mut frame_times = Vec::new();
    for db in &args {
        println!("== {}", db.display());
        let r = report_process(db, 21);
        let reference = sqlite.then(|| report_reference(db, 21));
        println!(
            "report --format json, whole process (median of 21): {}",
            ratio(r, reference)
        );
        report_cpu(db, sqlite);
        escalation_list(db, sqlite);
        history_and_pages(db);
        people_due(db, sqlite);
        let (f, mem) = first_frame(db, 5);
        println!("console first complete frame (median of 5): {}", ms(f));
        println!("console peak memory (VmHWM): {:.1} MB", mem as f64 / 1024.0);
        let mut worst = Duration::ZERO;
        for (s, d) in render_screens(db) {
            println!("render {s:?} at 200x50 (median of 200): {}", ms(d));
            worst = worst.max(d);
        }
        let (day, refresh) = reload(db);
        println!(
            "snapshot for another report day (median of 59): {}",
            ms(day)
        );
        println!(
            "refresh after another process's write (median of 60): {}",
            ms(refresh)
        );
        let (day, day_rules, switch) = console_waits(db);
        println!(
            "console day change, key to frame, rule pass gated (median of 30): {}",
            ms(day)
        );
        println!(
            "console day change, key to frame, full rule pass (median of 30): {}",
            ms(day_rules)
        );
        println!(
            "console screen switch, key to frame (median of 30): {}",
            ms(switch)
        );
        listings(db, sqlite);
        report_times.push(r);
        frame_times.push(worst);
    }
    let (rate, reference, took) = import_rate(100_000, sqlite);
    match reference {
        Some((plain, audited)) => println!(
            "import reports of 100,000 rows: {rate:.0} rows/s; {} ; {}",
            ratio(took, Some(plain)).replace("sqlite3", "sqlite3 plain rows"),
            ratio(took, Some(audited)).replace("sqlite3", "sqlite3 rows + one audit row each")
        ),
        None => println!("import reports of 100,000 rows: {rate:.0} rows/s"),
    }
    if report_times.len() == 2 {
        println!(
            "growth big/small: report {:.2}x, slowest screen {:.2}x",
            report_times[0].as_secs_f64() / report_times[1].as_secs_f64().max(1e-9),
            frame_times[0].as_secs_f64() / frame_times[1].as_secs_f64().max(1e-9)
        );
    }
}
