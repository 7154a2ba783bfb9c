//! Everything the console's screens show, read in one go by indexed queries so that a
//! refresh costs the same on the first day as after three years.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;

use super::Result;
use super::escalations::open_escalations;
use super::fleet::{open_transports, transports_since, vehicles};
use super::people::CallListCache;
use super::reports::{SignInfo, check_contexts, day_rows, sign_info, totals_range};
use super::shiftlog::{
    LogPage, count_entries, current_shift_start, handover_row, log_page, roster,
};
use crate::domain::day_summary::DaySummary;
use crate::domain::escalation::EscalationRow;
use crate::domain::fleet::{TransportRow, VehicleRow};
use crate::domain::report::StoredRow;
use crate::domain::report::{CheckContext, Totals};
use crate::domain::shift::Duty;
use crate::domain::shift::{HandoverRow, LogRow};
use crate::domain::time::{local_date, local_instant, to_db};
use crate::domain::town::Town;

/// How many days the trend charts cover.
pub const TREND_DAYS: i64 = 30;

/// How many of a shift's newest log entries the console reads: a shift left open for
/// months (a desk that never signs over) must not be read whole at every refresh.
pub const LOG_WINDOW: usize = 500;

/// How many of the town's changes the town popup lists.
pub const TOWN_HISTORY: i64 = 200;

/// What the console is looking at, which decides what to read.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    /// The day shown on the report screen (today when `None`).
    pub report_date: Option<NaiveDate>,
    /// A past shift being browsed (the current one when `None`).
    pub shift: Option<DateTime<Utc>>,
    /// The escalation whose detail (with its audit history) is open.
    pub escalation: Option<i64>,
    /// The duty leaders' audit view is open (its rows come with the chain check).
    pub audit: bool,
    /// The town popup is open: its change history is read (not on every refresh).
    pub town: bool,
    /// Which window of the shown shift's log is read (the newest unless the officer paged
    /// back past it, issue 18).
    pub log_page: LogPage,
    /// The Key populations screen is shown: its call list is read (issue 15).
    pub people: bool,
}

/// The data behind every screen at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// When it was read.
    pub now: DateTime<Utc>,
    /// The town's date at `now`.
    pub today: NaiveDate,
    /// Totals for each of the last [`TREND_DAYS`] days up to today that have rows.
    pub trend: Vec<Totals>,
    /// Today's honest figures (like-for-like change, carried cumulative).
    pub today_summary: DaySummary,
    /// The report screen's day's honest figures.
    pub report_summary: DaySummary,
    /// The report screen's day's analysis (研判), if written.
    pub report_note: Option<super::reports::DayNote>,
    /// The health centers' facilities and reserve (the report screen's panel).
    pub facilities: Vec<crate::domain::facility::FacilityRow>,
    /// Today's rows.
    pub today_rows: HashMap<String, StoredRow>,
    /// The report screen's day.
    pub report_date: NaiveDate,
    /// Its rows.
    pub report_rows: HashMap<String, StoredRow>,
    /// Its sign-off.
    pub report_sign: Option<SignInfo>,
    /// Trend ending on the report screen's day.
    pub report_trend: Vec<Totals>,
    /// Each village's check context for the report screen's day (the form's live checks).
    pub report_checks: HashMap<String, CheckContext>,
    /// Every vehicle.
    pub vehicles: Vec<VehicleRow>,
    /// Open transports, most urgent first.
    pub transports: Vec<TransportRow>,
    /// Transports requested since the start of today (for today's counts).
    pub transports_today: Vec<TransportRow>,
    /// Unresolved escalations.
    pub escalations: Vec<EscalationRow>,
    /// The escalation in `View::escalation`, whatever its state.
    pub esc_detail: Option<EscalationRow>,
    /// The history of the escalation in `View::escalation` (empty when none is open).
    pub esc_history: Vec<crate::domain::audit_chain::AuditRow>,
    /// The shift shown on the log screen.
    pub shift_start: DateTime<Utc>,
    /// The current shift (new entries go here).
    pub current_shift: DateTime<Utc>,
    /// The shown shift's people.
    pub roster: Vec<(String, Duty)>,
    /// The current shift's people when a past shift is being browsed (`None`: `roster`).
    pub on_duty: Option<Vec<(String, Duty)>>,
    /// Its log: a window of at most [`LOG_WINDOW`] entries (`View::log_page`: the newest
    /// unless paged back), in the log's order.
    pub log: Vec<LogRow>,
    /// How many entries its log holds in all (more than `log.len()` past the window).
    pub log_total: usize,
    /// How many of them are older than the window (0: it starts at the first entry).
    pub log_older: usize,
    /// The page the window was read for.
    pub log_page: LogPage,
    /// Its handover row.
    pub handover: Option<HandoverRow>,
    /// Its handover as it would be filed now (compiled live; frozen once signed).
    pub handover_doc: super::handover::Filed,
    /// The nearest earlier shift with a log or handover (for browsing back).
    pub prev_shift: Option<DateTime<Utc>>,
    /// The nearest later shift with a log or handover (for browsing forward).
    pub next_shift: Option<DateTime<Utc>>,
    /// The town as read with this snapshot (it changes after init: `town apply`, console
    /// edits, surge).
    pub town: std::sync::Arc<Town>,
    /// The audit rows about the town, newest first (the town popup's history; read only
    /// while `View::town` says the popup is open, else empty).
    pub town_history: Vec<crate::domain::audit_chain::AuditRow>,
    /// The roster a week ahead from the open shift's day (kept, else planned).
    pub roster_week: Vec<super::roster::RosterDay>,
    /// Alert records nobody has seen whose cause is still there, oldest first (banner).
    pub alerts_unseen: Vec<crate::domain::alerts::InboxItem>,
    /// How many alert records are unseen in all (the banner's "+N more").
    pub alerts_unseen_total: usize,
    /// The newest alert records, newest first (the inbox).
    pub alerts_recent: Vec<crate::domain::alerts::InboxItem>,
    /// Key populations due today, overdue first within each village (issue 15); read
    /// only while `View::people` says the screen is shown, else empty.
    pub call_list: std::sync::Arc<Vec<super::people::CallRow>>,
    /// The call list was read (`View::people`): else the screen, just opened, waits for it
    /// rather than saying nobody is due.
    pub call_list_read: bool,
}

impl Snapshot {
    /// How many of the shown shift's entries are newer than the log window (0: the window
    /// ends at the newest entry).
    pub fn log_newer(&self) -> usize {
        self.log_total
            .saturating_sub(self.log_older)
            .saturating_sub(self.log.len())
    }

    /// Totals of one day from the trend (empty when nobody reported).
    pub fn totals_on(&self, date: NaiveDate) -> Totals {
        self.trend
            .iter()
            .chain(self.report_trend.iter())
            .find(|t| t.date == Some(date))
            .copied()
            .unwrap_or(Totals {
                date: Some(date),
                ..Default::default()
            })
    }

    /// Village codes with no row today.
    pub fn missing_today<'a>(&self, town: &'a Town) -> Vec<&'a str> {
        town.villages
            .iter()
            .filter(|v| !self.today_rows.contains_key(&v.code))
            .map(|v| v.code.as_str())
            .collect()
    }

    /// True once today's cutoff has passed.
    pub fn past_cutoff(&self, town: &Town) -> bool {
        self.now >= local_instant(self.today, town.info.report_cutoff, town.info.offset)
    }
}

/// Reads a snapshot for `view` at `now`, reading the town afresh first (another desk may
/// have applied a town file or switched surge; `town` stands if it cannot be read).
pub fn load(conn: &Connection, town: &Town, view: &View, now: DateTime<Utc>) -> Result<Snapshot> {
    let fresh = std::sync::Arc::new(super::town::load(conn).unwrap_or_else(|_| town.clone()));
    load_with(conn, fresh, view, now)
}

/// The two days a snapshot shows (today and the report's day): their rows, their honest
/// figures and their trends, each read once when the two are the same day.
struct Days {
    today: NaiveDate,
    report_date: NaiveDate,
    trend: Vec<Totals>,
    report_trend: Vec<Totals>,
    today_rows: HashMap<String, StoredRow>,
    report_rows: HashMap<String, StoredRow>,
    today_summary: DaySummary,
    report_summary: DaySummary,
}

fn days(conn: &Connection, town: &Town, view: &View, now: DateTime<Utc>) -> Result<Days> {
    let today = local_date(now, town.info.offset);
    let report_date = view.report_date.unwrap_or(today);
    let trend = totals_range(conn, today - Duration::days(TREND_DAYS - 1), today)?;
    let report_trend = if report_date == today {
        trend.clone()
    } else {
        totals_range(
            conn,
            report_date - Duration::days(TREND_DAYS - 1),
            report_date,
        )?
    };
    let today_rows = day_rows(conn, today)?;
    let report_rows = if report_date == today {
        today_rows.clone()
    } else {
        day_rows(conn, report_date)?
    };
    // the rows just read make the day's honest figures: no second read of them
    let today_summary = super::reports::summary_from(conn, town, today, &today_rows)?;
    let report_summary = if report_date == today {
        today_summary.clone()
    } else {
        super::reports::summary_from(conn, town, report_date, &report_rows)?
    };
    Ok(Days {
        today,
        report_date,
        trend,
        report_trend,
        today_rows,
        report_rows,
        today_summary,
        report_summary,
    })
}

/// Reads a snapshot for `view` at `now` with a town the caller has just read: the
/// console's store thread re-reads the town on every change already, so it is not read
/// twice per refresh.
pub fn load_with(
    conn: &Connection,
    fresh: std::sync::Arc<Town>,
    view: &View,
    now: DateTime<Utc>,
) -> Result<Snapshot> {
    load_cached(conn, fresh, view, now, &mut CallListCache::default())
}

/// [`load_with`] keeping the call list in `people` between refreshes (the store thread's
/// cache: read again only when the day or the data changed).
pub fn load_cached(
    conn: &Connection,
    fresh: std::sync::Arc<Town>,
    view: &View,
    now: DateTime<Utc>,
    people: &mut CallListCache,
) -> Result<Snapshot> {
    let town = &*fresh;
    let Days {
        today,
        report_date,
        trend,
        report_trend,
        today_rows,
        report_rows,
        today_summary,
        report_summary,
    } = days(conn, town, view, now)?;
    let current_shift = current_shift_start(conn, now)?;
    let shift_start = view.shift.unwrap_or(current_shift);
    let start_of_today = local_instant(today, chrono::NaiveTime::MIN, town.info.offset);
    let neighbours = super::shiftlog::neighbour_shifts(conn, shift_start)?;
    let log_total = count_entries(conn, shift_start)?;
    let window = log_page(conn, shift_start, view.log_page, LOG_WINDOW, log_total)?;
    Ok(Snapshot {
        now,
        today,
        trend,
        today_summary,
        report_summary,
        report_note: super::reports::day_note(conn, report_date)?,
        facilities: super::facility::facilities(conn, town)?,
        today_rows,
        report_date,
        report_rows,
        report_sign: sign_info(conn, report_date)?,
        report_trend,
        report_checks: check_contexts(conn, town, report_date, today)?,
        vehicles: vehicles(conn)?,
        transports: open_transports(conn)?,
        transports_today: transports_since(conn, &to_db(start_of_today))?,
        escalations: open_escalations(conn)?,
        esc_detail: match view.escalation {
            Some(id) => super::escalations::escalation(conn, id)?,
            None => None,
        },
        esc_history: match view.escalation {
            Some(id) => super::escalations::history(conn, id)?,
            None => Vec::new(),
        },
        shift_start,
        current_shift,
        roster: roster(conn, shift_start)?,
        on_duty: if shift_start == current_shift {
            None
        } else {
            Some(roster(conn, current_shift)?)
        },
        log: window.entries,
        log_total,
        log_older: window.older,
        log_page: view.log_page,
        handover: handover_row(conn, shift_start)?,
        handover_doc: super::handover::filed(conn, town, shift_start, now)?,
        prev_shift: neighbours.0,
        next_shift: neighbours.1,
        town_history: if view.town {
            super::town::town_history(conn, TOWN_HISTORY)?
        } else {
            Vec::new()
        },
        town: fresh.clone(),
        roster_week: {
            let first = local_date(current_shift, town.info.offset);
            super::roster::show(conn, town, first, first + Duration::days(6))?
        },
        alerts_unseen: super::alerts::inbox_unseen(conn, town)?,
        alerts_unseen_total: super::alerts::unseen_count(conn)?,
        alerts_recent: super::alerts::inbox_recent(conn, town, INBOX_MAX)?,
        call_list: if view.people {
            people.get(conn, town, today)?
        } else {
            std::sync::Arc::default()
        },
        call_list_read: view.people,
    })
}

/// Most alerts the console's inbox lists.
pub const INBOX_MAX: i64 = 100;
