//! Bills added up between charging times: with a charge interval above a second, a contract's
//! bills add up to its debt and its owner pays them together when a window reaches one of the
//! contract's charging times, in a grace period at every window, and when the contract ends.

use super::reports::{deploy, report, reports_weight, send};
use crate::{mock::*, ContractState, Contracts, Error, Event, TwinsInGrace};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{Pays, PostDispatchInfo},
	traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
	},
};

/// Four hours, in seconds.
const INTERVAL: u64 = 4 * 3_600;
/// An hour of the VM without IPs: 1 CU and half an SU, 0.03125 USD, 3.125 TFT.
const HOUR: u64 = 31_250_000;

/// The policy in force charges every four hours.
fn charge_every_four_hours() {
	let policy = crate::pricing::PricingPolicy { charge_interval: INTERVAL, ..policy() };
	assert_ok!(SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), policy));
}

/// Contract `id`'s node reports the hour ending `hour` hours after [`START`], fee-free; the
/// batch's dispatch info.
fn report_hour(id: u64, hour: u64) -> PostDispatchInfo {
	Clock::set(START + hour * 3_600);
	let info = send(NODE_OPERATOR, vec![report(id, START + hour * 3_600, vm(), 0)])
		.expect("the batch is taken");
	assert_eq!(info.pays_fee, Pays::No);
	info
}

/// The owner's payment for hour `hour`'s window, from its `ContractBilled` event.
fn paid_for(id: u64, hour: u64) -> u64 {
	System::events()
		.iter()
		.find_map(|record| match record.event {
			RuntimeEvent::SmartContractModule(Event::ContractBilled {
				contract_id,
				window_end,
				paid,
				..
			}) if contract_id == id && window_end == START + hour * 3_600 => Some(paid),
			_ => None,
		})
		.expect("the hour was billed")
}

#[test]
fn bills_add_up_until_the_contracts_charging_time_and_are_paid_together() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let id = deploy(USER, "web", 0);
		assert_eq!(id, 1);
		let before = Balances::balance(&USER);
		for hour in 1..=6 {
			report_hour(id, hour);
		}
		let paid: Vec<u64> = (1..=6).map(|hour| paid_for(id, hour)).collect();
		// Contract 1's charging times are the times `t` with `t + 1` a multiple of four hours:
		// `START + 6,399` and every four hours after it. The second hour's window reaches the
		// first and pays two hours; the sixth reaches the next and pays the four since.
		assert_eq!(paid, [0, 2 * HOUR, 0, 0, 0, 4 * HOUR]);
		assert_eq!(Balances::balance(&USER), before - 6 * HOUR);
		assert_eq!(billing(id).map(|b| b.debt), Some(0));
		// The farmer was paid for the six hours, in two payments.
		assert_eq!(
			Balances::balance(&FARMER),
			sp_runtime::Perbill::from_percent(60).mul_floor(2 * HOUR)
				+ sp_runtime::Perbill::from_percent(60).mul_floor(4 * HOUR)
		);
	});
}

#[test]
fn a_bill_added_up_for_later_reads_no_account_and_is_weighed_so() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let id = deploy(USER, "web", 0);
		let info = report_hour(id, 1);
		assert_eq!(billing(id).map(|b| b.debt), Some(HOUR));
		// Weighed as a report whose owner the batch had charged before: no account read or
		// written (and the earlier prices leave a read unused).
		assert_eq!(info.actual_weight, Some(reports_weight(0, 1, 0, 1, 0)));

		let info = report_hour(id, 2);
		assert_eq!(billing(id).map(|b| b.debt), Some(0));
		assert_eq!(info.actual_weight, Some(reports_weight(1, 0, 0, 1, 0)));
	});
}

#[test]
fn an_owner_cannot_escape_added_up_bills_by_emptying_their_account() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let id = deploy(USER, "web", 0);
		report_hour(id, 1);
		// The owner moves away all they can spend before the charging time.
		let spendable =
			Balances::reducible_balance(&USER, Preservation::Preserve, Fortitude::Polite);
		assert_ok!(Balances::transfer_keep_alive(RuntimeOrigin::signed(USER), STRANGER, spendable));
		// At the charging time the whole sum is due: the contract enters its grace period
		// owing both hours, and the twin is in debt.
		report_hour(id, 2);
		System::assert_has_event(
			Event::GracePeriodStarted { contract_id: id, debt: 2 * HOUR, ends: 1 + GRACE }.into(),
		);
		assert_eq!(billing(id).map(|b| b.debt), Some(2 * HOUR));
		assert!(TwinsInGrace::<Test>::contains_key(3));
		assert_noop!(
			SmartContractModule::create_node_contract(
				RuntimeOrigin::signed(USER),
				NODE,
				hash("another"),
				data(0),
				vm(),
				0
			),
			Error::<Test>::TwinInDebt
		);
	});
}

#[test]
fn an_owner_cannot_escape_added_up_bills_by_cancelling() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let paying = deploy(USER, "web", 0);
		let frugal = deploy(FRUGAL, "frugal", 0);
		Clock::set(START + 3_600);
		let reports = [paying, frugal].map(|id| report(id, START + 3_600, vm(), 0)).to_vec();
		assert_ok!(send(NODE_OPERATOR, reports));
		assert_eq!(billing(frugal).map(|b| b.debt), Some(HOUR), "no charging time reached yet");

		// The hour added up is paid on cancelling, as the deposit is released.
		let deposit = Contracts::<Test>::get(paying).expect("live").deposit;
		let before = Balances::balance(&USER);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), paying));
		System::assert_has_event(Event::DebtPaid { contract_id: paying, paid: HOUR }.into());
		assert_eq!(Balances::balance(&USER), before + deposit - HOUR);

		// An owner who cannot pay it all has the rest written off, and owes it as a twin.
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(FRUGAL), frugal));
		let paid = FRUGAL_FUNDS - 1;
		System::assert_has_event(Event::DebtPaid { contract_id: frugal, paid }.into());
		System::assert_has_event(
			Event::DebtWrittenOff { contract_id: frugal, amount: HOUR - paid }.into(),
		);
		assert_eq!(crate::WrittenOffDebts::<Test>::get(7, 1), Some(HOUR - paid));
	});
}

#[test]
fn a_contract_in_grace_is_charged_at_every_window() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let id = deploy(FRUGAL, "web", 0);
		assert_eq!(id, 1);
		report_hour(id, 1);
		report_hour(id, 2);
		assert!(matches!(
			Contracts::<Test>::get(id).map(|c| c.state),
			Some(ContractState::GracePeriod { .. })
		));
		// After a top-up, the next window pays all, though it reaches no charging time.
		top_up(FRUGAL, 100 * TFT);
		report_hour(id, 3);
		assert_eq!(paid_for(id, 3), 3 * HOUR);
		System::assert_has_event(Event::GracePeriodEnded { contract_id: id }.into());
		assert_eq!(billing(id).map(|b| b.debt), Some(0));
		// Out of grace, bills add up again.
		report_hour(id, 4);
		assert_eq!(paid_for(id, 4), 0);
	});
}

#[test]
fn settle_debt_pays_the_bills_added_up_outside_a_grace_period() {
	ExtBuilder::default().build_and_execute(|| {
		charge_every_four_hours();
		let id = deploy(USER, "web", 0);
		report_hour(id, 1);
		let before = Balances::balance(&USER);
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(STRANGER), id));
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid: HOUR }.into());
		assert_eq!(Balances::balance(&USER), before - HOUR);
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
		assert_noop!(
			SmartContractModule::settle_debt(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::NoDebt
		);
	});
}

#[test]
fn a_charge_interval_of_nothing_or_above_a_day_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		for charge_interval in [0, crate::pricing::MAX_CHARGE_INTERVAL + 1] {
			let policy = crate::pricing::PricingPolicy { charge_interval, ..policy() };
			assert_noop!(
				SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), policy),
				Error::<Test>::InsanePricingPolicy
			);
		}
	});
}
