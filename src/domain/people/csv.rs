//! The register CSV `village,name,age,sex,phone,address,conditions,level,cadre,doctor`:
//! every problem of every line (file, line, column, message), or the people.

use super::{Level, Sex};
use crate::domain::report_csv::LineProblem;
use crate::domain::text::{is_clean, quote};
use crate::i18n::Msg;

/// The header the contract fixes.
pub const HEADER: &str = "village,name,age,sex,phone,address,conditions,level,cadre,doctor";

/// Oldest age the register accepts.
pub const MAX_AGE: i64 = 130;

/// Longest text cell (characters): a register cell is a name, an address or a few
/// conditions, never a document.
pub const MAX_CELL: usize = 500;

/// One person as the village's sheet gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    /// Line in the file (1-based; 0 when not from a file).
    pub line: u64,
    /// Village code (resolved from a code or exact name).
    pub village: String,
    /// Full name.
    pub name: String,
    /// Age in years.
    pub age: i64,
    /// Sex, when given.
    pub sex: Option<Sex>,
    /// Phone (may be empty: some have none).
    pub phone: String,
    /// Address.
    pub address: String,
    /// Health conditions (shown only in the detail view).
    pub conditions: String,
    /// Risk level.
    pub level: Level,
    /// The village cadre paired with the household.
    pub cadre: String,
    /// The family doctor paired with the household.
    pub doctor: String,
}

impl NewPerson {
    /// The identity of a person: village + name + phone.
    pub fn key(&self) -> (String, String, String) {
        (self.village.clone(), self.name.clone(), self.phone.clone())
    }
}

/// A phone as the register accepts it: digits with `+`, `-` or spaces, 5 to 20 digits.
pub fn phone_ok(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
        && (5..=20).contains(&digits)
}

/// Parses a register; `village` resolves a code or exact name to a code.
pub fn parse(
    text: &str,
    village: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<NewPerson>, Vec<LineProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let problem = |line: u64, column: &str, msg: Msg| LineProblem {
        line,
        column: column.to_string(),
        msg,
    };
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![problem(
                1,
                "-",
                Msg::new("csv.err.unreadable").arg("detail", e),
            )]);
        }
    };
    if headers != HEADER.split(',').collect::<Vec<_>>() {
        return Err(vec![problem(
            1,
            "-",
            Msg::new("people.err.header").arg("header", HEADER),
        )]);
    }
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |byte: u64| newlines.partition_point(|&i| (i as u64) < byte) as u64 + 1;
    let mut problems = Vec::new();
    let mut people: Vec<NewPerson> = Vec::new();
    let mut seen: std::collections::HashMap<(String, String, String), u64> =
        std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                problems.push(problem(
                    line,
                    "-",
                    Msg::new("csv.err.unreadable").arg("detail", e),
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| line_of(p.byte()));
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != 10 {
            problems.push(problem(
                line,
                "-",
                Msg::new("csv.err.cell_count")
                    .arg("found", rec.len())
                    .arg("expected", 10),
            ));
            continue;
        }
        let before = problems.len();
        let mut cell = |k: usize, column: &'static str| -> String {
            let raw = rec.get(k).unwrap_or("");
            // newline and tab are not allowed either: a register cell is one line
            if !is_clean(raw) {
                problems.push(problem(line, column, Msg::new("people.err.control")));
                return String::new();
            }
            if raw.chars().count() > MAX_CELL {
                problems.push(problem(
                    line,
                    column,
                    Msg::new("people.err.too_long").arg("max", MAX_CELL),
                ));
                return String::new();
            }
            raw.trim().to_string()
        };
        let village_cell = cell(0, "village");
        let name = cell(1, "name");
        let age_cell = cell(2, "age");
        let sex_cell = cell(3, "sex");
        let phone = cell(4, "phone");
        let address = cell(5, "address");
        let conditions = cell(6, "conditions");
        let level_cell = cell(7, "level");
        let cadre = cell(8, "cadre");
        let doctor = cell(9, "doctor");
        let has = |problems: &[LineProblem], column: &str| {
            problems.iter().skip(before).any(|p| p.column == column)
        };
        let code = village(&village_cell);
        if village_cell.is_empty() {
            if !has(&problems, "village") {
                problems.push(problem(line, "village", Msg::new("err.required")));
            }
        } else if code.is_none() {
            problems.push(problem(
                line,
                "village",
                Msg::new("err.unknown_village").arg("value", quote(&village_cell, 80)),
            ));
        }
        if name.is_empty() && !has(&problems, "name") {
            problems.push(problem(line, "name", Msg::new("err.required")));
        }
        let age = match age_cell.parse::<i64>() {
            Ok(a) if (0..=MAX_AGE).contains(&a) => Some(a),
            _ if age_cell.is_empty() => {
                if !has(&problems, "age") {
                    problems.push(problem(line, "age", Msg::new("err.required")));
                }
                None
            }
            _ => {
                problems.push(problem(
                    line,
                    "age",
                    Msg::new("people.err.age")
                        .arg("value", quote(&age_cell, 80))
                        .arg("max", MAX_AGE),
                ));
                None
            }
        };
        let sex = if sex_cell.is_empty() {
            None
        } else {
            let s = Sex::parse(&sex_cell);
            if s.is_none() {
                problems.push(problem(
                    line,
                    "sex",
                    Msg::new("people.err.sex").arg("value", quote(&sex_cell, 80)),
                ));
            }
            s
        };
        if !phone.is_empty() && !phone_ok(&phone) {
            problems.push(problem(
                line,
                "phone",
                Msg::new("people.err.phone").arg("value", quote(&phone, 80)),
            ));
        }
        let level = Level::parse(&level_cell);
        if level.is_none() && !has(&problems, "level") {
            problems.push(problem(
                line,
                "level",
                Msg::new("people.err.level").arg("value", quote(&level_cell, 80)),
            ));
        }
        if problems.len() != before {
            continue;
        }
        let (Some(village), Some(age), Some(level)) = (code, age, level) else {
            continue;
        };
        let p = NewPerson {
            line,
            village,
            name,
            age,
            sex,
            phone,
            address,
            conditions,
            level,
            cadre,
            doctor,
        };
        if let Some(first) = seen.get(&p.key()) {
            problems.push(problem(
                line,
                "name",
                Msg::new("people.err.duplicate").arg("line", first),
            ));
            continue;
        }
        seen.insert(p.key(), line);
        people.push(p);
    }
    if problems.is_empty() {
        Ok(people)
    } else {
        Err(problems)
    }
}
