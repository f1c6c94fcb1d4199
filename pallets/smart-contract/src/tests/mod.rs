//! The contracts' behaviour, by call. Every test ends with the `try_state` checks of the
//! registry and the contracts (`ExtBuilder::build_and_execute`).

mod billing;
mod bounded_bills;
mod cancel;
mod confirm;
mod create;
mod debt;
mod fuzz;
mod ip_squatting;
mod queries;
mod update;
