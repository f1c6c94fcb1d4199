//! The grace period: an owner out of funds, the debt paid after a top-up or the contract
//! cancelled at the deadline, and the hook's bound per block.

use super::reports::{billed_and_burned, deploy, report, send};
use crate::{mock::*, CancelReason, ContractState, Contracts, Deadlines, Error, Event};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use pallet_tfgrid::{FarmIpCounts, IpCounts};
use sp_runtime::Perbill;

#[test]
fn an_owner_out_of_funds_goes_into_grace_and_is_restored_after_a_top_up() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 1);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		// One CU, half an SU and an IP for an hour: 0.03625 USD, 3.625 TFT.
		let hour = 36_250_000;
		System::assert_has_event(
			Event::GracePeriodStarted { contract_id: id, debt: hour, ends: 1 + GRACE }.into(),
		);
		let contract = Contracts::<Test>::get(id).expect("live");
		assert_eq!(
			contract.state,
			ContractState::GracePeriod { since: 1, ends: 1 + GRACE, confirmed: true }
		);
		assert_eq!(billing(id).map(|b| b.debt), Some(hour));
		assert!(Deadlines::<Test>::contains_key(1 + GRACE, id));
		// Nothing was taken: the owner could not pay it all.
		assert_eq!(Balances::balance(&FRUGAL), FRUGAL_FUNDS - contract.deposit);

		// Still in debt, another hour accrues; an update must wait.
		Clock::set(START + 7_200);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 7_200, vm(), 0)]));
		assert_eq!(billing(id).map(|b| b.debt), Some(2 * hour));
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(FRUGAL),
				id,
				hash("v2"),
				data(0),
				vm()
			),
			Error::<Test>::ContractInGracePeriod
		);

		// A top-up, and the next report pays the debt and the new hour.
		top_up(FRUGAL, 100 * TFT);
		Clock::set(START + 10_800);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 10_800, vm(), 0)]));
		System::assert_has_event(Event::GracePeriodEnded { contract_id: id }.into());
		System::assert_has_event(
			Event::ContractBilled {
				contract_id: id,
				window_start: START + 7_200,
				window_end: START + 10_800,
				amount: hour,
				paid: 3 * hour,
			}
			.into(),
		);
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: Perbill::from_percent(60).mul_floor(3 * hour),
				foundation: Perbill::from_percent(20).mul_floor(3 * hour),
				burned: 3 * hour - Perbill::from_percent(80).mul_floor(3 * hour),
			}
			.into(),
		);
		let contract = Contracts::<Test>::get(id).expect("live");
		assert_eq!(contract.state, ContractState::Deployed);
		assert_eq!(billing(id).map(|b| b.debt), Some(0));
		assert!(!Deadlines::<Test>::contains_key(1 + GRACE, id));
		assert_eq!(billed_and_burned().0, 3 * hour);
	});
}

#[test]
fn settle_debt_pays_at_once_after_a_top_up() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 0);
		assert_noop!(
			SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), id),
			Error::<Test>::NoDebt
		);
		assert_noop!(
			SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), 77),
			Error::<Test>::ContractNotFound
		);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		assert_noop!(
			SmartContractModule::settle_debt(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::CannotPayDebt
		);
		top_up(FRUGAL, 10 * TFT);
		// Anyone may trigger it; the owner pays.
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
		// An hour of the VM without IPs: 0.03125 USD, 3.125 TFT; the farmer gets 60%.
		assert_eq!(Balances::balance(&FARMER), Perbill::from_percent(60).mul_floor(31_250_000));
	});
}

#[test]
fn an_unpaid_grace_period_cancels_the_contract_and_frees_its_ips() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 2);
		let issuance_before = Balances::total_issuance();
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		let deposit = Contracts::<Test>::get(id).expect("live").deposit;
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: 3, free: 1 });

		run_to_block(GRACE);
		assert!(Contracts::<Test>::contains_key(id), "the grace period is not over yet");
		run_to_block(1 + GRACE);
		assert!(!Contracts::<Test>::contains_key(id));
		System::assert_has_event(
			Event::ContractCanceled {
				contract_id: id,
				twin_id: 7,
				node_id: NODE,
				reason: CancelReason::OutOfFunds,
			}
			.into(),
		);
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: 3, free: 3 });
		// The released deposit and the rest of the funds paid what they could of the debt, all
		// but the existential deposit (1 planck here): an hour of the VM with two IPs, 4.125 TFT.
		let debt = 41_250_000;
		let paid = FRUGAL_FUNDS - 1;
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid }.into());
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: Perbill::from_percent(60).mul_floor(paid),
				foundation: Perbill::from_percent(20).mul_floor(paid),
				burned: paid
					- Perbill::from_percent(60).mul_floor(paid)
					- Perbill::from_percent(20).mul_floor(paid),
			}
			.into(),
		);
		System::assert_has_event(
			Event::DebtWrittenOff { contract_id: id, amount: debt - paid }.into(),
		);
		assert_eq!(Balances::balance(&FRUGAL), 1);
		assert!(deposit < paid);
		// Every planck is accounted for: issuance fell by exactly the burned shares.
		assert_eq!(issuance_before - Balances::total_issuance(), billed_and_burned().1);
	});
}

#[test]
fn the_hook_ends_a_bounded_number_of_grace_periods_per_block() {
	ExtBuilder::default().build_and_execute(|| {
		let ids: Vec<u64> = (0..5).map(|i| deploy(FRUGAL, &format!("d{i}"), 0)).collect();
		// Nothing left to pay deposits with: FRUGAL spends the rest.
		Clock::set(START + 3_600);
		let reports = ids.iter().map(|id| report(*id, START + 3_600, vm(), 0)).collect();
		assert_ok!(send(NODE_OPERATOR, reports));
		assert_eq!(Deadlines::<Test>::iter_prefix(1 + GRACE).count(), 5);
		run_to_block(1 + GRACE);
		assert_eq!(Deadlines::<Test>::iter_prefix(1 + GRACE).count(), 5 - MAX_DEADLINES as usize);
		assert_eq!(Contracts::<Test>::iter().count(), 5 - MAX_DEADLINES as usize);
		run_to_block(2 + GRACE);
		assert_eq!(Contracts::<Test>::iter().count(), 0);
	});
}

#[test]
fn cancelling_bills_the_debt_first() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 0);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		top_up(FRUGAL, 10 * TFT);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(FRUGAL), id));
		System::assert_has_event(Event::DebtPaid { contract_id: id, paid: 31_250_000 }.into());
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer: 18_750_000,
				foundation: 6_250_000,
				burned: 6_250_000,
			}
			.into(),
		);
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::SmartContractModule(Event::DebtWrittenOff { .. })
		)));
		assert!(Deadlines::<Test>::iter().next().is_none());
	});
}

/// [`FRUGAL`] deploys a contract and updates it to `v2`; before the node confirms `v2`, a
/// report of the first version's hour puts it in its grace period, not confirmed.
fn updated_then_in_grace() -> u64 {
	let id = deploy(FRUGAL, "web", 0);
	assert_ok!(SmartContractModule::update_node_contract(
		RuntimeOrigin::signed(FRUGAL),
		id,
		hash("v2"),
		data(0),
		vm()
	));
	// The node still runs the first version, and bills it.
	Clock::set(START + 3_600);
	assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
	let state = Contracts::<Test>::get(id).map(|c| c.state);
	assert_eq!(
		state,
		Some(ContractState::GracePeriod { since: 1, ends: 1 + GRACE, confirmed: false })
	);
	id
}

#[test]
fn an_updated_contract_comes_out_of_grace_waiting_for_its_node() {
	ExtBuilder::default().build_and_execute(|| {
		let id = updated_then_in_grace();
		top_up(FRUGAL, 10 * TFT);
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), id));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Updated));
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(NODE_OPERATOR),
			id,
			hash("v2")
		));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
	});
}

#[test]
fn the_node_may_confirm_an_update_during_the_grace_period() {
	ExtBuilder::default().build_and_execute(|| {
		let id = updated_then_in_grace();
		let confirm = || {
			SmartContractModule::confirm_deployment(
				RuntimeOrigin::signed(NODE_OPERATOR),
				id,
				hash("v2"),
			)
		};
		assert_ok!(confirm());
		let state = Contracts::<Test>::get(id).map(|c| c.state);
		assert_eq!(
			state,
			Some(ContractState::GracePeriod { since: 1, ends: 1 + GRACE, confirmed: true })
		);
		assert_noop!(confirm(), Error::<Test>::AlreadyDeployed);
		top_up(FRUGAL, 10 * TFT);
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), id));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
	});
}

/// Release builds only: `defensive!`, which marks the failure, panics in debug builds.
#[cfg(not(debug_assertions))]
#[test]
fn a_grace_period_that_cannot_end_leaves_nothing_half_done_and_is_tried_again() {
	use frame_support::traits::fungible::InspectHold;
	ExtBuilder::default().build().execute_with(|| {
		let id = deploy(FRUGAL, "web", 1);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		// A broken registry: the contract's IP is recorded as another contract's, so the
		// cancellation fails.
		let ip = crate::Deployments::<Test>::get(id).expect("live").public_ips[0].ip;
		let record_ip_holder = |holder| {
			pallet_tfgrid::FarmIps::<Test>::mutate(1, ip, |entry| {
				if let Some(entry) = entry {
					entry.contract_id = Some(holder);
				}
			})
		};
		record_ip_holder(999);
		let held =
			|| Balances::balance_on_hold(&crate::HoldReason::ContractDeposit.into(), &FRUGAL);
		let held_before = held();
		run_to_block(1 + GRACE);
		// Nothing half done, and the end of its grace period is tried again in the next block.
		let contract = Contracts::<Test>::get(id).expect("still live");
		assert_eq!(
			contract.state,
			ContractState::GracePeriod { since: 1, ends: 2 + GRACE, confirmed: true }
		);
		assert!(Deadlines::<Test>::contains_key(2 + GRACE, id));
		assert!(!Deadlines::<Test>::contains_key(1 + GRACE, id));
		assert_eq!(held(), held_before);
		// Repaired, it ends then.
		record_ip_holder(id);
		run_to_block(2 + GRACE);
		assert!(!Contracts::<Test>::contains_key(id));
		SmartContractModule::do_try_state().expect("the contracts' invariants hold");
	});
}
