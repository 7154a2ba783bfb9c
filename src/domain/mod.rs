//! Plain types and rules, no I/O. Most logic and most unit tests live here.

pub mod alerts;
pub mod audit_action;
pub mod audit_chain;
pub mod county;
pub mod day_summary;
pub mod dispatch;
pub mod escalation;
pub mod facility;
pub mod fleet;
pub mod fleet_stats;
pub mod handover;
pub mod handover_doc;
pub mod people;
pub mod privacy;
pub mod report;
pub mod report_csv;
pub mod roles;
pub mod roster;
pub mod rules;
pub mod shift;
pub mod text;
pub mod time;
pub mod town;
pub mod town_change;
pub mod transport;
pub mod urgent;
