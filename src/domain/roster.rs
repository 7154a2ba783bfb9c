//! The roster plan: who is on duty on which day (a leader and officers), read from
//! `roster set` or a `date,leader,officers` CSV (officers separated by `;`). Pure checks;
//! the store applies them in one transaction.

use chrono::NaiveDate;

use super::report_csv::LineProblem;
use super::time::parse_date;
use super::town::Role;
use crate::i18n::Msg;

/// The header the contract fixes.
pub const HEADER: &str = "date,leader,officers";

/// Longest span `roster show` lists, so a typo in a year cannot print a century.
pub const MAX_SHOW_DAYS: i64 = 366;

/// One day of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDay {
    /// The town's date of the shift (it starts that day at the town's shift time).
    pub date: NaiveDate,
    /// The duty leader (带班领导).
    pub leader: String,
    /// The duty officers (值班员), in order.
    pub officers: Vec<String>,
}

/// Splits an officers cell: `A;B` (CSV) or `A,B` (`--officers`), blanks dropped.
pub fn split_officers(cell: &str, sep: char) -> Vec<String> {
    cell.split(sep)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every problem of one day's plan as (column, message): names on the staff list (never a
/// viewer), a leader, at least one officer, nobody twice. `role` looks a name up.
pub fn check(day: &PlanDay, role: &dyn Fn(&str) -> Option<Role>) -> Vec<(&'static str, Msg)> {
    let mut out = Vec::new();
    let person = |column: &'static str, name: &str| match role(name) {
        None => Some((column, Msg::new("err.unknown_staff").quoted("name", name))),
        Some(Role::Viewer) => Some((column, Msg::new("roster.err.viewer").quoted("name", name))),
        Some(_) => None,
    };
    if day.leader.trim().is_empty() {
        out.push(("leader", Msg::new("roster.err.no_leader")));
    } else {
        out.extend(person("leader", &day.leader));
    }
    for o in &day.officers {
        out.extend(person("officers", o));
    }
    if day.officers.is_empty() {
        out.push(("officers", Msg::new("roster.err.no_officer")));
    }
    let mut seen: Vec<&str> = vec![day.leader.as_str()];
    for o in &day.officers {
        if seen.contains(&o.as_str()) {
            out.push(("officers", Msg::new("roster.err.twice").quoted("name", o)));
        }
        seen.push(o);
    }
    out
}

/// One record of a plan file as a day: three cells, a date, not a date seen before
/// (`days`, with the line each was on).
fn plan_day(
    rec: &csv::StringRecord,
    line: u64,
    days: &[(u64, PlanDay)],
) -> Result<PlanDay, LineProblem> {
    let problem = |column: &str, msg: Msg| LineProblem {
        line,
        column: column.to_string(),
        msg,
    };
    if rec.len() != 3 {
        return Err(problem(
            "-",
            Msg::new("csv.err.cell_count")
                .arg("found", rec.len())
                .arg("expected", 3),
        ));
    }
    let cell = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
    let Some(date) = parse_date(&cell(0)) else {
        return Err(problem(
            "date",
            Msg::new("csv.err.bad_date").quoted("value", cell(0)),
        ));
    };
    if let Some((first, _)) = days.iter().find(|(_, d)| d.date == date) {
        return Err(problem(
            "date",
            Msg::new("roster.err.date_twice").arg("line", first),
        ));
    }
    Ok(PlanDay {
        date,
        leader: cell(1),
        officers: split_officers(&cell(2), ';'),
    })
}

/// Parses a plan CSV; every problem of every line, or the days (no date twice).
pub fn parse_csv(
    text: &str,
    role: &dyn Fn(&str) -> Option<Role>,
) -> Result<Vec<PlanDay>, Vec<LineProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let problem = |line: u64, column: &str, msg: Msg| LineProblem {
        line,
        column: column.to_string(),
        msg,
    };
    crate::domain::report_csv::fixed_header(&mut rdr, HEADER, "roster.err.header")?;
    let mut problems = Vec::new();
    let mut days: Vec<(u64, PlanDay)> = Vec::new();
    let lines = crate::domain::report_csv::LineIndex::new(text);
    let line_of = |byte: u64| lines.line_of(byte);
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
        let day = match plan_day(&rec, line, &days) {
            Ok(day) => day,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        for (column, msg) in check(&day, role) {
            problems.push(problem(line, column, msg));
        }
        days.push((line, day));
    }
    if problems.is_empty() {
        Ok(days.into_iter().map(|(_, d)| d).collect())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(n: &str) -> Option<Role> {
        match n {
            "Li" => Some(Role::DutyLeader),
            "Wu" | "Ma" => Some(Role::DutyOfficer),
            "Vi" => Some(Role::Viewer),
            _ => None,
        }
    }

    #[test]
    fn a_good_plan_reads_and_each_problem_names_its_line_and_column() {
        let ok = parse_csv(
            "date,leader,officers\r\n2026-11-27,Li,Wu;Ma\r\n\r\n2026-11-28,Li,Ma\r\n",
            &role,
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].officers, ["Wu", "Ma"]);
        let bad = parse_csv(
            "date,leader,officers\n2026-13-01,Li,Wu\n2026-11-27,Nobody,Wu;Wu\n2026-11-28,Li,\n2026-11-27,Li,Vi\n",
            &role,
        )
        .unwrap_err();
        let got: Vec<(u64, &str, &str)> = bad
            .iter()
            .map(|p| (p.line, p.column.as_str(), p.msg.key.as_ref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, "date", "csv.err.bad_date"),
                (3, "leader", "err.unknown_staff"),
                (3, "officers", "roster.err.twice"),
                (4, "officers", "roster.err.no_officer"),
                (5, "date", "roster.err.date_twice"),
            ]
        );
        let header = parse_csv("day,leader\n", &role).unwrap_err();
        assert_eq!(header[0].msg.key, "roster.err.header");
    }

    #[test]
    fn the_leader_is_not_also_an_officer_and_viewers_are_not_on_duty() {
        let day = PlanDay {
            date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            leader: "Li".into(),
            officers: vec!["Li".into(), "Vi".into()],
        };
        let keys: Vec<String> = check(&day, &role)
            .into_iter()
            .map(|(_, m)| m.key.to_string())
            .collect();
        assert_eq!(keys, ["roster.err.viewer", "roster.err.twice"]);
    }
}
