//! The report CSV: `date,village,<eight figures>`. Parsing only; the checks are in
//! `report` and the store. Byte-order marks, CRLF and spaces around cells are accepted.

use super::report::{Field, N_FIELDS};
use crate::i18n::Msg;

/// The header the contract fixes.
pub const HEADER: &str = "date,village,new_infections,cumulative_infections,outpatients,inpatients,severe,deaths,emergency_visits,referrals";

/// One data row with its line number in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    /// 1-based line number.
    pub line: u64,
    /// The `date` cell.
    pub date: String,
    /// The `village` cell (code or exact name).
    pub village: String,
    /// The figure cells in [`Field::ALL`] order.
    pub cells: [String; N_FIELDS],
}

/// A problem at a line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct LineProblem {
    /// 1-based line number.
    pub line: u64,
    /// Column name (or `-` for the whole line).
    pub column: String,
    /// What is wrong.
    pub msg: Msg,
}

/// The line numbers of a CSV text, for naming a problem by the byte offset the `csv`
/// crate gives a record (its own line counter is unreliable with CRLF). Shared by every
/// import (reports, registers, the roster plan).
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    /// Indexes the line ends of `text`.
    pub fn new(text: &str) -> Self {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of the record starting at `byte`; a record that follows CRLF
    /// starts (for csv) at the LF itself, hence `<=`.
    pub fn line_of(&self, byte: u64) -> u64 {
        self.0.partition_point(|&i| (i as u64) <= byte) as u64 + 1
    }
}

/// Refuses a file whose header row is unreadable or not exactly `header` (the register's
/// and the roster plan's fixed columns); `key` is the message naming the header wanted.
pub fn fixed_header(
    rdr: &mut csv::Reader<&[u8]>,
    header: &str,
    key: &'static str,
) -> Result<(), Vec<LineProblem>> {
    let problem = |msg: Msg| {
        vec![LineProblem {
            line: 1,
            column: "-".into(),
            msg,
        }]
    };
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(problem(Msg::new("csv.err.unreadable").arg("detail", e))),
    };
    if headers != header.split(',').collect::<Vec<_>>() {
        return Err(problem(Msg::new(key).arg("header", header)));
    }
    Ok(())
}

/// Parses the whole file; returns every problem found, not only the first.
pub fn parse(text: &str) -> Result<Vec<CsvRow>, Vec<LineProblem>> {
    let (rows, problems) = parse_all(text);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Where each column of [`HEADER`] is among `names`; every missing, doubled, empty or
/// unknown column is a problem of line 1.
fn check_header(names: &[String], problems: &mut Vec<LineProblem>) -> Vec<usize> {
    let header_problem = |column: &str, key: &'static str| LineProblem {
        line: 1,
        column: column.to_string(),
        msg: Msg::new(key),
    };
    let mut columns = Vec::new();
    for name in HEADER.split(',') {
        match names.iter().position(|n| n == name) {
            Some(i) => columns.push(i),
            None => problems.push(header_problem(name, "csv.err.missing_column")),
        }
    }
    for (i, n) in names.iter().enumerate() {
        if !n.is_empty() && names[..i].contains(n) {
            // a second column of the same name would be silently ignored
            problems.push(header_problem(n, "bounds.duplicate_column"));
        } else if n.is_empty() {
            problems.push(header_problem("-", "csv.err.empty_column"));
        } else if !HEADER.split(',').any(|h| h == n) {
            problems.push(header_problem(n, "csv.err.unknown_column"));
        }
    }
    columns
}

/// Parses the whole file into the rows that could be read and the problems of the rest,
/// so that an import can report the rows' own problems too (all of them in one go).
pub fn parse_all(text: &str) -> (Vec<CsvRow>, Vec<LineProblem>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return (
                Vec::new(),
                vec![LineProblem {
                    line: 1,
                    column: "-".into(),
                    msg: Msg::new("csv.err.unreadable").arg("detail", e),
                }],
            );
        }
    };
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let columns = check_header(&names, &mut problems);
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let lines = LineIndex::new(text);
    let line_of = |byte: u64| lines.line_of(byte);
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                problems.push(LineProblem {
                    line,
                    column: "-".into(),
                    msg: Msg::new("csv.err.unreadable").arg("detail", e),
                });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| line_of(p.byte()));
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue; // blank line
        }
        if rec.len() != names.len() {
            problems.push(LineProblem {
                line,
                column: "-".into(),
                msg: Msg::new("csv.err.cell_count")
                    .arg("found", rec.len())
                    .arg("expected", names.len()),
            });
            continue;
        }
        let cell = |i: usize| rec.get(columns[i]).unwrap_or("").trim().to_string();
        let mut cells: [String; N_FIELDS] = Default::default();
        for (k, f) in Field::ALL.iter().enumerate() {
            cells[f.index()] = cell(2 + k);
        }
        rows.push(CsvRow {
            line,
            date: cell(0),
            village: cell(1),
            cells,
        });
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_spaces_are_accepted() {
        let text = format!("\u{feff}{HEADER}\r\n 2026-11-01 , V01 ,1,2,3,4,5,0,1, 2 \r\n");
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].date, "2026-11-01");
        assert_eq!(rows[0].village, "V01");
        assert_eq!(rows[0].cells[Field::Referrals.index()], "2");
    }

    #[test]
    fn columns_may_come_in_any_order_but_must_all_be_there() {
        let text = "village,date,new_infections,cumulative_infections,outpatients,inpatients,severe,deaths,emergency_visits,referrals\nV01,2026-11-01,1,2,3,4,5,0,1,2\n";
        assert_eq!(parse(text).unwrap()[0].village, "V01");
        let bad = "date,village,new_infections,colour\n";
        let p = parse(bad).unwrap_err();
        assert!(p.iter().any(|x| x.column == "colour"));
        assert!(p.iter().any(|x| x.column == "referrals"));
    }

    #[test]
    fn a_duplicate_header_column_is_named() {
        let text = format!("{HEADER},outpatients\n");
        let p = parse(&text).unwrap_err();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].column, "outpatients");
        assert_eq!(p[0].msg.key, "bounds.duplicate_column");
    }

    #[test]
    fn short_rows_name_their_line() {
        let text = format!(
            "{HEADER}\n2026-11-01,V01,1,2\n\n2026-11-01,V02,1,2,3,4,5,0,1,2\n2026-11-01,V03\n"
        );
        let p = parse(&text).unwrap_err();
        let lines: Vec<u64> = p.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![2, 5]);
    }
}
