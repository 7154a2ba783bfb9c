//! 24-hour shifts: which shift an instant belongs to.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, Utc};

use super::time::{local_date, local_instant};
use super::transport::{Severity, TripStatus};
use crate::i18n::{Lang, Msg};

/// Length of a duty shift.
pub const SHIFT_LENGTH: Duration = Duration::hours(24);

/// The nominal start of the shift containing `now`, for shifts starting daily at `start`.
pub fn shift_start_for(now: DateTime<Utc>, offset: FixedOffset, start: NaiveTime) -> DateTime<Utc> {
    let today = local_date(now, offset);
    let candidate = local_instant(today, start, offset);
    if candidate <= now {
        candidate
    } else {
        candidate - SHIFT_LENGTH
    }
}

/// How long the shift starting at `start` has been over without its sign-over at `now`
/// (`None` while it still runs). The open shift is the earliest started, unsigned one, so a
/// late open shift is a handover that has not happened yet.
pub fn handover_late_by(start: DateTime<Utc>, now: DateTime<Utc>) -> Option<Duration> {
    let late = now - (start + SHIFT_LENGTH);
    (late > Duration::zero()).then_some(late)
}

/// "45 min", "3 h 05 min" / "45分钟", "3小时05分钟": a lateness as people say it.
pub fn late_text(d: Duration, lang: Lang) -> String {
    let mins = d.num_minutes().max(0);
    let (h, m) = (mins / 60, mins % 60);
    if h == 0 {
        lang.fmt("shift.late.m", &[("m", &m.to_string())])
    } else {
        lang.fmt(
            "shift.late.hm",
            &[("h", &h.to_string()), ("m", &format!("{m:02}"))],
        )
    }
}

/// The open shift as the header and the Shift log name it: "shift 11-26 08:30", and when
/// it is past its end and still unsigned, "handover 45 min late".
pub fn open_shift_label(
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    offset: FixedOffset,
    lang: Lang,
) -> (String, Option<String>) {
    let name = Msg::new("shift.open_name")
        .arg("start", start.with_timezone(&offset).format("%m-%d %H:%M"))
        .render(lang);
    let late = handover_late_by(start, now).map(|d| {
        Msg::new("shift.handover_late")
            .arg("late", late_text(d, lang))
            .render(lang)
    });
    (name, late)
}

/// What a duty shift member does on the shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Duty {
    /// Duty leader (带班领导).
    Leader,
    /// Duty officer (值班员).
    Officer,
}

impl Duty {
    /// Name in the database and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Leader => "leader",
            Duty::Officer => "officer",
        }
    }

    /// Reads a duty name.
    pub fn parse(s: &str) -> Option<Duty> {
        match s.trim() {
            "leader" => Some(Duty::Leader),
            "officer" => Some(Duty::Officer),
            _ => None,
        }
    }
}

/// The category of a shift-log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogCategory {
    /// A phone call.
    Call,
    /// A dispatch or trip step.
    Dispatch,
    /// The daily report.
    Report,
    /// An escalation.
    Escalation,
    /// Anything else.
    Note,
}

impl LogCategory {
    /// All categories.
    pub const ALL: [LogCategory; 5] = [
        LogCategory::Call,
        LogCategory::Dispatch,
        LogCategory::Report,
        LogCategory::Escalation,
        LogCategory::Note,
    ];

    /// Name in the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LogCategory::Call => "call",
            LogCategory::Dispatch => "dispatch",
            LogCategory::Report => "report",
            LogCategory::Escalation => "escalation",
            LogCategory::Note => "note",
        }
    }

    /// Reads a category name.
    pub fn parse(s: &str) -> Option<LogCategory> {
        LogCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }

    /// Catalogue key of the display name.
    pub fn label_key(self) -> &'static str {
        match self {
            LogCategory::Call => "logcat.call",
            LogCategory::Dispatch => "logcat.dispatch",
            LogCategory::Report => "logcat.report",
            LogCategory::Escalation => "logcat.escalation",
            LogCategory::Note => "logcat.note",
        }
    }
}

/// A trip or vehicle status code by its display name (`en_route` → "en route", "前往途中").
fn status_name(code: &str, lang: Lang) -> Option<String> {
    TripStatus::parse(code)
        .map(|s| lang.t(s.label_key()).to_string())
        .or_else(|| {
            super::transport::VehicleStatus::parse(code).map(|s| lang.t(s.label_key()).to_string())
        })
}

/// An automatic entry's message with its codes shown as a reader knows them: trip
/// statuses and severities from the catalogue, villages and destinations by name.
pub fn readable(msg: &Msg, lang: Lang, place: &dyn Fn(&str) -> String) -> Msg {
    let mut m = msg.clone();
    // an entry about a rule's escalation keeps its subject: its title is re-read from it
    let rule_title = m
        .args
        .iter()
        .find(|(n, _)| n == "subject")
        .and_then(|(_, s)| super::rules::title(s, lang, place));
    if let Some(t) = rule_title
        && let Some((_, title)) = m.args.iter_mut().find(|(n, _)| n == "title")
    {
        *title = t;
    }
    for (name, value) in m.args.iter_mut() {
        let named = match name.as_ref() {
            "status" | "from" | "to" => status_name(value, lang),
            "allowed" => Some(
                value
                    .split(", ")
                    .map(|v| status_name(v, lang).unwrap_or_else(|| v.to_string()))
                    .collect::<Vec<_>>()
                    .join(lang.t("list.sep")),
            ),
            "severity" => Severity::parse(value).map(|s| lang.t(s.label_key()).to_string()),
            "item" => super::escalation::StockItem::parse(value)
                .map(|i| lang.t(i.label_key()).to_string()),
            "village" | "destination" | "place" | "base" => Some(place(value)),
            _ => None,
        };
        if let Some(n) = named {
            *value = n;
        }
    }
    m
}

/// One entry of the shift log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    /// Entry id.
    pub id: i64,
    /// When.
    pub at: String,
    /// Category.
    pub category: LogCategory,
    /// Who wrote it (or whose action wrote it).
    pub author: String,
    /// Free text (manual entries) or the English rendering (automatic ones).
    pub text: String,
    /// The message of an automatic entry.
    pub auto_msg: Option<Msg>,
    /// The entry this one amends.
    pub amends: Option<i64>,
}

impl LogRow {
    /// The entry's text in `lang`.
    pub fn text_in(&self, lang: Lang) -> String {
        match &self.auto_msg {
            Some(m) => m.render(lang),
            None => self.text.clone(),
        }
    }

    /// The entry's text in `lang`, with the town's codes shown by name.
    pub fn text_for(&self, lang: Lang, town: &crate::domain::town::Town) -> String {
        match &self.auto_msg {
            Some(m) => {
                crate::domain::shift::readable(m, lang, &|c| town.place_name(c, lang)).render(lang)
            }
            None => self.text.clone(),
        }
    }
}

/// The stored handover row of a shift.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HandoverRow {
    /// The outgoing team's notes.
    pub notes: String,
    /// The compiled handover as JSON, frozen at signing.
    pub compiled: Option<String>,
    /// The incoming officer who signed.
    pub signed_by: Option<String>,
    /// When.
    pub signed_at: Option<String>,
    /// Who handed over.
    pub outgoing: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{from_db, parse_hhmm, parse_offset};

    #[test]
    fn a_rule_escalation_entry_reads_in_the_readers_language() {
        let m = Msg::new("log.auto.escalation_raised")
            .arg("id", 5)
            .arg("title", "No daily report from V04 for 11-26")
            .arg("subject", "missing_report:V04:2026-11-26");
        let zh = readable(&m, Lang::Zh, &|c| format!("<{c}>")).render(Lang::Zh);
        assert!(zh.contains("<V04>") && zh.contains("11月26日"), "{zh}");
        assert!(!zh.contains("No daily report"), "{zh}");
    }

    #[test]
    fn refusals_name_statuses_in_the_readers_language() {
        let m = TripStatus::Dispatched
            .check_step(TripStatus::AtDestination)
            .unwrap_err();
        let zh = readable(&m, Lang::Zh, &|c| c.to_string()).render(Lang::Zh);
        assert!(zh.contains("已派车") && zh.contains("前往途中"), "{zh}");
        assert!(!zh.contains("en_route"), "{zh}");
        // a refusal stored before labels, its allowed steps as raw codes: joined by 、
        let old = Msg::from_parts(
            "deny.bad_step".into(),
            vec![
                ("from".into(), "en_route".into()),
                ("to".into(), "requested".into()),
                ("allowed".into(), "on_scene, cancelled".into()),
            ],
        );
        let zh = readable(&old, Lang::Zh, &|c| c.to_string()).render(Lang::Zh);
        assert!(!zh.contains(", ") && zh.contains('、'), "{zh}");
    }

    #[test]
    fn a_shift_is_late_only_past_its_end() {
        let start = from_db("2026-11-26T00:30:00Z").unwrap();
        let end = start + SHIFT_LENGTH;
        assert_eq!(handover_late_by(start, end - Duration::minutes(1)), None);
        assert_eq!(handover_late_by(start, end), None, "on time is not late");
        assert_eq!(
            handover_late_by(start, end + Duration::minutes(45)),
            Some(Duration::minutes(45))
        );
        assert_eq!(late_text(Duration::minutes(45), Lang::En), "45 min");
        assert_eq!(late_text(Duration::minutes(185), Lang::En), "3 h 05 min");
        assert_eq!(late_text(Duration::minutes(185), Lang::Zh), "3小时05分钟");
        let off = parse_offset("+08:00").unwrap();
        let (name, late) = open_shift_label(start, end + Duration::minutes(45), off, Lang::En);
        assert!(name.contains("11-26 08:30"), "{name}");
        assert_eq!(late.as_deref(), Some("handover 45 min late"));
        let (_, late) = open_shift_label(start, end + Duration::minutes(45), off, Lang::Zh);
        assert_eq!(late.as_deref(), Some("交接班已逾时45分钟"));
    }

    /// The lateness was written in code ("min", "分钟"), not taken from the catalogue.
    #[test]
    fn late_text_comes_from_the_catalogue() {
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(
                late_text(Duration::minutes(45), lang),
                lang.fmt("shift.late.m", &[("m", "45")])
            );
            assert_eq!(
                late_text(Duration::minutes(185), lang),
                lang.fmt("shift.late.hm", &[("h", "3"), ("m", "05")])
            );
        }
    }

    #[test]
    fn shifts_start_at_the_town_time() {
        let off = parse_offset("+08:00").unwrap();
        let start = parse_hhmm("08:30").unwrap();
        // 10:00 local -> today's 08:30
        assert_eq!(
            shift_start_for(from_db("2026-11-26T02:00:00Z").unwrap(), off, start),
            from_db("2026-11-26T00:30:00Z").unwrap()
        );
        // 07:00 local -> yesterday's 08:30
        assert_eq!(
            shift_start_for(from_db("2026-11-25T23:00:00Z").unwrap(), off, start),
            from_db("2026-11-25T00:30:00Z").unwrap()
        );
        // exactly 08:30 belongs to the new shift
        assert_eq!(
            shift_start_for(from_db("2026-11-26T00:30:00Z").unwrap(), off, start),
            from_db("2026-11-26T00:30:00Z").unwrap()
        );
    }

    #[test]
    fn automatic_entries_name_codes_and_states_for_the_reader() {
        let msg = Msg::new("log.auto.transport_requested")
            .arg("id", 4)
            .arg("severity", "critical")
            .arg("village", "V09")
            .arg("destination", "DH");
        let place = |c: &str| format!("<{c}>");
        let zh = readable(&msg, Lang::Zh, &place).render(Lang::Zh);
        assert!(zh.contains("<V09>") && zh.contains("<DH>"), "{zh}");
        assert!(zh.contains(Lang::Zh.t("severity.critical")), "{zh}");
        let step = Msg::new("log.auto.trip_step")
            .arg("id", 4)
            .arg("vehicle", "AMB1")
            .arg("status", "en_route");
        let en = readable(&step, Lang::En, &place).render(Lang::En);
        assert_eq!(en, "Transport #4: AMB1 en route");
    }
}
