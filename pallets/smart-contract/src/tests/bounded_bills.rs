//! Attacks on billing by a node, a farmer or an owner, each refused: bills stay within what
//! the owner agreed to, and block space is never free for the asking (`docs/security.md`).

use super::reports::{deploy, rejected, report, send};
use crate::{mock::*, pricing::Usage, Error, LastContractId, ReportRejection};
use frame_support::{assert_noop, assert_ok, dispatch::Pays, traits::fungible::Inspect};
use grid_primitives::{Resources, GIB};

/// What [`USER`] has paid since `before`, in plancks.
fn paid_since(before: u64) -> u64 {
	before - Balances::balance(&USER)
}

#[test]
fn report_with_max_traffic_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		// One report of 2^64-1 bytes of traffic would bill billions of TFT.
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), u64::MAX)]));
		System::assert_last_event(rejected(id, ReportRejection::TrafficAboveLimit));
		// One byte over the limit for the window is refused too; at the limit it is billed.
		let limit = 3_600 * MAX_TRAFFIC;
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), limit + 1)]));
		System::assert_last_event(rejected(id, ReportRejection::TrafficAboveLimit));
		assert_eq!(paid_since(before), 0);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), limit)]));
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START + 3_600));
	});
}

#[test]
fn report_above_the_reservation_is_refused_even_within_the_nodes_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		// The node has 16 cores and 64 GiB; the contract reserved 2 cores and 4 GiB.
		for used in [
			Resources { cru: 3, ..vm() },
			Resources { mru: 4 * GIB + 1, ..vm() },
			Resources { sru: vm().sru + 1, ..vm() },
			Resources { hru: 1, ..vm() },
			node_capacity(),
		] {
			assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, used, 0)]));
			System::assert_last_event(rejected(id, ReportRejection::AboveReservation));
		}
		assert_eq!(paid_since(before), 0);
	});
}

#[test]
fn node_that_raises_its_capacity_still_bills_only_the_reservation() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		let largest = Resources {
			cru: Resources::MAX_CRU,
			sru: Resources::MAX_DISK,
			hru: Resources::MAX_DISK,
			mru: Resources::MAX_MRU,
		};
		assert_ok!(TfgridModule::update_node(RuntimeOrigin::signed(NODE_OPERATOR), NODE, largest));
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, largest, 0)]));
		System::assert_last_event(rejected(id, ReportRejection::AboveReservation));
	});
}

#[test]
fn the_most_a_report_bills_is_the_quoted_reservation_plus_the_traffic_limit() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 1);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		let limit = 3_600 * MAX_TRAFFIC;
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), limit)]));
		let quote = SmartContractModule::hourly_quote(vm(), 1).expect("pricing is set");
		// 450 GB of traffic at 0.015 USD per GiB, at 0.01 USD per TFT.
		let traffic = policy().nu * limit * (TFT / TFT_PRICE) / GIB;
		assert_eq!(paid_since(before), quote + traffic);
	});
}

#[test]
fn an_overflowing_price_is_never_a_zero_bill() {
	ExtBuilder::default().build_and_execute(|| {
		let usage = Usage {
			resources: node_capacity(),
			ips: MAX_PUBLIC_IPS,
			nru: u64::MAX,
			seconds: u64::MAX,
		};
		let expensive = crate::pricing::PricingPolicy {
			cu: crate::pricing::MAX_UNIT_PRICE,
			su: crate::pricing::MAX_UNIT_PRICE,
			ipv4: crate::pricing::MAX_UNIT_PRICE,
			nu: crate::pricing::MAX_UNIT_PRICE,
			..policy()
		};
		assert_eq!(SmartContractModule::price(&usage, &expensive, 1), u64::MAX);
		// A price that cannot be converted at all (no TFT price) is no bill of zero either.
		let hour = Usage { resources: vm(), ips: 1, nru: 0, seconds: 3_600 };
		assert_eq!(SmartContractModule::price(&hour, &policy(), 0), u64::MAX);
	});
}

#[test]
fn empty_batch_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(send(NODE_OPERATOR, vec![]), Error::<Test>::NoReports);
	});
}

#[test]
fn zero_usage_reports_one_second_apart_pay_the_fee() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 10);
		// A report that moves the window a second forward, for nothing, fills block space: the
		// node pays for it.
		let nothing = Resources::default();
		let info = send(NODE_OPERATOR, vec![report(id, START + 1, nothing, 0)]);
		assert_eq!(info.map(|i| i.pays_fee), Ok(Pays::Yes));
		// One short window in a batch makes the whole batch pay.
		Clock::set(START + 3_600);
		let other = deploy(USER, "db", 0);
		Clock::set(START + 3_600 + MIN_FREE_WINDOW);
		let info = send(
			NODE_OPERATOR,
			vec![
				report(id, START + 3_600, nothing, 0),
				report(other, START + 3_600 + MIN_FREE_WINDOW - 1, vm(), 0),
			],
		);
		assert_eq!(info.map(|i| i.pays_fee), Ok(Pays::Yes));
	});
}

#[test]
fn reports_of_the_minimum_window_are_fee_free() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + MIN_FREE_WINDOW);
		let info = send(NODE_OPERATOR, vec![report(id, START + MIN_FREE_WINDOW, vm(), 0)]);
		assert_eq!(info.map(|i| i.pays_fee), Ok(Pays::No));
	});
}

#[test]
fn a_contract_cancelled_while_the_batch_was_in_flight_keeps_the_batch_free() {
	ExtBuilder::default().build_and_execute(|| {
		let kept = deploy(USER, "web", 0);
		let cancelled = deploy(USER, "db", 0);
		Clock::set(START + 3_600);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), cancelled));
		let info = send(
			NODE_OPERATOR,
			vec![report(kept, START + 3_600, vm(), 0), report(cancelled, START + 3_600, vm(), 0)],
		);
		assert_eq!(info.map(|i| i.pays_fee), Ok(Pays::No));
		System::assert_has_event(rejected(cancelled, ReportRejection::ContractEnded));
	});
}

#[test]
fn reports_for_ended_contracts_alone_pay_the_fee() {
	ExtBuilder::default().build_and_execute(|| {
		let kept = deploy(USER, "web", 0);
		let ended: Vec<u64> = ["a", "b", "c"].iter().map(|name| deploy(USER, name, 0)).collect();
		for id in &ended {
			assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), *id));
		}
		Clock::set(START + 3_600);
		// Padding a real report with reports for ended contracts, more of them than billed
		// ones, is paid for.
		let mut reports = vec![report(kept, START + 3_600, vm(), 0)];
		reports.extend(ended.iter().map(|id| report(*id, START + 3_600, vm(), 0)));
		assert_eq!(send(NODE_OPERATOR, reports).map(|i| i.pays_fee), Ok(Pays::Yes));
		// Ids that never existed are plain refusals.
		let unknown = LastContractId::<Test>::get() + 1;
		let later = START + 3_600 + MIN_FREE_WINDOW;
		Clock::set(later);
		let info = send(
			NODE_OPERATOR,
			vec![report(kept, later, vm(), 0), report(unknown, later, vm(), 0)],
		);
		assert_eq!(info.map(|i| i.pays_fee), Ok(Pays::Yes));
		System::assert_has_event(rejected(unknown, ReportRejection::ContractNotFound));
	});
}
