//! Debt follows the twin: a twin that owes, on a contract in grace or as debt written off when a
//! contract ended unpaid, gets no new contract and changes none until it pays.

use super::reports::{deploy, report, send};
use crate::{mock::*, Error, Event, TwinsInGrace, WrittenOffDebts};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};

/// FRUGAL's twin.
const FRUGAL_TWIN: u32 = 7;

fn create_as(who: u64, name: &str) -> sp_runtime::DispatchResult {
	SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(who),
		NODE,
		hash(name),
		data(0),
		vm(),
		0,
	)
}

/// FRUGAL's contract `id` is billed an hour it cannot pay: it enters its grace period.
fn unpaid_hour(id: u64) {
	Clock::set(START + 3_600);
	assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
}

/// FRUGAL's contract runs out of funds: the debt not paid when its grace period ends is
/// written off. Returns the amount written off.
fn written_off() -> u64 {
	let id = deploy(FRUGAL, "web", 0);
	unpaid_hour(id);
	run_to_block(1 + GRACE);
	assert!(!crate::Contracts::<Test>::contains_key(id));
	WrittenOffDebts::<Test>::get(FRUGAL_TWIN, 1).expect("a debt was written off")
}

#[test]
fn an_owner_with_a_contract_in_grace_cannot_open_another() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(FRUGAL, "web", 0);
		let other = deploy(FRUGAL, "db", 0);
		unpaid_hour(id);
		assert_eq!(TwinsInGrace::<Test>::get(FRUGAL_TWIN), Some(1));
		assert_noop!(create_as(FRUGAL, "more"), Error::<Test>::TwinInDebt);
		// Nor grow one it has.
		assert_noop!(
			SmartContractModule::update_node_contract(
				RuntimeOrigin::signed(FRUGAL),
				other,
				hash("db v2"),
				data(0),
				vm()
			),
			Error::<Test>::TwinInDebt
		);
		// Once it pays, it may.
		top_up(FRUGAL, 100 * TFT);
		assert_ok!(SmartContractModule::settle_debt(RuntimeOrigin::signed(FRUGAL), id));
		assert!(!TwinsInGrace::<Test>::contains_key(FRUGAL_TWIN));
		assert_ok!(create_as(FRUGAL, "more"));
	});
}

#[test]
fn a_written_off_debt_follows_the_twin_to_its_next_contract() {
	ExtBuilder::default().build_and_execute(|| {
		let debt = written_off();
		// Less the released deposit and the funds it had: an hour of the VM, 3.625 TFT.
		assert_eq!(debt, 31_250_000 - (FRUGAL_FUNDS - 1));
		assert!(!TwinsInGrace::<Test>::contains_key(FRUGAL_TWIN));
		// Topped up, the twin still cannot start over without paying.
		top_up(FRUGAL, 100 * TFT);
		assert_noop!(create_as(FRUGAL, "again"), Error::<Test>::TwinInDebt);

		let farmer_before = Balances::balance(&FARMER);
		assert_ok!(SmartContractModule::repay_written_off_debt(RuntimeOrigin::signed(FRUGAL), 1));
		let farmer = debt * 60 / 100;
		let foundation = debt * 20 / 100;
		System::assert_has_event(
			Event::SharesPaid {
				farm_id: 1,
				farmer,
				foundation,
				burned: debt - farmer - foundation,
			}
			.into(),
		);
		System::assert_last_event(
			Event::WrittenOffDebtRepaid { twin_id: FRUGAL_TWIN, farm_id: 1, paid: debt }.into(),
		);
		assert_eq!(Balances::balance(&FARMER), farmer_before + farmer);
		assert!(!WrittenOffDebts::<Test>::contains_key(FRUGAL_TWIN, 1));
		assert_ok!(create_as(FRUGAL, "again"));
	});
}

#[test]
fn a_twin_cannot_be_deleted_to_escape_its_written_off_debt() {
	ExtBuilder::default().build_and_execute(|| {
		written_off();
		assert_noop!(
			TfgridModule::delete_twin(RuntimeOrigin::signed(FRUGAL)),
			pallet_tfgrid::Error::<Test>::TwinInUse
		);
	});
}

#[test]
fn a_repayment_owed_to_a_deleted_farm_goes_to_the_foundation() {
	ExtBuilder::default().build_and_execute(|| {
		// FRUGAL's contract on node 2, on farm 2, runs out of funds.
		assert_ok!(SmartContractModule::create_node_contract(
			RuntimeOrigin::signed(FRUGAL),
			OTHER_NODE,
			hash("web"),
			data(0),
			vm(),
			0
		));
		let id = crate::LastContractId::<Test>::get();
		assert_ok!(SmartContractModule::confirm_deployment(
			RuntimeOrigin::signed(OTHER_OPERATOR),
			id,
			hash("web")
		));
		Clock::set(START + 3_600);
		assert_ok!(send(OTHER_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		run_to_block(1 + GRACE);
		let debt = WrittenOffDebts::<Test>::get(FRUGAL_TWIN, 2).expect("written off");
		// Farm 2 goes: its node first.
		assert_ok!(TfgridModule::delete_node(RuntimeOrigin::signed(OTHER_OPERATOR), OTHER_NODE));
		assert_ok!(TfgridModule::delete_farm(RuntimeOrigin::signed(FARMER), 2));

		top_up(FRUGAL, 100 * TFT);
		let foundation_before = Balances::balance(&FOUNDATION);
		assert_ok!(SmartContractModule::repay_written_off_debt(RuntimeOrigin::signed(FRUGAL), 2));
		assert_eq!(Balances::balance(&FOUNDATION), foundation_before + debt * 80 / 100);
	});
}

#[test]
fn bad_repayments_are_refused_by_name() {
	ExtBuilder::default().build_and_execute(|| {
		let repay =
			|who| SmartContractModule::repay_written_off_debt(RuntimeOrigin::signed(who), 1);
		assert_noop!(repay(NOBODY), Error::<Test>::TwinNotFound);
		assert_noop!(repay(USER), Error::<Test>::NoDebt);
		written_off();
		// FRUGAL has nothing left to pay with.
		assert_noop!(repay(FRUGAL), Error::<Test>::CannotPayDebt);
	});
}
