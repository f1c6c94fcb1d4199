//! `try_state` finds broken contracts: each check below corrupts storage one way.

use crate::{mock::*, Contracts, Deployments, HoldReason};
use frame_support::{assert_ok, traits::fungible::MutateHold};

fn broken_by(corrupt: impl FnOnce(u64)) -> bool {
	let mut broken = false;
	ExtBuilder::default().build().execute_with(|| {
		let id = create(NODE, "web", 2);
		assert!(SmartContractModule::do_try_state().is_ok());
		corrupt(id);
		broken = SmartContractModule::do_try_state().is_err();
	});
	broken
}

#[test]
fn try_state_finds_broken_contracts() {
	// An IP held for a contract that does not list it.
	assert!(broken_by(|_| {
		assert_ok!(<TfgridModule as grid_primitives::GridProvider<u64>>::reserve_ips(1, 999, 1));
	}));
	// A deposit held that no contract records.
	assert!(broken_by(|_| {
		assert_ok!(Balances::hold(&HoldReason::ContractDeposit.into(), &USER, 5));
	}));
	// An index entry without its contract, and a contract without its index entry.
	assert!(broken_by(|id| crate::NodeContracts::<Test>::insert(NODE, hash("ghost"), id)));
	assert!(broken_by(|_| crate::NodeContracts::<Test>::remove(NODE, hash("web"))));
	// A contract whose recorded owner is not its twin's account.
	assert!(broken_by(|id| {
		Contracts::<Test>::mutate(id, |c| {
			if let Some(c) = c {
				c.owner = STRANGER;
			}
		})
	}));
	// A contract whose IP list lost an entry.
	assert!(broken_by(|id| {
		Deployments::<Test>::mutate(id, |d| {
			if let Some(d) = d {
				let first = d.public_ips[0];
				d.public_ips = frame_support::BoundedVec::truncate_from(vec![first]);
			}
		})
	}));
	// A contract whose deployment is gone.
	assert!(broken_by(Deployments::<Test>::remove));
}
