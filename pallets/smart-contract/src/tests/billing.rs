//! Consumption reports, charges, the pricing policy and the grace period.

use crate::{
	mock::*, CancelReason, ConsumptionReport, ContractState, Contracts, CurrentPrices, Deadlines,
	Error, Event, ReportRejection, ReportsOf, TotalBurned,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchResultWithPostInfo, Pays},
	traits::fungible::Inspect,
};
use grid_primitives::{Resources, GIB};
use pallet_tfgrid::{FarmIpCounts, IpCounts};
use sp_runtime::{DispatchError, Perbill};

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

/// The plancks charged by the `ContractBilled` events so far, and the burned shares.
fn billed_and_burned() -> (u64, u64) {
	System::events().iter().fold((0, 0), |(paid, burned), record| match &record.event {
		RuntimeEvent::SmartContractModule(Event::ContractBilled { paid: p, burned: b, .. }) => {
			(paid + p, burned + b)
		}
		RuntimeEvent::SmartContractModule(Event::DebtPaid { paid: p, burned: b, .. }) => {
			(paid + p, burned + b)
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
	ExtBuilder::build_and_execute(|| {
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
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.billed_until), Some(START + 3_600));
	});
}

#[test]
fn a_batch_is_refunded_the_writes_its_reports_did_not_make() {
	ExtBuilder::build_and_execute(|| {
		let a = deploy(USER, "a", 0);
		let b = deploy(USER, "b", 0);
		Clock::set(START + 3_600);
		let reports = vec![
			report(a, START + 3_600, vm(), 0),
			report(b, START + 3_600, vm(), 0),
			report(77, START + 3_600, vm(), 0),
		];
		let info = send(NODE_OPERATOR, reports).expect("the batch is taken");
		// Two reports billed without a grace period changing: one write each unused; one
		// refused: all three unused.
		let charged = <() as crate::WeightInfo>::add_consumption_reports(3);
		let refund = <Test as frame_system::Config>::DbWeight::get().writes(5);
		assert_eq!(info.actual_weight, Some(charged - refund));
		assert_eq!(info.pays_fee, Pays::Yes);

		// A report that puts its contract in its grace period uses all three.
		let poor = deploy(FRUGAL, "c", 0);
		Clock::set(START + 7_200);
		let info = send(NODE_OPERATOR, vec![report(poor, START + 7_200, vm(), 0)])
			.expect("the batch is taken");
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::add_consumption_reports(1)));
		assert_eq!(info.pays_fee, Pays::No);
	});
}

#[test]
fn a_month_of_hourly_reports_adds_up_to_the_quoted_price() {
	ExtBuilder::build_and_execute(|| {
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
	ExtBuilder::build_and_execute(|| {
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
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.billed_until), Some(START + 7_200));
	});
}

#[test]
fn a_window_longer_than_the_maximum_is_refused() {
	ExtBuilder::build_and_execute(|| {
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
	ExtBuilder::build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 3_600);
		let before = Balances::balance(&USER);
		assert_ok!(send(OTHER_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		System::assert_last_event(rejected(id, ReportRejection::NotThisNodesContract));
		assert_eq!(Balances::balance(&USER), before);
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.billed_until), Some(START));
	});
}

#[test]
fn only_nodes_send_reports() {
	ExtBuilder::build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		for who in [USER, NOBODY] {
			assert_noop!(send(who, vec![report(id, START + 60, vm(), 0)]), Error::<Test>::NotANode);
		}
	});
}

#[test]
fn nothing_is_billed_without_a_pricing_policy_or_tft_price() {
	ExtBuilder::build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 60);
		CurrentPrices::<Test>::mutate(|prices| prices.tft_price = 0);
		assert_noop!(
			send(NODE_OPERATOR, vec![report(id, START + 60, vm(), 0)]),
			Error::<Test>::PricingNotSet
		);
		CurrentPrices::<Test>::mutate(|prices| {
			prices.tft_price = TFT_PRICE;
			prices.policy = None;
		});
		assert_noop!(
			send(NODE_OPERATOR, vec![report(id, START + 60, vm(), 0)]),
			Error::<Test>::PricingNotSet
		);
		assert_eq!(SmartContractModule::hourly_quote(vm(), 0), None);
	});
}

#[test]
fn an_owner_out_of_funds_goes_into_grace_and_is_restored_after_a_top_up() {
	ExtBuilder::build_and_execute(|| {
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
		assert_eq!(contract.debt, hour);
		assert!(Deadlines::<Test>::contains_key(1 + GRACE, id));
		// Nothing was taken: the owner could not pay it all.
		assert_eq!(Balances::balance(&FRUGAL), FRUGAL_FUNDS - contract.deposit);

		// Still in debt, another hour accrues; an update must wait.
		Clock::set(START + 7_200);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 7_200, vm(), 0)]));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.debt), Some(2 * hour));
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
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(STRANGER),
			FRUGAL,
			100 * TFT
		));
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
				farmer: Perbill::from_percent(60).mul_floor(3 * hour),
				foundation: Perbill::from_percent(20).mul_floor(3 * hour),
				burned: 3 * hour - Perbill::from_percent(80).mul_floor(3 * hour),
			}
			.into(),
		);
		let contract = Contracts::<Test>::get(id).expect("live");
		assert_eq!((contract.state, contract.debt), (ContractState::Deployed, 0));
		assert!(!Deadlines::<Test>::contains_key(1 + GRACE, id));
		assert_eq!(billed_and_burned().0, 3 * hour);
	});
}

#[test]
fn settle_debt_pays_at_once_after_a_top_up() {
	ExtBuilder::build_and_execute(|| {
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
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(STRANGER),
			FRUGAL,
			10 * TFT
		));
		// Anyone may trigger it; the owner pays.
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(STRANGER), id));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
		// An hour of the VM without IPs: 0.03125 USD, 3.125 TFT; the farmer gets 60%.
		assert_eq!(Balances::balance(&FARMER), Perbill::from_percent(60).mul_floor(31_250_000));
	});
}

#[test]
fn an_unpaid_grace_period_cancels_the_contract_and_frees_its_ips() {
	ExtBuilder::build_and_execute(|| {
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
		System::assert_has_event(
			Event::DebtPaid {
				contract_id: id,
				paid,
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
	ExtBuilder::build_and_execute(|| {
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
	ExtBuilder::build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 0);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(STRANGER),
			FRUGAL,
			10 * TFT
		));
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(FRUGAL), id));
		System::assert_has_event(
			Event::DebtPaid {
				contract_id: id,
				paid: 31_250_000,
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

#[test]
fn cancelling_bills_the_public_ips_since_the_last_report() {
	ExtBuilder::build_and_execute(|| {
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
				farmer: 0,
				foundation: 0,
				burned: 0,
			}
			.into(),
		);
		System::assert_has_event(
			Event::DebtPaid {
				contract_id: id,
				paid: amount,
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
	ExtBuilder::build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 5_400);
		assert_ok!(SmartContractModule::cancel_contract(RuntimeOrigin::signed(USER), id));
		assert_eq!(billed_and_burned(), (0, 0));
		assert_eq!(Balances::balance(&FARMER), 0);
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
	ExtBuilder::build_and_execute(|| {
		let id = updated_then_in_grace();
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(STRANGER),
			FRUGAL,
			10 * TFT
		));
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
	ExtBuilder::build_and_execute(|| {
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
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(STRANGER),
			FRUGAL,
			10 * TFT
		));
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), id));
		assert_eq!(Contracts::<Test>::get(id).map(|c| c.state), Some(ContractState::Deployed));
	});
}

#[test]
fn governance_sets_the_pricing_policy_and_the_oracle_the_tft_price() {
	ExtBuilder::build_and_execute(|| {
		let cheaper = crate::pricing::PricingPolicy { cu: 20_000, ..policy() };
		assert_ok!(SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), cheaper));
		System::assert_last_event(Event::PricingPolicySet { policy: cheaper }.into());
		assert_eq!(CurrentPrices::<Test>::get().policy, Some(cheaper));
		assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), 20_000));
		System::assert_last_event(Event::TftPriceSet { price: 20_000 }.into());
		// 1 CU at 0.02 + 0.5 SU at 0.0125 = 0.02625 USD an hour, at 0.02 USD per TFT.
		assert_eq!(SmartContractModule::hourly_quote(vm(), 0), Some(13_125_000));
	});
}

#[test]
fn prices_are_set_only_by_their_origins_and_only_when_sane() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			SmartContractModule::set_pricing_policy(RuntimeOrigin::signed(USER), policy()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			SmartContractModule::set_tft_price(RuntimeOrigin::signed(USER), 1),
			DispatchError::BadOrigin
		);
		let insane = crate::pricing::PricingPolicy { grace_period: 0, ..policy() };
		assert_noop!(
			SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), insane),
			Error::<Test>::InsanePricingPolicy
		);
		for price in [0, crate::pricing::MAX_TFT_PRICE + 1] {
			assert_noop!(
				SmartContractModule::set_tft_price(RuntimeOrigin::root(), price),
				Error::<Test>::InsaneTftPrice
			);
		}
	});
}

/// Release builds only: `defensive!`, which marks the failure, panics in debug builds.
#[cfg(not(debug_assertions))]
#[test]
fn a_grace_period_that_cannot_end_leaves_nothing_half_done_and_is_tried_again() {
	use frame_support::traits::fungible::InspectHold;
	ExtBuilder::build().execute_with(|| {
		let id = deploy(FRUGAL, "web", 1);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		// A broken registry: the contract's IP is recorded as another contract's, so the
		// cancellation fails.
		let ip = Contracts::<Test>::get(id).expect("live").public_ips_list[0].ip;
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
