//! The handover as a document in one language: the same lines feed the console panel and
//! the Markdown that `handover show --format md` prints, so both always say the same.

use chrono::{DateTime, FixedOffset, Utc};

use super::handover::{ActionItem, Handover, Level};
use super::report::Field;
use super::text::{display, display_md};
use super::time::{duration_text, from_db};
use crate::i18n::Lang;

/// How a line should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The document's title.
    Title,
    /// A section heading.
    Heading,
    /// Late or a patient waiting.
    Urgent,
    /// Needs attention.
    Warn,
    /// Ordinary text.
    Plain,
    /// Secondary text.
    Muted,
}

/// One line of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    /// Style.
    pub tone: Tone,
    /// Text in the chosen language.
    pub text: String,
    /// A list item (a bullet in Markdown).
    pub item: bool,
}

/// Who signed, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The incoming officer.
    pub by: String,
    /// When (UTC text).
    pub at: String,
}

/// What rendering needs besides the handover: language, time zone, names.
pub struct DocCtx<'a> {
    /// Language.
    pub lang: Lang,
    /// The town's UTC offset.
    pub offset: FixedOffset,
    /// The town's name in `lang`.
    pub town: &'a str,
    /// A place code's name in `lang`.
    pub place: &'a dyn Fn(&str) -> String,
    /// The sign-over, if done.
    pub signed: Option<Signature>,
}

impl DocCtx<'_> {
    fn when(&self, db: &str) -> String {
        from_db(db).map_or_else(
            || db.to_string(),
            |t| {
                t.with_timezone(&self.offset)
                    .format("%m-%d %H:%M")
                    .to_string()
            },
        )
    }

    fn when_full(&self, db: &str) -> String {
        from_db(db).map_or_else(
            || db.to_string(),
            |t| {
                t.with_timezone(&self.offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            },
        )
    }

    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.fmt(key, args)
    }
}

fn line(tone: Tone, text: String) -> DocLine {
    DocLine {
        tone,
        text,
        item: false,
    }
}

fn item(tone: Tone, text: String) -> DocLine {
    DocLine {
        tone,
        text,
        item: true,
    }
}

fn since(compiled: Option<DateTime<Utc>>, db: &str, lang: Lang) -> String {
    match (compiled, from_db(db)) {
        (Some(now), Some(t)) => duration_text(now - t, lang),
        _ => String::new(),
    }
}

fn status_line(h: &Handover, c: &DocCtx<'_>) -> DocLine {
    let s = &h.status;
    let text = c.f(
        "handover.status_line",
        &[
            ("level", c.lang.t(s.level.label_key())),
            ("open", &s.open_escalations.to_string()),
            ("overdue", &s.overdue.to_string()),
            ("waiting", &s.waiting.to_string()),
            ("under_way", &s.under_way.to_string()),
            ("out", &s.out_of_service.to_string()),
            ("missing", &s.missing_reports.to_string()),
        ],
    );
    let tone = match s.level {
        Level::Urgent => Tone::Urgent,
        Level::Attention => Tone::Warn,
        Level::Quiet => Tone::Plain,
    };
    line(tone, text)
}

/// An escalation's title where it is (a rule's title is re-read from its subject in the
/// reader's language).
fn escalation_title(
    c: &DocCtx<'_>,
    esc: Esc,
    title: &str,
    subject: Option<&str>,
    place: Option<&str>,
) -> String {
    let title = &esc(&subject
        .and_then(|s| super::rules::title(s, c.lang, c.place))
        .unwrap_or_else(|| title.to_string()));
    match place {
        Some(p) => c.f(
            "handover.place",
            &[("title", title), ("place", &esc(&(c.place)(p)))],
        ),
        None => title.clone(),
    }
}

/// When an escalation is due and how long is left, or how long it is overdue.
fn deadline(c: &DocCtx<'_>, now: Option<DateTime<Utc>>, due: &str, overdue: bool) -> String {
    if overdue {
        c.f(
            "handover.overdue",
            &[("due", &c.when(due)), ("by", &since(now, due, c.lang))],
        )
    } else {
        let left = match (now, from_db(due)) {
            (Some(n), Some(d)) => duration_text(d - n, c.lang),
            _ => String::new(),
        };
        c.f("handover.due", &[("due", &c.when(due)), ("in", &left)])
    }
}

fn action_line(a: &ActionItem, c: &DocCtx<'_>, now: Option<DateTime<Utc>>, esc: Esc) -> DocLine {
    let t = |k: &'static str| c.lang.t(k).to_string();
    match a {
        ActionItem::Escalation {
            id,
            kind,
            title,
            subject,
            village,
            place,
            owner,
            due,
            overdue,
            carried,
            ..
        } => {
            let kind_key = super::escalation::Kind::parse(kind).map_or("", |k| k.label_key());
            let place = village.as_deref().or(place.as_deref());
            let title = escalation_title(c, esc, title, subject.as_deref(), place);
            let owner = if owner.is_empty() {
                t("handover.nobody")
            } else {
                esc(owner)
            };
            let deadline = deadline(c, now, due, *overdue);
            let mut text = c.f(
                "handover.escalation",
                &[
                    ("id", &id.to_string()),
                    ("kind", c.lang.t(kind_key)),
                    ("title", &title),
                    ("owner", &owner),
                    ("deadline", &deadline),
                ],
            );
            if *carried {
                text.push_str(c.lang.t("handover.carried"));
            }
            item(if *overdue { Tone::Urgent } else { Tone::Plain }, text)
        }
        ActionItem::Transport {
            id,
            village,
            patient,
            severity,
            destination,
            waited_minutes,
            carried,
            ..
        } => {
            let sev = super::transport::Severity::parse(severity).map_or("", |s| s.label_key());
            let mut text = c.f(
                "handover.waiting_trip",
                &[
                    ("id", &id.to_string()),
                    (
                        "waited",
                        &duration_text(super::time::minutes(*waited_minutes), c.lang),
                    ),
                    ("severity", c.lang.t(sev)),
                    ("patient", &esc(patient)),
                    ("village", &esc(&(c.place)(village))),
                    ("destination", &esc(&(c.place)(destination))),
                ],
            );
            if *carried {
                text.push_str(c.lang.t("handover.carried"));
            }
            item(Tone::Urgent, text)
        }
    }
}

fn figures_line(h: &Handover, c: &DocCtx<'_>) -> String {
    let mut parts = Vec::new();
    for f in &h.day.figures {
        let Some(field) = Field::parse(&f.field) else {
            continue;
        };
        let value = f.value.map_or_else(|| "-".to_string(), |v| v.to_string());
        let change = match f.change {
            Some(d) if d > 0 => format!(" (+{d})"),
            Some(d) => format!(" ({d})"),
            None => String::new(),
        };
        parts.push(format!("{} {value}{change}", c.lang.t(field.label_key())));
    }
    if let Some(r) = h.day.infection_ratio {
        parts.push(format!(
            "{} {:.1}%",
            c.lang.t("handover.infection_ratio"),
            r * 100.0
        ));
    }
    parts.join(c.lang.t("handover.list_sep"))
}

/// How a piece of people-typed text (a title, a name, a reason, the notes) is shown:
/// [`display`] on a screen, [`display_md`] in Markdown.
type Esc<'e> = &'e dyn Fn(&str) -> String;

/// The handover as lines in `c.lang`, in the order it is read out; every piece of
/// people-typed text is shown as [`display`] (one clean line, no control characters).
pub fn lines(h: &Handover, c: &DocCtx<'_>) -> Vec<DocLine> {
    lines_with(h, c, &|s| display(s).into_owned())
}

fn lines_with(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>) -> Vec<DocLine> {
    let mut out = Vec::new();
    header_lines(h, c, esc, &mut out);
    out.push(line(Tone::Heading, c.lang.t("handover.h_status").into()));
    out.push(status_line(h, c));
    day_lines(h, c, esc, &mut out);
    out.push(line(
        Tone::Heading,
        c.f("handover.h_actions", &[("n", &h.actions.len().to_string())]),
    ));
    if h.actions.is_empty() {
        out.push(item(Tone::Muted, c.lang.t("handover.no_actions").into()));
    }
    let now = from_db(&h.compiled_at);
    out.extend(h.actions.iter().map(|a| action_line(a, c, now, esc)));
    out.push(line(Tone::Heading, c.lang.t("handover.h_situation").into()));
    trip_lines(h, c, esc, &mut out);
    out_of_service_lines(h, c, esc, &mut out);
    notes_lines(h, c, esc, &mut out);
    out
}

/// The title, the outgoing team, who signed (or when it was compiled).
fn header_lines(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>, out: &mut Vec<DocLine>) {
    out.push(line(
        Tone::Title,
        c.f(
            "handover.title",
            &[
                ("town", &esc(c.town)),
                ("start", &c.when_full(&h.shift_start)),
                ("end", &c.when_full(&h.shift_end)),
            ],
        ),
    ));
    let team: Vec<String> = h
        .outgoing
        .iter()
        .map(|m| match m.duty.as_str() {
            "leader" => c.f(
                "handover.leader",
                &[("name", &esc(&m.name)), ("duty", c.lang.t("duty.leader"))],
            ),
            _ => esc(&m.name),
        })
        .collect();
    let team = if team.is_empty() {
        c.lang.t("handover.nobody").to_string()
    } else {
        team.join(c.lang.t("handover.list_sep"))
    };
    out.push(line(
        Tone::Muted,
        c.f("handover.outgoing", &[("team", &team)]),
    ));
    out.push(line(
        Tone::Muted,
        match &c.signed {
            Some(s) => c.f(
                "handover.signed",
                &[("name", &esc(&s.by)), ("at", &c.when(&s.at))],
            ),
            None => c.f("handover.unsigned", &[("at", &c.when(&h.compiled_at))]),
        },
    ));
}

/// The day's report: how many villages reported, who is missing, the figures.
fn day_lines(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>, out: &mut Vec<DocLine>) {
    let d = &h.day;
    out.push(line(
        Tone::Heading,
        c.f("handover.h_day", &[("date", &d.date)]),
    ));
    let state = if d.signed {
        c.lang.t("handover.report_signed")
    } else {
        c.lang.t("handover.report_draft")
    };
    out.push(item(
        Tone::Plain,
        c.f(
            "handover.reported",
            &[
                ("reported", &d.villages_reported.to_string()),
                ("expected", &d.villages_expected.to_string()),
                ("state", state),
            ],
        ),
    ));
    if !d.missing.is_empty() {
        let names: Vec<String> = d.missing.iter().map(|v| esc(&(c.place)(v))).collect();
        let (key, tone) = if d.late {
            ("handover.missing_late", Tone::Warn)
        } else {
            ("handover.missing", Tone::Plain)
        };
        let sep = c.lang.t("handover.list_sep");
        out.push(item(tone, c.f(key, &[("list", &names.join(sep))])));
    }
    out.push(item(Tone::Plain, figures_line(h, c)));
}

/// The trips under way.
fn trip_lines(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>, out: &mut Vec<DocLine>) {
    if h.trips.is_empty() {
        out.push(item(Tone::Muted, c.lang.t("handover.no_trips").into()));
    }
    for t in &h.trips {
        let status = super::transport::TripStatus::parse(&t.status).map_or("", |s| s.label_key());
        let sev = super::transport::Severity::parse(&t.severity).map_or("", |s| s.label_key());
        out.push(item(
            Tone::Plain,
            c.f(
                "handover.trip",
                &[
                    ("id", &t.id.to_string()),
                    ("vehicle", &esc(&t.vehicle)),
                    ("status", c.lang.t(status)),
                    ("severity", c.lang.t(sev)),
                    ("patient", &esc(&t.patient)),
                    ("village", &esc(&(c.place)(&t.village))),
                    ("destination", &esc(&(c.place)(&t.destination))),
                    ("since", &c.when(&t.since)),
                ],
            ),
        ));
    }
}

/// The vehicles out of service (or that all are in service).
fn out_of_service_lines(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>, out: &mut Vec<DocLine>) {
    if h.out_of_service.is_empty() {
        out.push(item(
            Tone::Muted,
            c.lang.t("handover.all_in_service").into(),
        ));
    }
    for v in &h.out_of_service {
        out.push(item(
            Tone::Warn,
            c.f(
                "handover.out_of_service",
                &[
                    ("vehicle", &esc(&v.code)),
                    ("base", &esc(&(c.place)(&v.base))),
                    ("reason", &esc(&v.reason)),
                    ("since", &c.when(&v.since)),
                ],
            ),
        ));
    }
}

/// The outgoing team's notes and how many log entries the shift has.
fn notes_lines(h: &Handover, c: &DocCtx<'_>, esc: Esc<'_>, out: &mut Vec<DocLine>) {
    out.push(line(Tone::Heading, c.lang.t("handover.h_notes").into()));
    if h.notes.trim().is_empty() {
        out.push(line(Tone::Muted, c.lang.t("handover.no_notes").into()));
    } else {
        // one line: a line break in the notes can never start a section of its own
        out.push(line(Tone::Plain, esc(h.notes.trim())));
    }
    out.push(line(
        Tone::Muted,
        if h.log_entries == 1 {
            c.f("plural.handover_one", &[])
        } else {
            c.f("handover.log_entries", &[("n", &h.log_entries.to_string())])
        },
    ));
}

/// The handover as Markdown, as it is filed or sent.
pub fn markdown(h: &Handover, c: &DocCtx<'_>) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for l in lines_with(h, c, &display_md) {
        if in_list && !l.item {
            out.push('\n');
        }
        match (l.tone, l.item) {
            (Tone::Title, _) => out.push_str(&format!("# {}\n\n", l.text)),
            (Tone::Heading, _) => out.push_str(&format!("## {}\n\n", l.text)),
            (Tone::Urgent, false) => out.push_str(&format!("**{}**\n\n", l.text)),
            (_, true) => out.push_str(&format!("- {}\n", l.text)),
            (_, false) => out.push_str(&format!("{}\n\n", l.text)),
        }
        in_list = l.item;
    }
    if in_list {
        out.push('\n');
    }
    format!("{}\n", out.trim_end())
}

#[cfg(test)]
mod tests;
