//! The register CSV `village,name,age,sex,phone,address,conditions,level,cadre,doctor`:
//! every problem of every line (file, line, column, message), or the people.

pub use super::rows::PersonDetails;
use super::{Level, Sex};
use crate::domain::report_csv::LineProblem;
use crate::domain::text::is_clean;
use crate::i18n::Msg;

/// The header the contract fixes.
pub const HEADER: &str = "village,name,age,sex,phone,address,conditions,level,cadre,doctor";

/// Oldest age the register accepts.
pub const MAX_AGE: i64 = 130;

/// Longest text cell (characters): a register cell is a name, an address or a few
/// conditions, never a document.
pub const MAX_CELL: usize = 500;

/// One person as the village's sheet gives them, and the line that gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    /// Line in the file (1-based; 0 when not from a file).
    pub line: u64,
    /// Who they are.
    pub details: PersonDetails,
}

/// A phone as the register accepts it: digits with `+`, `-` or spaces, 5 to 20 digits.
pub fn phone_ok(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
        && (5..=20).contains(&digits)
}

/// Builds one problem of a line.
fn problem(line: u64, column: &str, msg: Msg) -> LineProblem {
    LineProblem {
        line,
        column: column.to_string(),
        msg,
    }
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
    crate::domain::report_csv::fixed_header(&mut rdr, HEADER, "people.err.header")?;
    let lines = crate::domain::report_csv::LineIndex::new(text);
    let line_of = |byte: u64| lines.line_of(byte);
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
        let Some(p) = parse_row(&rec, line, village, &mut problems) else {
            continue;
        };
        if let Some(first) = seen.get(&p.details.key()) {
            problems.push(problem(
                line,
                "name",
                Msg::new("people.err.duplicate").arg("line", first),
            ));
            continue;
        }
        seen.insert(p.details.key(), line);
        people.push(p);
    }
    if problems.is_empty() {
        Ok(people)
    } else {
        Err(problems)
    }
}

/// The ten cells of a row, trimmed; a cell with control characters or too long is
/// reported and read as empty.
fn clean_cells(
    rec: &::csv::StringRecord,
    line: u64,
    problems: &mut Vec<LineProblem>,
) -> Vec<String> {
    const COLUMNS: [&str; 10] = [
        "village",
        "name",
        "age",
        "sex",
        "phone",
        "address",
        "conditions",
        "level",
        "cadre",
        "doctor",
    ];
    COLUMNS
        .iter()
        .enumerate()
        .map(|(k, column)| {
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
        })
        .collect()
}

/// One row: the person, or `None` with its problems added (or a blank row skipped).
fn parse_row(
    rec: &::csv::StringRecord,
    line: u64,
    village: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<LineProblem>,
) -> Option<NewPerson> {
    if rec.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    if rec.len() != 10 {
        problems.push(problem(
            line,
            "-",
            Msg::new("csv.err.cell_count")
                .arg("found", rec.len())
                .arg("expected", 10),
        ));
        return None;
    }
    let before = problems.len();
    let mut cells = clean_cells(rec, line, problems).into_iter();
    let mut next = || cells.next().unwrap_or_default();
    let (village_cell, name, age_cell, sex_cell, phone) = (next(), next(), next(), next(), next());
    let (address, conditions, level_cell, cadre, doctor) = (next(), next(), next(), next(), next());
    let mut row = Row {
        line,
        before,
        problems,
    };
    let code = row.village(&village_cell, village);
    if name.is_empty() && !row.has("name") {
        row.push("name", Msg::new("err.required"));
    }
    let age = row.age(&age_cell);
    let sex = row.sex(&sex_cell);
    if !phone.is_empty() && !phone_ok(&phone) {
        row.push(
            "phone",
            Msg::new("people.err.phone").quoted("value", &phone),
        );
    }
    let level = Level::parse(&level_cell);
    if level.is_none() && !row.has("level") {
        row.push(
            "level",
            Msg::new("people.err.level").quoted("value", &level_cell),
        );
    }
    if row.problems.len() != before {
        return None;
    }
    Some(NewPerson {
        line,
        details: PersonDetails {
            village: code?,
            name,
            age: age?,
            sex,
            phone,
            address,
            conditions,
            level: level?,
            cadre,
            doctor,
        },
    })
}

/// The problems of one row as its cells are checked.
struct Row<'a> {
    line: u64,
    /// Problems already listed before this row.
    before: usize,
    problems: &'a mut Vec<LineProblem>,
}

impl Row<'_> {
    fn push(&mut self, column: &str, msg: Msg) {
        self.problems.push(problem(self.line, column, msg));
    }

    /// Whether this row already has a problem in `column`.
    fn has(&self, column: &str) -> bool {
        self.problems
            .iter()
            .skip(self.before)
            .any(|p| p.column == column)
    }

    /// The village code: required, and known.
    fn village(&mut self, cell: &str, village: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let code = village(cell);
        if cell.is_empty() {
            if !self.has("village") {
                self.push("village", Msg::new("err.required"));
            }
        } else if code.is_none() {
            self.push(
                "village",
                Msg::new("err.unknown_village").quoted("value", cell),
            );
        }
        code
    }

    /// The age: required, a whole number from 0 to [`MAX_AGE`].
    fn age(&mut self, cell: &str) -> Option<i64> {
        match cell.parse::<i64>() {
            Ok(a) if (0..=MAX_AGE).contains(&a) => Some(a),
            _ if cell.is_empty() => {
                if !self.has("age") {
                    self.push("age", Msg::new("err.required"));
                }
                None
            }
            _ => {
                self.push(
                    "age",
                    Msg::new("people.err.age")
                        .quoted("value", cell)
                        .arg("max", MAX_AGE),
                );
                None
            }
        }
    }

    /// The sex: optional, one the register knows when given.
    fn sex(&mut self, cell: &str) -> Option<Sex> {
        if cell.is_empty() {
            return None;
        }
        let s = Sex::parse(cell);
        if s.is_none() {
            self.push("sex", Msg::new("people.err.sex").quoted("value", cell));
        }
        s
    }
}
