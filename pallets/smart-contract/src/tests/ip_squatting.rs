//! A contract holds its public IPs only while someone pays for them: from the moment they are
//! reserved, and only as long as its node confirms it in time.

use super::reports::{rejected, report, send};
use crate::{
	mock::*, CancelReason, ContractState, Contracts, Deadlines, Error, Event, ReportRejection,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use pallet_tfgrid::{FarmIpCounts, IpCounts};

/// What one public IP costs an hour in the test policy: 0.005 USD, 0.5 TFT.
const IP_HOUR: u64 = 5_000_000;

fn confirm(id: u64, name: &str) -> frame_support::dispatch::DispatchResult {
	SmartContractModule::confirm_deployment(RuntimeOrigin::signed(NODE_OPERATOR), id, hash(name))
}

fn free_ips() -> u32 {
	FarmIpCounts::<Test>::get(1).free
}

#[test]
fn ips_held_before_the_node_confirms_are_billed_from_their_reservation() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 2);
		// The node confirms an hour later: the owner pays for two IPs for that hour at once.
		Clock::set(START + 3_600);
		assert_ok!(confirm(id, "web"));
		System::assert_has_event(
			Event::ContractBilled {
				contract_id: id,
				window_start: START,
				window_end: START + 3_600,
				amount: 2 * IP_HOUR,
				paid: 2 * IP_HOUR,
			}
			.into(),
		);
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 6_000_000,
				foundation: 2_000_000,
				burned: 2_000_000,
			}
			.into(),
		);
		let contract = Contracts::<Test>::get(id).expect("the contract lives");
		assert_eq!(contract.state, ContractState::Deployed);
		assert_eq!(billing(id).map(|b| b.billed_until), Some(START + 3_600));
		// Reports go on from the confirmation.
		Clock::set(START + 7_200);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 7_200, vm(), 0)]));
	});
}

#[test]
fn a_contract_confirmed_at_once_owes_nothing_for_its_ips_yet() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 2);
		assert_ok!(confirm(id, "web"));
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::SmartContractModule(Event::ContractBilled { .. })
		)));
	});
}

#[test]
fn an_owner_who_cannot_pay_for_the_reserved_ips_is_in_grace_once_confirmed() {
	ExtBuilder::default().build_and_execute(|| {
		let contract_id = SmartContractModule::do_create_node_contract(
			&FRUGAL,
			NODE,
			hash("web"),
			data(0),
			vm(),
			1,
		)
		.expect("FRUGAL can pay the deposit");
		// A day of one IP is 12 TFT, far beyond what FRUGAL has.
		Clock::set(START + 86_400);
		assert_ok!(confirm(contract_id, "web"));
		let contract = Contracts::<Test>::get(contract_id).expect("the contract lives");
		assert_eq!(billing(contract_id).map(|b| b.debt), Some(24 * IP_HOUR));
		assert_eq!(
			contract.state,
			ContractState::GracePeriod { since: 1, ends: 1 + GRACE, confirmed: true }
		);
		assert!(!Deadlines::<Test>::contains_key(1 + TIMEOUT, contract_id), "no expiry left");
		assert!(Deadlines::<Test>::contains_key(1 + GRACE, contract_id));
	});
}

#[test]
fn a_contract_its_node_never_confirms_expires_and_frees_its_ips() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "squat", 2);
		assert_eq!(free_ips(), FARM_IPS - 2);
		let held = Balances::balance_on_hold(&crate::HoldReason::ContractDeposit.into(), &USER);
		assert!(held > 0);
		// The timeout passes in blocks; the IPs were held for two hours meanwhile.
		Clock::set(START + 7_200);
		run_to_block(TIMEOUT);
		assert!(Contracts::<Test>::contains_key(id), "not before its deadline");
		run_to_block(1 + TIMEOUT);
		assert!(!Contracts::<Test>::contains_key(id));
		System::assert_has_event(
			Event::ContractCanceled {
				contract_id: id,
				twin_id: 3,
				node_id: NODE,
				reason: CancelReason::Expired,
			}
			.into(),
		);
		System::assert_has_event(
			Event::ContractBilled {
				contract_id: id,
				window_start: START,
				window_end: START + 7_200,
				amount: 4 * IP_HOUR,
				paid: 0,
			}
			.into(),
		);
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid: 4 * IP_HOUR }.into());
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 12_000_000,
				foundation: 4_000_000,
				burned: 4_000_000,
			}
			.into(),
		);
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: FARM_IPS, free: FARM_IPS });
		assert_eq!(Balances::balance_on_hold(&crate::HoldReason::ContractDeposit.into(), &USER), 0);
		assert!(Deadlines::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_contract_confirmed_in_time_does_not_expire() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 1);
		run_to_block(TIMEOUT);
		assert_ok!(confirm(id, "web"));
		run_to_block(2 * TIMEOUT);
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
		assert!(Deadlines::<Test>::iter().next().is_none());
	});
}

#[test]
fn updating_an_unconfirmed_contract_does_not_move_its_expiry() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "v1", 1);
		run_to_block(TIMEOUT);
		assert_ok!(SmartContractModule::update_node_contract(
			RuntimeOrigin::signed(USER),
			id,
			hash("v2"),
			data(0),
			vm()
		));
		assert_eq!(
			Contracts::<Test>::get(id).map(|c| c.state),
			Some(ContractState::Created { expires: 1 + TIMEOUT })
		);
		run_to_block(1 + TIMEOUT);
		assert!(!Contracts::<Test>::contains_key(id));
	});
}

#[test]
fn cancelling_an_unconfirmed_contract_bills_its_ips_since_creation() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 1);
		Clock::set(START + 1_800);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), id));
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid: IP_HOUR / 2 }.into());
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 1_500_000,
				foundation: 500_000,
				burned: 500_000,
			}
			.into(),
		);
		assert!(Deadlines::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_report_on_an_unconfirmed_contract_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let id = create(NODE, "web", 1);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		System::assert_has_event(rejected(id, ReportRejection::NotDeployed));
	});
}

#[test]
fn the_hook_expires_a_bounded_number_of_contracts_per_block() {
	ExtBuilder::default().build_and_execute(|| {
		let count = MAX_DEADLINES as usize + 2;
		for i in 0..count {
			create(NODE, &format!("d{i}"), 0);
		}
		run_to_block(1 + TIMEOUT);
		assert_eq!(Contracts::<Test>::iter().count(), count - MAX_DEADLINES as usize);
		run_to_block(2 + TIMEOUT);
		assert_eq!(Contracts::<Test>::iter().count(), 0);
	});
}

#[test]
fn no_contract_is_created_before_prices_are_set() {
	ExtBuilder::default().without_prices().build_and_execute(|| {
		assert_noop!(
			SmartContractModule::create_node_contract(
				RuntimeOrigin::signed(USER),
				NODE,
				hash("web"),
				data(0),
				vm(),
				0
			),
			Error::<Test>::PricingNotSet
		);
	});
}
