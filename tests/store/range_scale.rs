//! Issue 17: `report --from --to` on a county-scale history (200 villages, three years,
//! one village in ten silent each day) streams: its peak memory does not grow with the
//! range, and the CSV imports back into a fresh database unchanged.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use duty_desk::domain::report_csv::HEADER;

const VILLAGES: usize = 200;
const DAYS: i64 = 1095;

fn town_file(dir: &Path) -> std::path::PathBuf {
    let mut s = String::from(
        "[town]\nname = \"大县镇\"\nname_en = \"Big Town\"\nutc_offset = \"+08:00\"\n\
         report_cutoff = \"10:00\"\nshift_start = \"08:30\"\n\n\
         [[health_center]]\ncode = \"HC1\"\nname = \"大县镇卫生院\"\nbeds = 40\n\n",
    );
    for i in 0..VILLAGES {
        s.push_str(&format!(
            "[[village]]\ncode = \"V{i:03}\"\nname = \"村{i:03}\"\npopulation = 5000\nhealth_center = \"HC1\"\n\n"
        ));
    }
    s.push_str("[[staff]]\nname = \"王一\"\nrole = \"shift_lead\"\n");
    let p = dir.join("town.toml");
    std::fs::write(&p, s).unwrap();
    p
}

fn init(dir: &Path, name: &str) -> std::path::PathBuf {
    let db = dir.join(name);
    common::cli(&db)
        .args(["init", "--town"])
        .arg(town_file(dir))
        .assert()
        .success();
    db
}

/// Three years of rows written straight into the table (the triggers keep their totals).
fn fill(db: &Path) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO daily_report (date, village, new_infections, cumulative_infections,
                   outpatients, inpatients, severe, deaths, emergency_visits, referrals,
                   entered_at, entered_by, late, warnings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, '2026-01-01T00:00:00Z', '王一', 0, '[]')",
            )
            .unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2023, 11, 28).unwrap();
        let mut cum = vec![0i64; VILLAGES];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as i64
        };
        for d in 0..DAYS {
            let date = (start + chrono::Duration::days(d)).to_string();
            for (v, c) in cum.iter_mut().enumerate() {
                if next(10) == 0 {
                    continue; // a planted gap
                }
                let new = next(4);
                *c += new;
                stmt.execute(rusqlite::params![
                    date,
                    format!("V{v:03}"),
                    new,
                    *c,
                    next(20),
                    next(5),
                    next(2),
                    next(3),
                    next(2)
                ])
                .unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

/// Runs the binary with `args`, stdout to `out`; returns its peak resident memory in KiB,
/// read from /proc while it runs (None where there is no /proc).
fn peak_kib(db: &Path, args: &[&str], out: &Path) -> Option<u64> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("duty-desk"))
        .env("DUTY_DESK_NOW", common::NOW)
        .env("LANG", "en_US.UTF-8")
        .env("DUTY_DESK_OPERATOR", "王一")
        .env("XDG_CONFIG_HOME", db.parent().unwrap())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::from(std::fs::File::create(out).unwrap()))
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kib) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        {
            peak = Some(peak.unwrap_or(0).max(kib));
        }
        if let Some(st) = child.try_wait().unwrap() {
            assert!(st.success(), "{args:?}");
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[test]
fn a_three_year_range_streams_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path(), "big.db");
    fill(&db);
    let month = ["report", "--from", "2026-10-28", "--to", "2026-11-26"];
    let years = ["report", "--from", "2023-11-28", "--to", "2026-11-26"];
    let csv_month = dir.path().join("month.csv");
    let csv_years = dir.path().join("years.csv");
    let m = peak_kib(
        &db,
        &[&month[..], &["--format", "csv"]].concat(),
        &csv_month,
    );
    let y = peak_kib(
        &db,
        &[&years[..], &["--format", "csv"]].concat(),
        &csv_years,
    );
    let jm = peak_kib(
        &db,
        &[&month[..], &["--format", "json"]].concat(),
        &dir.path().join("m.json"),
    );
    let jy = peak_kib(
        &db,
        &[&years[..], &["--format", "json"]].concat(),
        &dir.path().join("y.json"),
    );
    eprintln!(
        "peak KiB: csv month {m:?}, csv 3 years {y:?}; json month {jm:?}, json 3 years {jy:?}"
    );
    // 36 times the days: the peak may move by a few pages, never with the rows (all the
    // rows held at once would be tens of MiB)
    if let (Some(m), Some(y), Some(jm), Some(jy)) = (m, y, jm, jy) {
        assert!(
            y < m + 8 * 1024,
            "csv: {m} KiB for a month, {y} KiB for three years"
        );
        assert!(
            jy < jm + 8 * 1024,
            "json: {jm} KiB for a month, {jy} KiB for three years"
        );
    }
    let csv = std::fs::read_to_string(&csv_years).unwrap();
    assert!(csv.starts_with(&format!("{HEADER}\n")));
    let rows: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM daily_report", [], |r| r.get(0))
        .unwrap();
    assert_eq!(csv.lines().count() as i64, rows + 1);
    let days: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("y.json")).unwrap()).unwrap();
    assert_eq!(days.as_array().unwrap().len() as i64, DAYS);
    // into a fresh database, then out again: the same bytes
    let fresh = init(dir.path(), "fresh.db");
    common::cli(&fresh)
        .args(["--operator", "王一", "import", "reports"])
        .arg(&csv_years)
        .assert()
        .success();
    let again = dir.path().join("again.csv");
    peak_kib(&fresh, &[&years[..], &["--format", "csv"]].concat(), &again);
    assert!(
        std::fs::read(&again).unwrap() == csv.as_bytes(),
        "round trip differs"
    );
}
