//! The registry's behaviour, by topic. Every test ends with the registry's `try_state` checks
//! (`ExtBuilder::build_and_execute`).

mod deletion;
mod deposits;
mod farms;
mod genesis;
mod invariants;
mod ips;
mod nodes;
mod provider;
mod twins;
