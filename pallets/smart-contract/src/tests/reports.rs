//! Consumption reports: what they bill, how the payment is shared, what is refused, and the
//! public IPs billed when a contract is cancelled.

use crate::{
	mock::*, ConsumptionReport, Contracts, Error, Event, ReportRejection, ReportsOf, TotalBurned,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchResultWithPostInfo, GetDispatchInfo, Pays},
	traits::fungible::Inspect,
	weights::Weight,
};
use grid_primitives::{Resources, GIB};

/// `who` creates a contract on [`NODE`] reserving a [`vm`] with `ips` public IPs; the node
/// confirms it now.
pub(super) fn deploy(who: u64, name: &str, ips: u32) -> u64 {
	assert_ok!(SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(who),
		NODE,
		hash(name),
		data(0),
		vm(),
		ips
	));
	let id = crate::LastContractId::<Test>::get();
	assert_ok!(SmartContractModule::confirm_deployment(
		RuntimeOrigin::signed(NODE_OPERATOR),
		id,
		hash(name)
	));
	id
}

pub(super) fn report(
	contract_id: u64,
	timestamp: u64,
	used: Resources,
	nru: u64,
) -> ConsumptionReport {
	ConsumptionReport {
		contract_id,
		timestamp,
		cru: used.cru,
		sru: used.sru,
		hru: used.hru,
		mru: used.mru,
		nru,
	}
}

pub(super) fn send(who: u64, reports: Vec<ConsumptionReport>) -> DispatchResultWithPostInfo {
	let reports = ReportsOf::<Test>::try_from(reports).expect("within MaxReports");
	SmartContractModule::add_consumption_reports(RuntimeOrigin::signed(who), reports)
}

/// The plancks paid by the `ContractBilled` and `DebtPaid` events so far, and the burned
/// shares.
pub(super) fn billed_and_burned() -> (u64, u64) {
	System::events().iter().fold((0, 0), |(paid, burned), record| match &record.event {
		RuntimeEvent::SmartContractModule(
			Event::ContractBilled { paid: p, .. } | Event::DebtPaid { paid: p, .. },
		) => (paid + p, burned),
		RuntimeEvent::SmartContractModule(Event::SharesPaid { burned: b, .. }) => {
			(paid, burned + b)
		}
		RuntimeEvent::SmartContractModule(Event::ShareBurned { amount, .. }) => {
			(paid, burned + amount)
		}
		_ => (paid, burned),
	})
}

pub(super) fn rejected(contract_id: u64, reason: ReportRejection) -> RuntimeEvent {
	Event::ConsumptionReportRejected { contract_id, reason }.into()
}

#[test]
fn an_accepted_report_charges_the_owner_and_shares_the_payment() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 1);
		let user_before = Balances::balance(&USER);
		let issuance_before = Balances::total_issuance();
		Clock::set(START + 3_600);
		let result = send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), GIB)]);
		assert_eq!(result.map(|info| info.pays_fee), Ok(Pays::No));

		// pricing.rs: an hour of this VM with one IP and 1 GiB of traffic is 5.125 TFT.
		let amount = 51_250_000;
		System::assert_has_event(
			Event::ContractBilled {
				contract_id: id,
				window_start: START,
				window_end: START + 3_600,
				amount,
				paid: amount,
			}
			.into(),
		);
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 30_750_000,
				foundation: 10_250_000,
				burned: 10_250_000,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&USER), user_before - amount);
		assert_eq!(Balances::balance(&FARMER), 30_750_000);
		assert_eq!(Balances::balance(&FOUNDATION), FOUNDATION_FUNDS + 10_250_000);
		assert_eq!(Balances::total_issuance(), issuance_before - 10_250_000);
		assert_eq!(TotalBurned::<Test>::get(), 10_250_000);
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START + 3_600));
	});
}

#[test]
fn a_batch_shares_its_payments_out_in_one_event() {
	ExtBuilder::default().build_and_execute(|| {
		let a = deploy(USER, "a", 1);
		let b = deploy(USER, "b", 1);
		Clock::set(START + 3_600);
		System::reset_events();
		assert_ok!(send(
			NODE_OPERATOR,
			vec![report(a, START + 3_600, vm(), GIB), report(b, START + 3_600, vm(), GIB)]
		));
		// Two windows of 5.125 TFT (see above), shared out together.
		let events: Vec<_> = System::events().into_iter().map(|record| record.event).collect();
		let billed = |event: &RuntimeEvent| {
			matches!(event, RuntimeEvent::SmartContractModule(Event::ContractBilled { .. }))
		};
		assert_eq!(events.iter().filter(|event| billed(event)).count(), 2);
		let shares: Vec<_> = events
			.iter()
			.filter(|event| {
				matches!(event, RuntimeEvent::SmartContractModule(Event::SharesPaid { .. }))
			})
			.collect();
		let paid = Event::SharesPaid {
			farm_id: 1,
			farmer: 2 * 30_750_000,
			foundation: 2 * 10_250_000,
			burned: 2 * 10_250_000,
		};
		assert_eq!(shares, vec![&RuntimeEvent::from(paid)]);
	});
}

/// The weight the benchmark gives `first_of_owner` reports that charge an owner first in the
/// batch, `owner_read_before` reports that read no account (an earlier report of the batch
/// read their owner's), and
/// `grace_changes` reports whose contract entered or left its grace period, less `reads` and
/// `writes`.
pub(super) fn reports_weight(
	first_of_owner: u32,
	owner_read_before: u32,
	grace_changes: u32,
	reads: u64,
	writes: u64,
) -> Weight {
	<() as crate::WeightInfo>::add_consumption_reports(
		first_of_owner,
		owner_read_before,
		grace_changes,
	) - <Test as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
}

#[test]
fn a_batch_is_charged_as_if_every_contract_changed_its_grace_period() {
	let reports =
		ReportsOf::<Test>::try_from(vec![report(1, START, vm(), 0); 3]).expect("within MaxReports");
	let call = crate::Call::<Test>::add_consumption_reports { reports };
	assert_eq!(
		call.get_dispatch_info().call_weight,
		<() as crate::WeightInfo>::add_consumption_reports(0, 0, 3)
	);
}

#[test]
fn a_batch_is_refunded_the_reads_and_writes_its_reports_did_not_make() {
	ExtBuilder::default().build_and_execute(|| {
		let a = deploy(USER, "a", 0);
		let b = deploy(STRANGER, "b", 0);
		Clock::set(START + 3_600);
		let reports = vec![
			report(a, START + 3_600, vm(), 0),
			report(b, START + 3_600, vm(), 0),
			report(a + 1_000, START + 3_600, vm(), 0),
			report(a, START + 3_600, vm(), 0),
		];
		let info = send(NODE_OPERATOR, reports).expect("the batch is taken");
		// Two reports billed without a grace period changing, each reading and writing its
		// owner's account. Two refused: one whose contract does not exist read it and the last
		// contract id, but no account, and wrote nothing; one not after the previous report
		// read its contract only. And the earlier prices were not read, as every window ended
		// under the prices in force.
		assert_eq!(info.actual_weight, Some(reports_weight(4, 0, 0, 2, 2)));
		assert_eq!(info.pays_fee, Pays::Yes);

		// A report that puts its contract in its grace period uses all the benchmark counts
		// but the earlier prices.
		let poor = deploy(FRUGAL, "c", 0);
		Clock::set(START + 7_200);
		let info = send(NODE_OPERATOR, vec![report(poor, START + 7_200, vm(), 0)])
			.expect("the batch is taken");
		assert_eq!(info.actual_weight, Some(reports_weight(0, 0, 1, 1, 0)));
		assert_eq!(info.pays_fee, Pays::No);
	});
}

#[test]
fn an_owners_account_is_charged_once_per_batch() {
	ExtBuilder::default().build_and_execute(|| {
		let contracts = ["a", "b", "c"].map(|name| deploy(USER, name, 0));
		let other = deploy(STRANGER, "d", 0);
		Clock::set(START + 3_600);
		let reports = [contracts[0], other, contracts[1], contracts[2]]
			.map(|id| report(id, START + 3_600, vm(), 0))
			.to_vec();
		let info = send(NODE_OPERATOR, reports).expect("the batch is taken");
		// Two accounts read and written, not four: the user's second and third contracts are
		// charged as reports of an owner whose account the batch read before (and the earlier
		// prices leave a read unused).
		assert_eq!(info.actual_weight, Some(reports_weight(2, 2, 0, 1, 0)));
	});
}

#[test]
fn an_owner_is_charged_no_more_in_a_batch_than_they_can_spend() {
	ExtBuilder::default().build_and_execute(|| {
		let contracts = ["a", "b", "c"].map(|name| deploy(FRUGAL, name, 1));
		// Enough for two hours of one contract and a half, keeping the account alive.
		let hour = 36_250_000;
		let minimum = <Balances as Inspect<u64>>::minimum_balance();
		top_up(FRUGAL, 2 * hour + hour / 2 + minimum - Balances::balance(&FRUGAL));
		Clock::set(START + 3_600);
		System::reset_events();
		let reports = contracts.map(|id| report(id, START + 3_600, vm(), 0)).to_vec();
		let info = send(NODE_OPERATOR, reports).expect("the batch is taken");
		// Two hours paid, the third contract in its grace period: the account kept its minimum
		// and the half hour, taken in one withdrawal.
		let paid = |id| {
			let in_grace = Contracts::<Test>::get(id).map(|c| c.state.deadline().is_some());
			billing(id).map(|b| b.debt).zip(in_grace)
		};
		assert_eq!(contracts.map(paid), [Some((0, false)), Some((0, false)), Some((hour, true))]);
		assert_eq!(Balances::balance(&FRUGAL), minimum + hour / 2);
		let withdrawals: Vec<_> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::Balances(pallet_balances::Event::Withdraw { who, amount }) => {
					Some((who, amount))
				}
				_ => None,
			})
			.collect();
		assert_eq!(withdrawals, vec![(FRUGAL, 2 * hour)]);
		// The owner's account read once: the second report is of an owner read before, and the
		// third, entering its grace period, is refunded that account's read and write (besides
		// the earlier prices' read, unused).
		assert_eq!(info.actual_weight, Some(reports_weight(1, 1, 1, 2, 1)));
	});
}

#[test]
fn a_batch_of_refused_reports_is_refunded_the_write_of_the_nodes_billing() {
	ExtBuilder::default().build_and_execute(|| {
		let a = deploy(USER, "a", 0);
		Clock::set(START + 3_600);
		let info = send(NODE_OPERATOR, vec![report(a, START, vm(), 0)]).expect("taken");
		// Refused (not after the previous report): it read its contract only, and the node's
		// billing was read but not written.
		assert_eq!(info.actual_weight, Some(reports_weight(1, 0, 0, 2, 2)));
		assert_eq!(billing(a).map(|b| b.billed_until), Some(START));
	});
}

#[test]
fn a_report_of_nothing_due_is_not_charged_an_account() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "a", 0);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		let info = send(NODE_OPERATOR, vec![report(id, START + 3_600, Resources::default(), 0)])
			.expect("the batch is taken");
		assert_eq!(Balances::balance(&USER), before);
		assert_eq!(info.actual_weight, Some(reports_weight(0, 1, 0, 1, 0)));
	});
}

#[test]
fn a_month_of_hourly_reports_adds_up_to_the_quoted_price() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 1);
		let hourly = SmartContractModule::hourly_quote(vm(), 1).expect("pricing is set");
		// 0.03625 USD an hour at 0.01 USD per TFT: 3.625 TFT.
		assert_eq!(hourly, 36_250_000);
		let user_before = Balances::balance(&USER);
		let hours = 30 * 24;
		for batch in 0..hours / MAX_REPORTS as u64 {
			let reports = (1..=MAX_REPORTS as u64)
				.map(|i| START + (batch * MAX_REPORTS as u64 + i) * 3_600)
				.map(|timestamp| report(id, timestamp, vm(), 0))
				.collect();
			Clock::set(START + (batch + 1) * MAX_REPORTS as u64 * 3_600);
			assert_ok!(send(NODE_OPERATOR, reports));
		}
		let charged = user_before - Balances::balance(&USER);
		assert_eq!(charged, hours * hourly);
		assert_eq!(billed_and_burned().0, charged);
	});
}

#[test]
fn refused_reports_charge_nothing_and_the_rest_of_the_batch_is_billed() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		let created_only = create(NODE, "not-deployed", 0);
		Clock::set(START + 7_200);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		let user_before = Balances::balance(&USER);

		let over_reservation = Resources { cru: vm().cru + 1, ..vm() };
		let result = send(
			NODE_OPERATOR,
			vec![
				report(id, START + 3_600, vm(), 0),                 // replayed
				report(id, START + 1_800, vm(), 0),                 // backdated
				report(id, START + 7_200 + MAX_DRIFT + 1, vm(), 0), // in the future
				report(id, START + 5_400, over_reservation, 0),     // above the reservation
				report(created_only, START + 5_400, vm(), 0),       // not deployed
				report(77, START + 5_400, vm(), 0),                 // no such contract
				report(id, START + 7_200, vm(), 0),                 // valid
			],
		);
		// A batch with refused reports pays its fee.
		assert_eq!(result.map(|info| info.pays_fee), Ok(Pays::Yes));
		for (contract, reason) in [
			(id, ReportRejection::NotAfterPreviousReport),
			(id, ReportRejection::InTheFuture),
			(id, ReportRejection::AboveReservation),
			(created_only, ReportRejection::NotDeployed),
			(77, ReportRejection::ContractNotFound),
		] {
			System::assert_has_event(rejected(contract, reason));
		}
		// Only the valid hour was charged.
		let hourly = SmartContractModule::hourly_quote(vm(), 0).expect("pricing is set");
		assert_eq!(user_before - Balances::balance(&USER), hourly);
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START + 7_200));
	});
}

#[test]
fn a_window_longer_than_the_maximum_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + MAX_WINDOW + 1);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + MAX_WINDOW + 1, vm(), 0)]));
		System::assert_last_event(rejected(id, ReportRejection::WindowTooLong));
		assert_eq!(
			Balances::balance(&USER),
			ENDOWMENT - Contracts::<Test>::get(id).unwrap().deposit
		);
	});
}

#[test]
fn a_report_for_another_nodes_contract_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		assert_ok!(send(OTHER_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		System::assert_last_event(rejected(id, ReportRejection::NotThisNodesContract));
		assert_eq!(Balances::balance(&USER), before);
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START));
	});
}

#[test]
fn only_nodes_send_reports() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		for who in [USER, NOBODY] {
			assert_noop!(send(who, vec![report(id, START + 60, vm(), 0)]), Error::<Test>::NotANode);
		}
	});
}

#[test]
fn cancelling_bills_the_public_ips_since_the_last_report() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 2);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		let farmer_before = Balances::balance(&FARMER);
		// Half an hour later the node cancels: the owner pays for the two IPs meanwhile,
		// 2 × 0.005 USD/h × 0.5 h = 0.005 USD, 0.5 TFT.
		Clock::set(START + 5_400);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(NODE_OPERATOR), id));
		let amount = 5_000_000;
		System::assert_has_event(
			Event::ContractBilled {
				contract_id: id,
				window_start: START + 3_600,
				window_end: START + 5_400,
				amount,
				paid: 0,
			}
			.into(),
		);
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid: amount }.into());
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 3_000_000,
				foundation: 1_000_000,
				burned: 1_000_000,
			}
			.into(),
		);
		assert_eq!(Balances::balance(&FARMER), farmer_before + 3_000_000);
	});
}

#[test]
fn cancelling_a_contract_without_ips_bills_nothing_more() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 5_400);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), id));
		assert_eq!(billed_and_burned(), (0, 0));
		assert_eq!(Balances::balance(&FARMER), 0);
	});
}
