//! What the agent remembers between runs: how much of each deployment's traffic the chain has
//! billed, and the reports on their way. With the contract's `billedUntil` on chain it makes a
//! restart bill every window once and all traffic once: a report is planned from `billedUntil`
//! to now (in steps of at most the chain's longest window), and the traffic it carries counts
//! as billed only once the chain's `billedUntil` has reached its window.

use super::provisioner::{Reservation, Usage};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, fs, path::Path};

/// A consumption report to send, for one window of one contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
	/// The contract.
	pub contract_id: u64,
	/// The window's end (Unix seconds); it starts where the previous one ended.
	pub timestamp: u64,
	/// What the deployment used, within its reservation.
	pub usage: Reservation,
	/// Bytes of traffic in the window.
	pub nru: u64,
}

/// The agent's memory, kept in a JSON file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ledger {
	/// For each contract, the value of its traffic counter up to which the chain billed.
	billed_traffic: BTreeMap<u64, u64>,
	/// For each contract, the reports sent and not known to be billed: each window's end with
	/// the traffic counter's value at that end.
	pending: BTreeMap<u64, Vec<(u64, u64)>>,
}

impl Ledger {
	/// The ledger in `path`, or an empty one if there is none yet.
	pub fn load(path: &Path) -> Result<Self, String> {
		match fs::read(path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.map_err(|error| format!("{}: {error}", path.display())),
			Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
			Err(error) => Err(format!("{}: {error}", path.display())),
		}
	}

	/// Writes the ledger to `path`, whole or not at all (through a temporary file).
	pub fn save(&self, path: &Path) -> Result<(), String> {
		let temporary = path.with_extension("json.new");
		let json = serde_json::to_vec_pretty(self).map_err(|error| error.to_string())?;
		fs::write(&temporary, json)
			.and_then(|()| fs::rename(&temporary, path))
			.map_err(|error| format!("{}: {error}", path.display()))
	}

	/// Takes in that the chain billed the contract up to `billed_until`: the traffic of the
	/// reports whose windows end by then is billed; later reports were not, and are planned
	/// again.
	pub fn settle(&mut self, contract_id: u64, billed_until: u64) {
		if let Some(reports) = self.pending.remove(&contract_id) {
			if let Some((_, traffic)) = reports.iter().rev().find(|(end, _)| *end <= billed_until) {
				self.billed_traffic.insert(contract_id, *traffic);
			}
		}
	}

	/// Forgets an ended contract.
	pub fn forget(&mut self, contract_id: u64) {
		self.billed_traffic.remove(&contract_id);
		self.pending.remove(&contract_id);
	}

	/// The reports that bill the contract from `billed_until` to `now` within the chain's
	/// `limits`, with what the deployment uses (within its `reservation`) and the traffic since
	/// the last billed report, shared among the windows by their length. A window carries at
	/// most the traffic the chain takes for its length; the rest waits for the next windows.
	/// The reports are pending until [`Ledger::settle`] sees them billed.
	pub fn plan(
		&mut self,
		contract_id: u64,
		(billed_until, now): (u64, u64),
		limits: Limits,
		usage: Usage,
		reservation: Reservation,
	) -> Vec<Report> {
		if now <= billed_until || limits.max_window == 0 {
			return Vec::new();
		}
		let billed = self.billed_traffic.get(&contract_id).copied().unwrap_or_default();
		let traffic = usage.traffic.saturating_sub(billed);
		let seconds = now - billed_until;
		let used = Reservation {
			cru: usage.cru.min(reservation.cru),
			sru: usage.sru.min(reservation.sru),
			hru: usage.hru.min(reservation.hru),
			mru: usage.mru.min(reservation.mru),
		};
		let mut reports = Vec::new();
		let mut pending = Vec::new();
		let (mut start, mut reported) = (billed_until, 0u64);
		while start < now {
			let end = now.min(start.saturating_add(limits.max_window));
			// The traffic due by `end`, in proportion to the time; the last window takes the rest.
			let due = if end == now {
				traffic
			} else {
				(u128::from(traffic) * u128::from(end - billed_until) / u128::from(seconds)) as u64
			};
			let nru = due
				.saturating_sub(reported)
				.min((end - start).saturating_mul(limits.max_traffic_per_second));
			reported += nru;
			reports.push(Report { contract_id, timestamp: end, usage: used, nru });
			pending.push((end, billed + reported));
			start = end;
		}
		self.pending.insert(contract_id, pending);
		reports
	}
}

/// What the chain takes in one report: `maxReportWindow` and `maxTrafficPerSecond`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
	/// The longest window one report bills, in seconds.
	pub max_window: u64,
	/// The most traffic a report bills per second of its window, in bytes.
	pub max_traffic_per_second: u64,
}

#[cfg(test)]
mod tests {
	use super::*;

	const VM: Reservation = Reservation { cru: 2, sru: 100 << 30, hru: 0, mru: 4 << 30 };
	const DAY: u64 = 86_400;
	const LIMITS: Limits = Limits { max_window: DAY, max_traffic_per_second: 125_000_000 };

	fn usage(traffic: u64) -> Usage {
		Usage { cru: 2, sru: 100 << 30, hru: 0, mru: 4 << 30, traffic }
	}

	#[test]
	fn one_window_bills_the_traffic_since_the_last_billed_report() {
		let mut ledger = Ledger::default();
		let reports = ledger.plan(1, (1_000, 4_600), LIMITS, usage(500), VM);
		assert_eq!(reports, vec![Report { contract_id: 1, timestamp: 4_600, usage: VM, nru: 500 }]);
		ledger.settle(1, 4_600);
		let next = ledger.plan(1, (4_600, 8_200), LIMITS, usage(800), VM);
		assert_eq!(next[0].nru, 300);
	}

	#[test]
	fn catch_up_after_downtime_covers_every_second_in_windows_the_chain_takes() {
		let mut ledger = Ledger::default();
		let reports = ledger.plan(1, (0, 2 * DAY + 100), LIMITS, usage(2 * DAY + 100), VM);
		let ends: Vec<u64> = reports.iter().map(|report| report.timestamp).collect();
		assert_eq!(ends, vec![DAY, 2 * DAY, 2 * DAY + 100]);
		assert_eq!(reports.iter().map(|report| report.nru).sum::<u64>(), 2 * DAY + 100);
		assert_eq!(reports[0].nru, DAY);
	}

	#[test]
	fn a_restart_before_the_chain_billed_reports_again_without_double_traffic() {
		let mut ledger = Ledger::default();
		ledger.plan(1, (0, 3_600), LIMITS, usage(1_000), VM);
		// The batch never made it: the chain still says 0.
		ledger.settle(1, 0);
		let again = ledger.plan(1, (0, 7_200), LIMITS, usage(1_500), VM);
		assert_eq!(again.iter().map(|report| report.nru).sum::<u64>(), 1_500);
	}

	#[test]
	fn a_restart_after_the_chain_billed_does_not_bill_the_traffic_twice() {
		let mut ledger = Ledger::default();
		ledger.plan(1, (0, 3_600), LIMITS, usage(1_000), VM);
		// The batch was billed, then the agent stopped before it heard.
		ledger.settle(1, 3_600);
		let next = ledger.plan(1, (3_600, 7_200), LIMITS, usage(1_000), VM);
		assert_eq!(next[0].nru, 0);
	}

	#[test]
	fn a_partly_billed_catch_up_counts_only_the_billed_windows() {
		let mut ledger = Ledger::default();
		ledger.plan(1, (0, 2 * DAY), LIMITS, usage(2_000), VM);
		ledger.settle(1, DAY);
		let rest = ledger.plan(1, (DAY, 2 * DAY), LIMITS, usage(2_000), VM);
		assert_eq!(rest[0].nru, 1_000);
	}

	#[test]
	fn usage_above_the_reservation_is_reported_as_the_reservation() {
		let mut ledger = Ledger::default();
		let greedy = Usage { cru: 64, mru: 1 << 40, ..usage(0) };
		let reports = ledger.plan(1, (0, 60), LIMITS, greedy, VM);
		assert_eq!(reports[0].usage, VM);
	}

	#[test]
	fn traffic_above_the_chains_limit_waits_for_later_windows_instead_of_being_refused() {
		let mut ledger = Ledger::default();
		let limits = Limits { max_traffic_per_second: 10, ..LIMITS };
		let burst = ledger.plan(1, (0, 60), limits, usage(1_000), VM);
		assert_eq!(burst[0].nru, 600);
		ledger.settle(1, 60);
		let rest = ledger.plan(1, (60, 120), limits, usage(1_000), VM);
		assert_eq!(rest[0].nru, 400);
	}

	#[test]
	fn nothing_to_report_when_already_billed_up_to_now() {
		let mut ledger = Ledger::default();
		assert!(ledger.plan(1, (100, 100), LIMITS, usage(0), VM).is_empty());
	}

	#[test]
	fn the_ledger_survives_a_restart_on_disk() {
		let path =
			std::env::temp_dir().join(format!("gridchain-ledger-{}.json", std::process::id()));
		let mut ledger = Ledger::default();
		ledger.plan(4, (0, 60), LIMITS, usage(10), VM);
		ledger.settle(4, 60);
		ledger.plan(4, (60, 120), LIMITS, usage(20), VM);
		ledger.save(&path).expect("saves");
		assert_eq!(Ledger::load(&path), Ok(ledger));
		fs::remove_file(path).expect("cleans up");
	}
}
