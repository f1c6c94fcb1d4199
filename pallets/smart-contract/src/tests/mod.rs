//! The contracts' behaviour, by call. Every test ends with the `try_state` checks of the
//! registry and the contracts (`ExtBuilder::build_and_execute`).

mod bounded_bills;
mod cancel;
mod charging;
mod confirm;
mod create;
mod debt;
mod fuzz;
mod grace;
mod invariants;
mod ip_squatting;
mod oracle;
mod prices;
mod queries;
mod reports;
mod update;
