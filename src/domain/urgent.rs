//! The Overview's "Most urgent" list (issue 14): overdue escalations, critical and severe
//! patients waiting for a vehicle, missing reports past the cutoff, in one order.

use chrono::{DateTime, Utc};

/// What a row of the list is, and the record Enter opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An escalation (its detail).
    Escalation(i64),
    /// A transport request (the Fleet queue).
    Transport(i64),
    /// A village's missing daily report (the Daily report screen).
    Report(String),
}

/// How urgent a row is, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// A critical patient waiting for a vehicle.
    CriticalWaiting,
    /// An escalation overdue past its grace (raised to the duty leader).
    Raised,
    /// An escalation past its deadline.
    Overdue,
    /// A severe patient waiting for a vehicle.
    SevereWaiting,
    /// A village's report missing after the cutoff.
    MissingReport,
    /// An open escalation not yet due.
    Pending,
}

/// One row: its rank, the instant it is measured from (the older, the more urgent
/// within a rank; for pending escalations the nearer deadline), and its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urgent {
    /// How urgent.
    pub rank: Rank,
    /// Waiting since, due at, or the cutoff.
    pub since: DateTime<Utc>,
    /// The record.
    pub target: Target,
}

/// Sorts the rows most urgent first: by rank, then the oldest (or nearest) instant.
pub fn order(mut rows: Vec<Urgent>) -> Vec<Urgent> {
    rows.sort_by_key(|a| (a.rank, a.since));
    rows
}

/// How many rows of `n` a box of `height` lines shows, and how many are left for "+N
/// more" (which takes the last line when not all fit).
pub fn fit_rows(n: usize, height: usize) -> (usize, usize) {
    if n <= height {
        (n, 0)
    } else {
        let shown = height.saturating_sub(1);
        (shown, n - shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::from_db;

    #[test]
    fn most_urgent_first_then_oldest() {
        let t = |s: &str| from_db(s).unwrap();
        let rows = vec![
            Urgent {
                rank: Rank::Pending,
                since: t("2026-11-26T05:00:00Z"),
                target: Target::Escalation(9),
            },
            Urgent {
                rank: Rank::MissingReport,
                since: t("2026-11-26T02:00:00Z"),
                target: Target::Report("V04".into()),
            },
            Urgent {
                rank: Rank::Overdue,
                since: t("2026-11-26T02:10:00Z"),
                target: Target::Escalation(2),
            },
            Urgent {
                rank: Rank::Overdue,
                since: t("2026-11-26T01:00:00Z"),
                target: Target::Escalation(3),
            },
            Urgent {
                rank: Rank::CriticalWaiting,
                since: t("2026-11-26T02:20:00Z"),
                target: Target::Transport(4),
            },
            Urgent {
                rank: Rank::SevereWaiting,
                since: t("2026-11-26T00:20:00Z"),
                target: Target::Transport(5),
            },
        ];
        let got: Vec<Target> = order(rows).into_iter().map(|u| u.target).collect();
        assert_eq!(
            got,
            [
                Target::Transport(4),
                Target::Escalation(3),
                Target::Escalation(2),
                Target::Transport(5),
                Target::Report("V04".into()),
                Target::Escalation(9),
            ]
        );
    }

    #[test]
    fn as_many_rows_as_fit_then_more() {
        assert_eq!(fit_rows(3, 5), (3, 0));
        assert_eq!(fit_rows(5, 5), (5, 0));
        assert_eq!(fit_rows(9, 5), (4, 5));
        assert_eq!(fit_rows(9, 0), (0, 9));
    }
}
