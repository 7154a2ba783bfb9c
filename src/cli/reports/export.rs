//! The daily report's export formats: the JSON contract, CSV, and text/Markdown.

use std::fmt::Write as _;

use crate::domain::report::Field;
use crate::domain::report_csv;
use crate::i18n::Lang;
use crate::store::reports::DailyReport;

/// The day's rows in the import CSV's own form (re-importable).
pub fn to_csv(r: &DailyReport) -> String {
    let mut out = String::from(report_csv::HEADER);
    out.push('\n');
    for (v, row) in &r.rows {
        let Some(row) = row else { continue };
        let _ = write!(out, "{},{}", r.date, v.code);
        for f in Field::ALL {
            let _ = write!(
                out,
                ",{}",
                row.figures
                    .get(f)
                    .map(|x| x.to_string())
                    .unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out
}

fn n(v: Option<i64>) -> String {
    crate::domain::text::layout::num(v)
}

/// The report as a shift lead sends it upward, as plain text or Markdown.
pub fn to_text(
    r: &DailyReport,
    town: &crate::domain::town::Town,
    lang: Lang,
    past_cutoff: bool,
    md: bool,
) -> String {
    let mut d = Doc {
        o: String::new(),
        town,
        lang,
        md,
        past_cutoff,
    };
    d.title(r);
    d.completeness(r);
    d.headline(r);
    d.words_and_reason(r);
    d.note(r);
    d.week(r);
    d.facilities(r);
    follow_up_lines(&mut d.o, r, town, lang, md);
    d.warnings(r);
    d.villages(r);
    d.o
}

/// A report being written as text or Markdown.
struct Doc<'a> {
    o: String,
    town: &'a crate::domain::town::Town,
    lang: Lang,
    md: bool,
    past_cutoff: bool,
}

impl Doc<'_> {
    /// Names come from the town file and the people who sign: shown clean, and escaped
    /// in Markdown so none of them can open a heading, a table cell or a link.
    fn esc(&self, s: &str) -> String {
        if self.md {
            crate::domain::text::display_md(s)
        } else {
            crate::domain::text::display(s).into_owned()
        }
    }

    fn line(&mut self, text: &str) {
        let _ = writeln!(self.o, "{text}");
    }

    /// A section's heading (`## ` and a blank line in Markdown).
    fn section(&mut self, key: &str) {
        let hashes = if self.md { "## " } else { "" };
        let _ = writeln!(self.o, "{hashes}{}", self.lang.t(key));
        if self.md {
            self.o.push('\n');
        }
    }

    fn title(&mut self, r: &DailyReport) {
        let lang = self.lang;
        let title = lang.fmt(
            "export.title",
            &[
                ("town", &self.esc(self.town.name(lang))),
                ("date", &r.date.to_string()),
            ],
        );
        let status = if r.signed() {
            let by = r.sign.as_ref().map(|s| s.by.as_str()).unwrap_or("");
            lang.fmt("export.signed", &[("name", &self.esc(by))])
        } else {
            lang.t("export.draft").to_string()
        };
        if self.md {
            let _ = writeln!(self.o, "# {title}\n\n*{status}*\n");
        } else {
            let _ = writeln!(self.o, "{title}\n{status}\n");
        }
    }

    fn completeness(&mut self, r: &DailyReport) {
        let lang = self.lang;
        let reported = r.rows.iter().filter(|(_, x)| x.is_some()).count();
        let text = lang.fmt(
            "export.completeness",
            &[
                ("reported", &reported.to_string()),
                ("expected", &r.rows.len().to_string()),
            ],
        );
        self.line(&text);
        let missing: Vec<String> = r
            .missing()
            .iter()
            .map(|c| self.esc(&format!("{} {}", c, self.town.place_name(c, lang))))
            .collect();
        if !missing.is_empty() {
            let cutoff = self.town.info.report_cutoff.format("%H:%M").to_string();
            let key = if self.past_cutoff {
                "export.missing_late"
            } else {
                "export.missing"
            };
            let list = missing.join(lang.t("export.list_sep"));
            let text = lang.fmt(key, &[("list", &list), ("cutoff", &cutoff)]);
            self.line(&text);
        }
        self.o.push('\n');
    }

    /// One row of the headline table.
    fn headline_row(&mut self, label: &str, value: &str, change: &str) {
        if self.md {
            let _ = writeln!(self.o, "| {label} | {value} | {change} |");
        } else {
            let label = crate::domain::text::layout::pad(label, 24);
            let _ = writeln!(self.o, "  {label} {value:>8} {change:>8}");
        }
    }

    fn headline(&mut self, r: &DailyReport) {
        let lang = self.lang;
        if self.md {
            let _ = writeln!(self.o, "## {}\n", lang.t("export.headline"));
            let _ = writeln!(
                self.o,
                "| {} | {} | {} |",
                lang.t("export.figure"),
                lang.t("export.value"),
                lang.t("export.change")
            );
            let _ = writeln!(self.o, "|---|---:|---:|");
        } else {
            self.line(lang.t("export.headline"));
        }
        let sm = &r.summary;
        for f in Field::ALL {
            let mut label = lang.t(f.label_key()).to_string();
            if f == Field::CumulativeInfections && !sm.carried_forward.is_empty() {
                label.push_str(if self.md { "\\*" } else { "*" });
            }
            let change = crate::domain::text::layout::change(sm.change(f));
            self.headline_row(&label, &n(sm.get(f)), &change);
        }
        let ratio = crate::domain::text::layout::percent(sm.infection_ratio());
        let ratio_change = sm
            .infection_ratio_change()
            .map(|d| format!("{:+.1}%", d * 100.0))
            .unwrap_or_default();
        self.headline_row(lang.t("overview.infection_ratio"), &ratio, &ratio_change);
        self.o.push('\n');
    }

    fn words_and_reason(&mut self, r: &DailyReport) {
        let words = self.esc(&r.summary.words(self.lang));
        self.line(&words);
        if let Some(reason) = r
            .sign
            .as_ref()
            .filter(|s| s.signed)
            .map(|s| s.missing_reason.as_str())
            .filter(|s| !s.is_empty())
        {
            let text = self
                .lang
                .fmt("daily.missing_reason", &[("reason", &self.esc(reason))]);
            self.line(&text);
        }
    }

    fn note(&mut self, r: &DailyReport) {
        let Some(note) = &r.note else {
            return;
        };
        self.o.push('\n');
        self.section("daily.note_title");
        // each line of the analysis on its own line, none able to start a heading
        for line in note.text.lines() {
            let indent = if self.md { "" } else { "  " };
            let text = format!("{indent}{}", self.esc(line));
            self.line(&text);
        }
        let by = self
            .lang
            .fmt("daily.note_by", &[("name", &self.esc(&note.by))]);
        self.line(&by);
    }

    /// The weekly figures (seed 000 (二十二)) are their own section, not a daily total.
    fn week(&mut self, r: &DailyReport) {
        self.o.push('\n');
        self.section("daily.week_title");
        let text = self.lang.fmt(
            "export.week",
            &[
                ("emergency", &n(r.week.get(Field::EmergencyVisits))),
                ("referrals", &n(r.week.get(Field::Referrals))),
            ],
        );
        self.line(&text);
    }

    fn facilities(&mut self, r: &DailyReport) {
        if r.facilities.is_empty() {
            return;
        }
        self.o.push('\n');
        self.section("facility.title");
        let lines =
            super::super::facility::facility_lines(&r.facilities, self.town, self.lang, self.md);
        for l in lines {
            self.line(l.trim_end());
        }
    }

    fn warnings(&mut self, r: &DailyReport) {
        let lang = self.lang;
        let warnings: Vec<String> = r
            .rows
            .iter()
            .filter_map(|(v, row)| row.as_ref().map(|x| (v, x)))
            .flat_map(|(v, x)| {
                x.warnings.iter().map(move |(f, w)| {
                    let code = f.map_or("-", |f| f.as_str());
                    format!("{} {code}: {}", v.code, w.render(lang))
                })
            })
            .map(|w| self.esc(&w))
            .collect();
        if warnings.is_empty() {
            return;
        }
        self.o.push('\n');
        self.section("export.warnings");
        let bullet = if self.md { "- " } else { "  " };
        for w in warnings {
            self.line(&format!("{bullet}{w}"));
        }
    }

    fn villages(&mut self, r: &DailyReport) {
        let lang = self.lang;
        self.o.push('\n');
        let heads: Vec<&str> = Field::ALL.iter().map(|f| lang.t(f.short_key())).collect();
        if self.md {
            let _ = writeln!(self.o, "## {}\n", lang.t("export.villages"));
            let _ = writeln!(
                self.o,
                "| {} | {} |",
                lang.t("report.col_village"),
                heads.join(" | ")
            );
            let _ = writeln!(self.o, "|---|{}", "---:|".repeat(heads.len()));
        } else {
            self.line(lang.t("export.villages"));
            let head = lang.t("report.col_village");
            self.table_row(head, &heads, "");
        }
        for (v, row) in &r.rows {
            let name = self.esc(&format!(
                "{} {}",
                v.code,
                self.town.place_name(&v.code, lang)
            ));
            let cells: Vec<String> = Field::ALL
                .iter()
                .map(|f| row.as_ref().map_or(String::new(), |x| n(x.figures.get(*f))))
                .collect();
            let tail = match row {
                None if self.past_cutoff => lang.t("report.missing_late"),
                None => lang.t("report.missing"),
                Some(x) if x.late => lang.t("report.late"),
                Some(_) => "",
            };
            if self.md {
                let first = format!("{name} {tail}");
                let _ = writeln!(self.o, "| {} | {} |", first.trim_end(), cells.join(" | "));
            } else {
                self.table_row(&name, &cells, tail);
            }
        }
    }

    /// A row of the plain-text village table: the name, the cells, what is late or missing.
    fn table_row(&mut self, name: &str, cells: &[impl AsRef<str>], tail: &str) {
        let mut line = format!("  {}", crate::domain::text::layout::pad(name, 22));
        for c in cells {
            line.push_str(&crate::domain::text::layout::pad_left(c.as_ref(), 8));
        }
        let line = format!("{line} {tail}");
        self.line(line.trim_end());
    }
}

/// The weekly follow-up mechanism (issue 15): per village and level, people, contacts
/// required and done in the report day's ISO week. Nothing when the register is empty.
fn follow_up_lines(
    o: &mut String,
    r: &DailyReport,
    town: &crate::domain::town::Town,
    lang: Lang,
    md: bool,
) {
    use crate::domain::text::layout::{pad, pad_left};
    let (week, rows) = &r.follow_up;
    if rows.is_empty() {
        return;
    }
    o.push('\n');
    let title = lang.fmt(
        "people.report_title",
        &[("week", &crate::domain::people::week_label(*week))],
    );
    let _ = writeln!(o, "{}{title}", if md { "## " } else { "" });
    let heads = [
        lang.t("people.col.village"),
        lang.t("people.col.level"),
        lang.t("people.col.people"),
        lang.t("people.col.required"),
        lang.t("people.col.done"),
    ];
    if md {
        let _ = writeln!(o, "\n| {} |", heads.join(" | "));
        let _ = writeln!(o, "|---|---|---:|---:|---:|");
    } else {
        let _ = writeln!(
            o,
            "  {}{}{}{}{}",
            pad(heads[0], 22),
            pad(heads[1], 8),
            pad_left(heads[2], 10),
            pad_left(heads[3], 10),
            pad_left(heads[4], 10)
        );
    }
    for row in rows {
        let name = format!("{} {}", row.code, town.place_name(&row.code, lang));
        let level = lang.t(row.level.label_key());
        if md {
            let _ = writeln!(
                o,
                "| {} | {level} | {} | {} | {} |",
                crate::domain::text::display_md(&name),
                row.people,
                row.required,
                row.done
            );
        } else {
            let _ = writeln!(
                o,
                "  {}{}{}{}{}",
                pad(&crate::domain::text::display(&name), 22),
                pad(level, 8),
                pad_left(&row.people.to_string(), 10),
                pad_left(&row.required.to_string(), 10),
                pad_left(&row.done.to_string(), 10)
            );
        }
    }
}
