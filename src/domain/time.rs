//! The clock and the parsing of times, dates and durations typed by people.
//!
//! The town lives at a fixed UTC offset (China: +08:00) taken from its town file, so
//! "today" and the cutoff mean the same thing on any server, whatever its `TZ`.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::i18n::Msg;

/// Where "now" comes from: the system, or a fixed instant for drills and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    System,
    /// A fixed instant (`DUTY_DESK_NOW`).
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// Reads `DUTY_DESK_NOW`; a malformed value is an error rather than a silent fallback.
    pub fn from_env() -> Result<Clock, Msg> {
        match std::env::var("DUTY_DESK_NOW") {
            Ok(v) if !v.trim().is_empty() => DateTime::parse_from_rfc3339(v.trim())
                .ok()
                .map(|t| t.with_timezone(&Utc))
                .filter(|t| date_in_range(t.date_naive()))
                .map(Clock::Fixed)
                .ok_or_else(|| Msg::new("err.bad_now").quoted("value", v)),
            _ => Ok(Clock::System),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}

/// Formats an instant the way the database stores it (UTC, seconds, sortable as text).
pub fn to_db(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads an instant stored by [`to_db`] (or any RFC 3339 text).
pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `t + d`, held at the last instant chrono can represent instead of panicking: a stored
/// or configured number of minutes may be absurd, and no number may take the desk down.
pub fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < Duration::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `t - d`, held at the first or last representable instant (see [`plus`]).
pub fn minus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_sub_signed(d).unwrap_or(if d < Duration::zero() {
        DateTime::<Utc>::MAX_UTC
    } else {
        DateTime::<Utc>::MIN_UTC
    })
}

/// `n` minutes as a duration, held at the longest one chrono can carry (a stored
/// `grace_minutes` or `critical_wait_minutes` may be any `i64`).
pub fn minutes(n: i64) -> Duration {
    Duration::try_minutes(n).unwrap_or(if n < 0 { Duration::MIN } else { Duration::MAX })
}

/// The first day the desk accepts in a date typed or imported by people.
pub const FIRST_DATE: (i32, u32, u32) = (2000, 1, 1);
/// The last day the desk accepts in a date typed or imported by people.
pub const LAST_DATE: (i32, u32, u32) = (2100, 12, 31);

/// True when `d` is inside [`FIRST_DATE`]..=[`LAST_DATE`]: a year 0000 or 9999 is a typo,
/// and keeping dates in this window keeps every day arithmetic far from chrono's limits.
pub fn date_in_range(d: NaiveDate) -> bool {
    let first = NaiveDate::from_ymd_opt(FIRST_DATE.0, FIRST_DATE.1, FIRST_DATE.2);
    let last = NaiveDate::from_ymd_opt(LAST_DATE.0, LAST_DATE.1, LAST_DATE.2);
    matches!((first, last), (Some(f), Some(l)) if f <= d && d <= l)
}

/// The message for a date outside the accepted window.
pub fn date_range_msg(value: &str) -> Msg {
    Msg::new("bounds.date_range")
        .quoted("value", value)
        .arg(
            "from",
            format!(
                "{:04}-{:02}-{:02}",
                FIRST_DATE.0, FIRST_DATE.1, FIRST_DATE.2
            ),
        )
        .arg(
            "to",
            format!("{:04}-{:02}-{:02}", LAST_DATE.0, LAST_DATE.1, LAST_DATE.2),
        )
}

/// Reads a date argument (`YYYY-MM-DD`): the date, or the one message for why not: a
/// well-formed date outside the desk's range names the range, anything else is not a date.
pub fn date_arg(value: &str) -> Result<NaiveDate, Msg> {
    parse_date(value).ok_or_else(
        || match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
            Ok(_) => date_range_msg(value),
            Err(_) => Msg::new("err.bad_date").quoted("value", value),
        },
    )
}

/// Parses `+08:00`, `-05:30` or `Z` into an offset.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s == "Z" || s == "UTC" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Formats an offset as `+08:00`.
pub fn format_offset(o: FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// Parses a wall-clock time `HH:MM` (24-hour).
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Parses a calendar date `YYYY-MM-DD` between [`FIRST_DATE`] and [`LAST_DATE`].
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| date_in_range(*d))
}

/// Parses a duration such as `90s`, `30m`, `2h`, `1d`, `1h30m`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::zero();
    let mut num = String::new();
    let mut saw_unit = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        if num.is_empty() || num.len() > 6 {
            return None;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        let part = match c {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            _ => return None,
        }?;
        // "999999d" a hundred thousand times must not overflow
        total = total.checked_add(&part)?;
        saw_unit = true;
    }
    if !num.is_empty() || !saw_unit || total <= Duration::zero() {
        return None;
    }
    Some(total)
}

/// Parses a deadline typed by a person: a duration from `now`, an RFC 3339 instant, or
/// `HH:MM` (the next such time in the town).
pub fn parse_due(s: &str, now: DateTime<Utc>, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let in_range = |t: DateTime<Utc>| date_in_range(t.date_naive()).then_some(t);
    if let Some(d) = parse_duration(s) {
        return now.checked_add_signed(d).and_then(in_range);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return in_range(t.with_timezone(&Utc));
    }
    let hm = parse_hhmm(s)?;
    let local_now = now.with_timezone(&offset);
    let today = local_now.date_naive().and_time(hm);
    let candidate = offset.from_local_datetime(&today).single()?;
    let candidate = if candidate <= local_now {
        candidate.checked_add_signed(Duration::days(1))?
    } else {
        candidate
    };
    in_range(candidate.with_timezone(&Utc))
}

/// The town-local date of an instant.
pub fn local_date(t: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    t.with_timezone(&offset).date_naive()
}

/// The town date of an instant given as Unix seconds (SQLite's `unixepoch()`), with the
/// town's offset in seconds: the same day as [`local_date`], with no text parsed (the call
/// list reads 10,000 of them). `None` beyond the dates chrono can hold.
pub fn unix_local_date(secs: i64, offset_secs: i64) -> Option<NaiveDate> {
    // 1970-01-01 is day 719,163 counted from 0001-01-01 (day 1)
    let day = secs.checked_add(offset_secs)?.div_euclid(86_400);
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day.checked_add(719_163)?).ok()?)
}

/// The instant at which `time` happens on `date` in the town.
pub fn local_instant(date: NaiveDate, time: NaiveTime, offset: FixedOffset) -> DateTime<Utc> {
    // A fixed offset has no gaps or folds, so the local time always maps to one instant.
    match offset.from_local_datetime(&date.and_time(time)).single() {
        Some(t) => t.with_timezone(&Utc),
        None => Utc.from_utc_datetime(&date.and_time(time)),
    }
}

/// A day without its year as `lang` writes it (`11-05`, `11月5日`): the catalogue's
/// `date.month_day` format. A format chrono cannot read falls back to the ISO date.
pub fn month_day(day: NaiveDate, lang: crate::i18n::Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    match write!(out, "{}", day.format(lang.t("date.month_day"))) {
        Ok(()) => out,
        Err(_) => day.to_string(),
    }
}

/// A weekday's short name in `lang` ("Thu", "周四"): chrono's `%a` is English only.
pub fn weekday(day: NaiveDate, lang: crate::i18n::Lang) -> &'static str {
    use chrono::{Datelike, Weekday};
    lang.t(match day.weekday() {
        Weekday::Mon => "date.weekday.mon",
        Weekday::Tue => "date.weekday.tue",
        Weekday::Wed => "date.weekday.wed",
        Weekday::Thu => "date.weekday.thu",
        Weekday::Fri => "date.weekday.fri",
        Weekday::Sat => "date.weekday.sat",
        Weekday::Sun => "date.weekday.sun",
    })
}

/// A short human duration: `45s`, `12m`, `3h05m`, `2d04h`.
pub fn short_duration(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m", s / 60)
    } else if s < 86400 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d{:02}h", s / 86400, (s % 86400) / 3600)
    }
}

/// A duration in words of `lang` through the catalogue (`3h05m` in English, `3小时05分`
/// in Chinese), for text people read on the command line.
pub fn duration_text(d: Duration, lang: crate::i18n::Lang) -> String {
    let s = d.num_seconds().max(0);
    let two = |n: i64| format!("{n:02}");
    if s < 60 {
        lang.fmt("dur.s", &[("n", &s.to_string())])
    } else if s < 3600 {
        lang.fmt("dur.m", &[("n", &(s / 60).to_string())])
    } else if s < 86400 {
        lang.fmt(
            "dur.hm",
            &[("h", &(s / 3600).to_string()), ("m", &two((s % 3600) / 60))],
        )
    } else {
        lang.fmt(
            "dur.dh",
            &[
                ("d", &(s / 86400).to_string()),
                ("h", &two((s % 86400) / 3600)),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_local_date_is_local_date_without_parsing() {
        let offsets = [0, 8 * 3600, -5 * 3600, 14 * 3600, -12 * 3600 - 30 * 60];
        let instants = [
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "2026-11-25T15:59:59Z",
            "2026-11-25T16:00:00Z",
            "2026-12-31T23:30:00Z",
            "2028-02-29T12:00:00Z",
            "2000-03-01T04:59:59Z",
        ];
        for off in offsets {
            let fixed = FixedOffset::east_opt(off).unwrap();
            for t in instants {
                let t = from_db(t).unwrap();
                assert_eq!(
                    unix_local_date(t.timestamp(), i64::from(off)),
                    Some(local_date(t, fixed)),
                    "{t} at {off}"
                );
            }
        }
        assert_eq!(unix_local_date(i64::MAX, 1), None);
        assert_eq!(unix_local_date(i64::MAX / 2, 0), None);
    }

    /// Issue 19: durations were ASCII (`3h30m`) in Chinese too.
    #[test]
    fn durations_read_in_each_language() {
        use crate::i18n::Lang;
        let d = Duration::minutes(210);
        assert_eq!(duration_text(d, Lang::En), "3h30m");
        assert_eq!(duration_text(d, Lang::Zh), "3小时30分");
        assert_eq!(duration_text(Duration::minutes(12), Lang::Zh), "12分钟");
        assert_eq!(duration_text(Duration::seconds(45), Lang::Zh), "45秒");
        assert_eq!(duration_text(Duration::hours(52), Lang::Zh), "2天04小时");
        assert_eq!(duration_text(Duration::hours(52), Lang::En), "2d04h");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        from_db(s).unwrap()
    }

    #[test]
    fn absurd_durations_and_dates_are_refused_not_panics() {
        let long = "999999d".repeat(200_000);
        assert_eq!(parse_duration(&long), None);
        let now = Utc::now();
        let off = parse_offset("+08:00").unwrap();
        assert_eq!(parse_due(&long, now, off), None);
        assert_eq!(parse_due("9999-12-31T00:00:00Z", now, off), None);
        assert_eq!(parse_date("0000-01-01"), None);
        assert_eq!(parse_date("1999-12-31"), None);
        assert!(parse_date("2000-01-01").is_some());
        assert!(parse_date("2100-12-31").is_some());
        assert_eq!(parse_date("2101-01-01"), None);
        assert_eq!(
            plus(DateTime::<Utc>::MAX_UTC, Duration::MAX),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            minus(DateTime::<Utc>::MIN_UTC, Duration::MAX),
            DateTime::<Utc>::MIN_UTC
        );
        assert_eq!(minutes(i64::MAX), Duration::MAX);
        assert_eq!(minutes(i64::MIN), Duration::MIN);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2h"), Some(Duration::hours(2)));
        assert_eq!(parse_duration("30m"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("1d"), Some(Duration::days(1)));
        assert_eq!(parse_duration("45s"), Some(Duration::seconds(45)));
        for bad in ["", "h", "2", "2x", "-2h", "0m", "1.5h", "9999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn due_from_duration_instant_and_clock_time() {
        let now = utc("2026-11-26T02:00:00Z"); // 10:00 at +08:00
        let off = parse_offset("+08:00").unwrap();
        assert_eq!(parse_due("2h", now, off), Some(utc("2026-11-26T04:00:00Z")));
        assert_eq!(
            parse_due("2026-11-26T12:00:00+08:00", now, off),
            Some(utc("2026-11-26T04:00:00Z"))
        );
        assert_eq!(
            parse_due("18:00", now, off),
            Some(utc("2026-11-26T10:00:00Z"))
        );
        // earlier today means tomorrow
        assert_eq!(
            parse_due("09:00", now, off),
            Some(utc("2026-11-27T01:00:00Z"))
        );
        assert_eq!(parse_due("soon", now, off), None);
    }

    #[test]
    fn offsets_and_clock_times() {
        assert_eq!(format_offset(parse_offset("+08:00").unwrap()), "+08:00");
        assert_eq!(format_offset(parse_offset("-05:30").unwrap()), "-05:30");
        assert!(parse_offset("08:00").is_none());
        assert!(parse_offset("+8").is_none());
        assert_eq!(parse_hhmm("8:30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert!(parse_hhmm("24:00").is_none());
        assert!(parse_hhmm("10:5").is_none());
        assert!(parse_hhmm("ten").is_none());
    }

    #[test]
    fn local_dates_follow_the_town_offset() {
        let off = parse_offset("+08:00").unwrap();
        assert_eq!(
            local_date(utc("2026-11-25T17:00:00Z"), off),
            parse_date("2026-11-26").unwrap()
        );
    }

    #[test]
    fn short_durations() {
        assert_eq!(short_duration(Duration::seconds(5)), "5s");
        assert_eq!(short_duration(Duration::minutes(12)), "12m");
        assert_eq!(short_duration(Duration::minutes(185)), "3h05m");
        assert_eq!(short_duration(Duration::hours(52)), "2d04h");
    }
}
