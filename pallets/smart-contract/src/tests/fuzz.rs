//! Random call sequences: every call of both pallets, from random accounts with random ids,
//! sizes, hashes, timestamps and amounts, between random block and clock advances. The node is
//! an adversary as often as not: it changes its capacity, reports extreme values, sends empty
//! batches and zero-usage windows, and reports on contracts that were just cancelled. After
//! every step both pallets' `try_state` checks run, and:
//!
//! - total issuance + what billing burned = the genesis issuance (the test runtime charges no
//!   fees), and the accounts' balances add up to the total issuance;
//! - the farms' IPs are exactly the genesis IPs plus those added minus those removed;
//! - no bill is more than its contract's reservation, public IPs and traffic limit cost for the
//!   bill's window at the prices in force, so no owner pays more than they agreed to;
//! - a batch of reports is fee-free only if every report billed at least the minimum window or
//!   was for a contract that had ended.
//!
//! The run is fixed by a seed. `FUZZ_SEQUENCES` and `FUZZ_STEPS` (default 1,000 × 50, as the
//! test command runs it in release mode; 100 × 50 in a debug build, to keep the inner loop
//! quick) and `FUZZ_SEED` change it; `scripts/fuzz.sh` runs a long one.

use crate::{
	mock::*,
	pricing::{PricingPolicy, Usage},
	ConsumptionReport, ContractOf, ContractState, Contracts, LastContractId, ReportRejection,
	ReportsOf, TotalBurned,
};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, GetDispatchInfo, Pays},
	traits::UnfilteredDispatchable,
	BoundedVec,
};
use grid_primitives::{DeploymentHash, GridProvider, Resources, GIB, TIB};
use pallet_tfgrid::FarmIpCounts;
use sp_runtime::Perbill;
use std::collections::BTreeMap;

/// SplitMix64: a small, well-distributed generator, enough to pick calls and arguments.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}
	/// A number in `0..n`.
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
	fn pick<'a, X>(&mut self, items: &'a [X]) -> &'a X {
		&items[self.below(items.len() as u64) as usize]
	}
	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}
}

/// Accounts the calls come from: the mock's actors, one with nothing, and the foundation.
const ACCOUNTS: [u64; 10] =
	[FARMER, NODE_OPERATOR, USER, OTHER_OPERATOR, STRANGER, POOR, FRUGAL, 8, NOBODY, FOUNDATION];
/// IP texts, valid and not, in two subnets.
const IPS: [&str; 8] = [
	"185.206.124.10/24",
	"185.206.124.11/24",
	"185.206.124.12/24",
	"2a02:1802:5e::10/64",
	"185.206.122.10/24",
	"10.0.0.1/24",
	"185.206.124.1/24",
	"not an ip",
];
const GATEWAYS: [&str; 3] = ["185.206.124.1", "2a02:1802:5e::1", "185.206.125.1"];
const NAMES: [&str; 5] = ["farm-a", "farm-b", "FARM-A", "bad name", "x"];

fn bounded<S: frame_support::traits::Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(bytes.to_vec())
}

fn hash(rng: &mut Rng) -> DeploymentHash {
	if rng.chance(3) {
		return DeploymentHash::default();
	}
	let mut h = DeploymentHash::default();
	h.0[0] = rng.below(6) as u8 + 1;
	h
}

fn resources(rng: &mut Rng) -> Resources {
	Resources {
		cru: rng.below(40),
		sru: rng.below(3) * TIB,
		hru: rng.below(5) * TIB,
		mru: rng.below(80) * GIB,
	}
}

/// What a contract reserves: mostly a small VM, sometimes anything, now and then extremes.
fn reservation(rng: &mut Rng) -> Resources {
	match rng.below(10) {
		0 => resources(rng),
		1 => Resources { cru: u64::MAX, sru: u64::MAX, hru: u64::MAX, mru: u64::MAX },
		2 => Resources::default(),
		_ => Resources {
			cru: rng.below(3),
			sru: rng.below(200) * GIB,
			hru: 0,
			mru: rng.below(9) * GIB,
		},
	}
}

/// A contract id: mostly of a live contract in a state `wanted` accepts, else any number up to
/// just past the last id.
fn contract_id_where(rng: &mut Rng, wanted: impl Fn(&ContractState<u64>) -> bool) -> u64 {
	let live: Vec<u64> =
		Contracts::<Test>::iter().filter(|(_, c)| wanted(&c.state)).map(|(id, _)| id).collect();
	if !live.is_empty() && rng.chance(80) {
		return *rng.pick(&live);
	}
	rng.below(LastContractId::<Test>::get() + 3)
}

fn in_grace(state: &ContractState<u64>) -> bool {
	matches!(state, ContractState::GracePeriod { .. })
}

fn contract_id(rng: &mut Rng) -> u64 {
	contract_id_where(rng, |_| true)
}

fn policy(rng: &mut Rng) -> PricingPolicy<u64> {
	let zero_or_more = |rng: &mut Rng| u64::from(rng.chance(95));
	PricingPolicy {
		cu: rng.below(100_000) + zero_or_more(rng),
		su: rng.below(50_000) + zero_or_more(rng),
		ipv4: rng.below(20_000) + zero_or_more(rng),
		nu: rng.below(50_000) + zero_or_more(rng),
		farmer_share: Perbill::from_percent(rng.below(80) as u32),
		foundation_share: Perbill::from_percent(rng.below(40) as u32),
		grace_period: rng.below(2 * GRACE) + u64::from(rng.chance(90)),
		deployment_timeout: rng.below(2 * TIMEOUT) + u64::from(rng.chance(90)),
		charge_interval: rng.below(2 * 3_600) + u64::from(rng.chance(95)),
	}
}

/// A report, for `contract_id` most of the time.
fn report(rng: &mut Rng, contract_id: u64) -> ConsumptionReport {
	let id = if rng.chance(70) { contract_id } else { self::contract_id(rng) };
	let last = billing(id).map(|b| b.billed_until).unwrap_or(START);
	let latest = Clock::now() + MAX_DRIFT;
	let timestamp = match rng.below(8) {
		// Replayed or backdated.
		0 => last.saturating_sub(rng.below(100)),
		// Too far in the future.
		1 => latest + 1 + rng.below(1_000),
		// A window longer than allowed, unless the clock is far behind.
		2 => last + MAX_WINDOW + 1 + rng.below(1_000),
		// Acceptable, as far as time goes.
		_ => last + 1 + rng.below(latest.saturating_sub(last).max(1)),
	};
	let reserved = Contracts::<Test>::get(id).map(|c| c.resources).unwrap_or_default();
	let used = match rng.below(10) {
		// Within the reservation, or exactly it: what an honest node sends.
		0..=4 => Resources {
			cru: rng.below(reserved.cru.saturating_add(1)),
			sru: rng.below(reserved.sru.saturating_add(1)),
			hru: rng.below(reserved.hru.saturating_add(1)),
			mru: rng.below(reserved.mru.saturating_add(1)),
		},
		5 => reserved,
		// Nothing at all, or everything there is.
		6 => Resources::default(),
		7 => Resources { cru: u64::MAX, sru: u64::MAX, hru: u64::MAX, mru: u64::MAX },
		_ => resources(rng),
	};
	let window = timestamp.saturating_sub(last);
	let nru = match rng.below(10) {
		0 => u64::MAX,
		1 => window * MAX_TRAFFIC,
		2 => window * MAX_TRAFFIC + 1,
		_ => rng.below(20) * GIB,
	};
	super::reports::report(id, timestamp, used, nru)
}

/// The accounts of contract `contract_id`'s owner and node, if it exists.
fn parties(contract_id: u64) -> Option<(u64, u64)> {
	let contract = Contracts::<Test>::get(contract_id)?;
	let node = <TfgridModule as GridProvider<u64>>::node(contract.node_id)?;
	let owner = <TfgridModule as GridProvider<u64>>::account_of(contract.twin_id)?;
	Some((owner, <TfgridModule as GridProvider<u64>>::account_of(node.twin_id)?))
}

/// One random call, its name for the statistics, and who would have the right to make it, if
/// anyone in particular.
fn random_call(rng: &mut Rng) -> (&'static str, RuntimeCall, Option<u64>) {
	use crate::Call as C;
	use pallet_tfgrid::Call as G;
	let node_id = rng.below(4) as u32;
	let farm_id = rng.below(4) as u32;
	let contract_id = contract_id(rng);
	let owner = parties(contract_id).map(|(owner, _)| owner);
	let (name, call, rightful): (&str, RuntimeCall, Option<u64>) = match rng.below(27) {
		0 => (
			"create_twin",
			G::create_twin { relay: None, pk: Some(bounded(&[7; 32])) }.into(),
			None,
		),
		1 => (
			"update_twin",
			G::update_twin { relay: Some(bounded(b"relay.example")), pk: None }.into(),
			None,
		),
		2 => (
			"create_farm",
			G::create_farm { name: bounded(rng.pick(&NAMES).as_bytes()) }.into(),
			None,
		),
		3 => (
			"add_farm_ip",
			G::add_farm_ip {
				farm_id,
				ip: bounded(rng.pick(&IPS).as_bytes()),
				gateway: bounded(rng.pick(&GATEWAYS).as_bytes()),
			}
			.into(),
			Some(FARMER),
		),
		4 => {
			let ip = rng.pick(&IPS).split('/').next().unwrap_or_default();
			let call = G::remove_farm_ip { farm_id, ip: bounded(ip.as_bytes()) };
			("remove_farm_ip", call.into(), Some(FARMER))
		}
		5 => ("create_node", G::create_node { farm_id, resources: resources(rng) }.into(), None),
		6 => {
			// The node itself, shrinking or growing under its contracts.
			let operator = <TfgridModule as GridProvider<u64>>::node(node_id).map(|n| n.account);
			("update_node", G::update_node { node_id, resources: resources(rng) }.into(), operator)
		}
		7 => ("delete_node", G::delete_node { node_id }.into(), None),
		8..=10 => (
			"create_node_contract",
			C::create_node_contract {
				node_id: if rng.chance(80) { NODE } else { node_id },
				deployment_hash: hash(rng),
				deployment_data: data(rng.below(MAX_DATA as u64 + 1) as usize),
				resources: reservation(rng),
				public_ips: if rng.chance(80) {
					rng.below(2) as u32
				} else {
					rng.below(MAX_PUBLIC_IPS as u64 + 2) as u32
				},
			}
			.into(),
			Some(*rng.pick(&[USER, FRUGAL, POOR])),
		),
		11 => (
			"update_node_contract",
			C::update_node_contract {
				contract_id,
				deployment_hash: hash(rng),
				deployment_data: data(rng.below(MAX_DATA as u64 + 1) as usize),
				resources: reservation(rng),
			}
			.into(),
			owner,
		),
		12 | 13 => {
			let contract_id = contract_id_where(rng, |state| {
				matches!(state, ContractState::Created { .. } | ContractState::Updated)
			});
			let node = parties(contract_id).map(|(_, node)| node);
			let deployment_hash = match Contracts::<Test>::get(contract_id) {
				Some(contract) if rng.chance(80) => contract.deployment_hash,
				_ => hash(rng),
			};
			let call = C::confirm_deployment { contract_id, deployment_hash };
			("confirm_deployment", call.into(), node)
		}
		14 => {
			let node = parties(contract_id).map(|(_, node)| node);
			let rightful = if rng.chance(50) { owner } else { node };
			("cancel_contract", C::cancel_contract { contract_id }.into(), rightful)
		}
		15..=17 => {
			let billed =
				contract_id_where(rng, |state| !matches!(state, ContractState::Created { .. }));
			// Empty batches now and then.
			let count = rng.below(MAX_REPORTS as u64 + 1);
			let reports: Vec<_> = (0..count).map(|_| report(rng, billed)).collect();
			let reports = ReportsOf::<Test>::truncate_from(reports);
			let node = parties(billed).map(|(_, node)| node);
			("add_consumption_reports", C::add_consumption_reports { reports }.into(), node)
		}
		18 => {
			let contract_id = contract_id_where(rng, in_grace);
			("settle_debt", C::settle_debt { contract_id }.into(), None)
		}
		19 => {
			if rng.chance(50) {
				("set_pricing_policy", C::set_pricing_policy { policy: policy(rng) }.into(), None)
			} else {
				let price = rng.below(30_000) + u64::from(rng.chance(90));
				("set_tft_price", C::set_tft_price { price }.into(), None)
			}
		}
		20 => {
			let twin_id = rng.below(9) as u32;
			("invite_node", G::invite_node { farm_id, twin_id }.into(), Some(FARMER))
		}
		21 => {
			let twin_id = rng.below(9) as u32;
			("revoke_node_invite", G::revoke_node_invite { farm_id, twin_id }.into(), Some(FARMER))
		}
		22 => ("delete_farm", G::delete_farm { farm_id }.into(), Some(FARMER)),
		23 => ("delete_twin", G::delete_twin {}.into(), None),
		24 => (
			"repay_written_off_debt",
			C::repay_written_off_debt { farm_id }.into(),
			Some(*rng.pick(&[USER, FRUGAL, POOR])),
		),
		_ => (
			"transfer",
			pallet_balances::Call::transfer_allow_death {
				// Often a top-up of an owner in a grace period.
				dest: match parties(contract_id_where(rng, in_grace)) {
					Some((owner, _)) if rng.chance(50) => owner,
					_ => *rng.pick(&ACCOUNTS),
				},
				value: rng.below(3) * rng.below(200 * TFT),
			}
			.into(),
			Some(*rng.pick(&[USER, STRANGER])),
		),
	};
	(name, call, rightful)
}

/// Dispatches `call` as a transaction would (a failed call leaves no trace): from the
/// `rightful` account most of the time if there is one, otherwise from a random account, or
/// from root for half the price calls. Its weight must be computable too.
fn dispatch(
	rng: &mut Rng,
	name: &str,
	call: RuntimeCall,
	rightful: Option<u64>,
) -> DispatchResultWithPostInfo {
	let origin = match rightful {
		Some(who) if rng.chance(70) => RuntimeOrigin::signed(who),
		_ if name.starts_with("set_") && rng.chance(50) => RuntimeOrigin::root(),
		_ => RuntimeOrigin::signed(*rng.pick(&ACCOUNTS)),
	};
	let _ = call.get_dispatch_info();
	call.dispatch_bypass_filter(origin)
}

fn total_ips() -> u32 {
	FarmIpCounts::<Test>::iter().map(|(_, counts)| counts.total).sum()
}

fn check_invariants(genesis_issuance: u64, expected_ips: u32, step: &str) {
	TfgridModule::do_try_state().unwrap_or_else(|e| panic!("registry after {step}: {e:?}"));
	SmartContractModule::do_try_state().unwrap_or_else(|e| panic!("contracts after {step}: {e:?}"));
	let issuance = Balances::total_issuance();
	assert_eq!(issuance + TotalBurned::<Test>::get(), genesis_issuance, "TFT lost after {step}");
	let held: u64 = frame_system::Account::<Test>::iter()
		.map(|(_, account)| account.data.free + account.data.reserved)
		.sum();
	assert_eq!(held, issuance, "balances do not add up to the issuance after {step}");
	assert_eq!(total_ips(), expected_ips, "an IP appeared or vanished after {step}");
}

/// The live contracts, before a step.
fn contracts() -> BTreeMap<u64, ContractOf<Test>> {
	Contracts::<Test>::iter().collect()
}

/// Checks the events a step emitted after the first `seen`: every bill within what its
/// contract (as it was before the step) agreed to, at the prices in force when its window
/// ended; and, if the step
/// was a fee-free batch of reports, that it earned it.
fn check_bills(before: &BTreeMap<u64, ContractOf<Test>>, seen: usize, fee_free: bool, step: &str) {
	use crate::Event as E;
	let mut prices = crate::prices::PriceBook::<Test>::load();
	for record in System::events().iter().skip(seen) {
		let RuntimeEvent::SmartContractModule(event) = &record.event else { continue };
		match event {
			E::ContractBilled { contract_id, window_start, window_end, amount, .. } => {
				let contract = &before[contract_id];
				let (policy, tft_price) = prices.as_mut().expect("billed, so set").at(*window_end);
				let seconds = window_end - window_start;
				let most = Usage {
					resources: contract.resources,
					ips: contract.public_ips,
					nru: seconds.saturating_mul(MAX_TRAFFIC),
					seconds,
				};
				let bound = SmartContractModule::price(&most, &policy, tft_price);
				assert!(*amount <= bound, "{step} billed {amount} above {bound} for {contract_id}");
				assert!(
					!fee_free || seconds >= MIN_FREE_WINDOW,
					"a fee-free batch billed a {seconds}-second window"
				);
			}
			E::ConsumptionReportRejected { reason, .. } => assert!(
				!fee_free || *reason == ReportRejection::ContractEnded,
				"a fee-free batch had a report refused: {reason:?}"
			),
			_ => {}
		}
	}
}

fn env_or(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	let sequences = env_or("FUZZ_SEQUENCES", if cfg!(debug_assertions) { 100 } else { 1_000 });
	let steps = env_or("FUZZ_STEPS", 50);
	let mut rng = Rng(env_or("FUZZ_SEED", 0x6772_6964));
	let mut tried: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
	let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
	for _ in 0..sequences {
		ExtBuilder::default().build().execute_with(|| {
			let genesis_issuance = Balances::total_issuance();
			let mut expected_ips = total_ips();
			for _ in 0..steps {
				let (before, seen) = (contracts(), System::events().len());
				if rng.chance(15) {
					Clock::set(Clock::now() + rng.below(3 * 3_600));
					run_to_block(System::block_number() + rng.below(GRACE + 2) + 1);
					check_invariants(genesis_issuance, expected_ips, "blocks");
					check_bills(&before, seen, false, "blocks");
					continue;
				}
				let (name, call, rightful) = random_call(&mut rng);
				let result = dispatch(&mut rng, name, call, rightful);
				let fee_free = result.as_ref().is_ok_and(|info| info.pays_fee == Pays::No);
				check_bills(&before, seen, fee_free, name);
				let counts = tried.entry(name).or_default();
				counts.0 += 1;
				if result.is_ok() {
					counts.1 += 1;
					match name {
						"add_farm_ip" => expected_ips += 1,
						"remove_farm_ip" => expected_ips -= 1,
						_ => {}
					}
				}
				check_invariants(genesis_issuance, expected_ips, name);
			}
			for record in System::events() {
				if let RuntimeEvent::SmartContractModule(event) = record.event {
					*outcomes.entry(outcome(&event)).or_default() += 1;
				}
			}
		});
	}
	let calls: u64 = tried.values().map(|(all, _)| all).sum();
	println!("{sequences} sequences of {steps} steps: {calls} calls, no invariant broke");
	for (name, (all, succeeded)) in &tried {
		println!("  {name:<24} {all:>9} tried {succeeded:>9} succeeded");
	}
	for (name, count) in &outcomes {
		println!("  {name:<32} {count:>9} times");
	}
	// A run that never gets past the checks proves nothing: the main calls must succeed often.
	for name in ["create_node_contract", "confirm_deployment", "add_consumption_reports"] {
		let (all, succeeded) = tried.get(name).copied().unwrap_or_default();
		assert!(succeeded * 20 >= all, "{name} succeeded {succeeded} times of {all}");
	}
	// Each outcome at least once in 1,000 sequences, over at least that many (the test
	// command's run): in a debug build's 100, the end of a grace period may not happen at all.
	for event in [
		"ContractBilled",
		"GracePeriodStarted",
		"GracePeriodEnded",
		"ContractCanceled",
		"ContractCanceled (out of funds)",
		"ContractCanceled (expired)",
	] {
		let count = outcomes.get(event).copied().unwrap_or_default();
		assert!(sequences < 1_000 || count * 1_000 >= sequences, "too few {event}");
	}
}

/// The name of a contracts event, for the statistics.
fn outcome(event: &crate::Event<Test>) -> &'static str {
	use crate::Event as E;
	match event {
		E::ContractBilled { .. } => "ContractBilled",
		E::ConsumptionReportRejected { reason, .. } => match reason {
			ReportRejection::ContractNotFound => "report rejected: ContractNotFound",
			ReportRejection::ContractEnded => "report rejected: ContractEnded",
			ReportRejection::NotThisNodesContract => "report rejected: NotThisNodesContract",
			ReportRejection::NotDeployed => "report rejected: NotDeployed",
			ReportRejection::NotAfterPreviousReport => "report rejected: NotAfterPreviousReport",
			ReportRejection::InTheFuture => "report rejected: InTheFuture",
			ReportRejection::WindowTooLong => "report rejected: WindowTooLong",
			ReportRejection::AboveReservation => "report rejected: AboveReservation",
			ReportRejection::TrafficAboveLimit => "report rejected: TrafficAboveLimit",
		},
		E::GracePeriodStarted { .. } => "GracePeriodStarted",
		E::GracePeriodEnded { .. } => "GracePeriodEnded",
		E::DebtPaid { .. } => "DebtPaid",
		E::DebtWrittenOff { .. } => "DebtWrittenOff",
		E::ContractCanceled { reason: crate::CancelReason::OutOfFunds, .. } => {
			"ContractCanceled (out of funds)"
		}
		E::ContractCanceled { reason: crate::CancelReason::Expired, .. } => {
			"ContractCanceled (expired)"
		}
		E::ContractCanceled { .. } => "ContractCanceled",
		_ => "other",
	}
}
