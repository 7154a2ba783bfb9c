//! Prints duty-desk's speed and memory figures on a generated database.
//!
//! ```sh
//! cargo run --release --example generate -- --db /tmp/county.db --villages 200 --days 1095
//! cargo run --release --example generate -- --db /tmp/small.db --villages 10 --days 30
//! cargo build --release && cargo run --release --example bench -- /tmp/county.db /tmp/small.db
//! ```
//!
//! Each figure is a median over repeated runs. The whole-process figures use the release
//! binary at `target/release/duty-desk`.

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

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/duty-desk")
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
    let s =
        snapshot::load(store.conn(), &t, &View::default(), now()).unwrap_or_else(|e| panic!("{e}"));
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
        let Ok(pair) = pty.openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        }) else {
            continue;
        };
        let mut cmd = CommandBuilder::new(binary());
        cmd.args(["--db", &db.display().to_string(), "--operator", OPERATOR]);
        cmd.env("DUTY_DESK_NOW", NOW);
        cmd.env("TERM", "xterm-256color");
        let t = Instant::now();
        let Ok(mut child) = pair.slave.spawn_command(cmd) else {
            continue;
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
        if let Ok(seen) = rx.recv_timeout(Duration::from_secs(10)) {
            times.push(seen - t);
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

/// `import reports` of `rows` rows into a fresh database, as a whole process.
fn import_rate(rows: usize) -> f64 {
    let dir = std::env::temp_dir().join(format!("duty-desk-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("import.db");
    let villages = 200;
    let generated = Command::new(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/examples/generate"),
    )
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
        eprintln!("generate failed (build it with cargo build --release --example generate)");
        return 0.0;
    }
    let days = rows / villages;
    let mut csv = String::from(duty_desk::domain::report_csv::HEADER);
    csv.push('\n');
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    for d in 0..days {
        let date = start + chrono::Duration::days(d as i64);
        for v in 0..villages {
            let cum = d as i64 + 1;
            csv.push_str(&format!("{date},V{:04},1,{cum},2,0,0,0,0,0\n", v + 1));
        }
    }
    let file = dir.join("rows.csv");
    let _ = std::fs::write(&file, csv);
    let t = Instant::now();
    let out = Command::new(binary())
        .env("DUTY_DESK_NOW", NOW)
        .args([
            "--db",
            &db.display().to_string(),
            "--operator",
            OPERATOR,
            "import",
            "reports",
            &file.display().to_string(),
        ])
        .output();
    let el = t.elapsed();
    let ok = matches!(&out, Ok(o) if o.status.success());
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => eprintln!(
            "import failed: {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(e) => eprintln!("import failed: {e}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    if ok {
        (days * villages) as f64 / el.as_secs_f64()
    } else {
        0.0
    }
}

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: bench BIG.db [SMALL.db]");
        std::process::exit(2);
    }
    let mut report_times = Vec::new();
    let mut frame_times = Vec::new();
    for db in &args {
        println!("== {}", db.display());
        let r = report_process(db, 21);
        println!(
            "report --format json, whole process (median of 21): {}",
            ms(r)
        );
        let (f, mem) = first_frame(db, 5);
        println!("console first complete frame (median of 5): {}", ms(f));
        println!("console peak memory (VmHWM): {:.1} MB", mem as f64 / 1024.0);
        let mut worst = Duration::ZERO;
        for (s, d) in render_screens(db) {
            println!("render {s:?} at 200x50 (median of 200): {}", ms(d));
            worst = worst.max(d);
        }
        let (day, refresh) = reload(db);
        println!("move to another report day (median of 59): {}", ms(day));
        println!(
            "refresh after another process's write (median of 60): {}",
            ms(refresh)
        );
        report_times.push(r);
        frame_times.push(worst);
    }
    let rate = import_rate(100_000);
    println!("import reports of 100,000 rows: {rate:.0} rows/s");
    if report_times.len() == 2 {
        println!(
            "growth big/small: report {:.2}x, slowest screen {:.2}x",
            report_times[0].as_secs_f64() / report_times[1].as_secs_f64().max(1e-9),
            frame_times[0].as_secs_f64() / frame_times[1].as_secs_f64().max(1e-9)
        );
    }
}
