//! Plain types and rules, no I/O. Most logic and most unit tests live here.

pub mod dispatch;
pub mod escalation;
pub mod fleet_stats;
pub mod report;
pub mod report_csv;
pub mod shift;
pub mod time;
pub mod town;
pub mod transport;
