//! `try_state` finds a broken registry: each check below corrupts storage one way.

use crate::{
	mock::*, FarmIdByName, FarmIpCounts, FarmIps, Farms, FreeFarmIps, IpCounts, NodeIdByTwin,
	Nodes, TwinIdByAccount,
};
use grid_primitives::IpAddress;

fn broken_by(corrupt: impl FnOnce()) -> bool {
	let mut broken = false;
	ExtBuilder::default().with_grid().build().execute_with(|| {
		assert!(TfgridModule::do_try_state().is_ok(), "the registry starts sound");
		corrupt();
		broken = TfgridModule::do_try_state().is_err();
	});
	broken
}

#[test]
fn try_state_finds_counters_that_disagree_with_entries() {
	assert!(broken_by(|| FarmIpCounts::<Test>::insert(1, IpCounts { total: 3, free: 2 })));
	assert!(broken_by(|| FarmIpCounts::<Test>::insert(1, IpCounts { total: 4, free: 3 })));
}

#[test]
fn try_state_finds_a_free_index_that_disagrees_with_the_ips() {
	let address = IpAddress::V4([185, 206, 122, 10]);
	assert!(broken_by(|| FreeFarmIps::<Test>::remove(1, address)));
	assert!(broken_by(|| {
		FarmIps::<Test>::mutate(1, address, |entry| {
			if let Some(entry) = entry {
				entry.contract_id = Some(1);
			}
		})
	}));
}

#[test]
fn try_state_finds_stale_indexes() {
	assert!(broken_by(|| TwinIdByAccount::<Test>::insert(STRANGER, 1)));
	let name: crate::FarmNameOf<Test> = bounded("ghost");
	assert!(broken_by(|| FarmIdByName::<Test>::insert(name, 1)));
	assert!(broken_by(|| NodeIdByTwin::<Test>::insert(3, 1)));
}

#[test]
fn try_state_finds_records_whose_account_is_not_their_twins() {
	assert!(broken_by(|| {
		Farms::<Test>::mutate(1, |farm| {
			if let Some(farm) = farm {
				farm.account = STRANGER;
			}
		})
	}));
	assert!(broken_by(|| {
		Nodes::<Test>::mutate(1, |node| {
			if let Some(node) = node {
				node.account = STRANGER;
			}
		})
	}));
}
