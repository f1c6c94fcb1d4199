//! The trait the smart-contract pallet uses: look-ups and all-or-nothing IP reservation.

use crate::{mock::*, FarmIpCounts, FarmIps, FreeFarmIps, IpCounts};
use frame_support::{assert_ok, assert_storage_noop};
use grid_primitives::{GridProvider, IpAddress, NodeInfo, ReleaseIpsError, ReserveIpsError};

const FARM: u32 = 1;

#[test]
fn look_ups_find_twins_nodes_and_farms() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_eq!(TfgridModule::twin_of(&USER), Some(3));
		assert_eq!(TfgridModule::twin_of(&STRANGER), None);
		assert_eq!(TfgridModule::account_of(2), Some(NODE_OWNER));
		assert_eq!(TfgridModule::account_of(9), None);
		assert_eq!(
			TfgridModule::node(1),
			Some(NodeInfo { farm_id: 1, twin_id: 2, account: NODE_OWNER, resources: capacity() })
		);
		assert_eq!(TfgridModule::node(2), None);
		assert_eq!(TfgridModule::farmer_account(FARM), Some(FARMER));
		assert_eq!(TfgridModule::farmer_account(2), None);
	});
}

#[test]
fn reserve_ips_takes_free_ips_for_the_contract() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let first = TfgridModule::reserve_ips(FARM, 7, 2).expect("two free IPs");
		assert_eq!(first.len(), 2);
		for ip in &first {
			assert_eq!(FarmIps::<Test>::get(FARM, ip.ip).and_then(|e| e.contract_id), Some(7));
			assert!(!FreeFarmIps::<Test>::contains_key(FARM, ip.ip));
			assert_eq!(ip.prefix, 24);
			assert_eq!(ip.gateway, IpAddress::V4([185, 206, 122, 1]));
		}
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 3, free: 1 });
		let second = TfgridModule::reserve_ips(FARM, 8, 1).expect("the last free IP");
		assert!(first.iter().all(|ip| ip.ip != second[0].ip));
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 3, free: 0 });
	});
}

#[test]
fn reserving_no_ip_changes_nothing() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_storage_noop!(assert_eq!(TfgridModule::reserve_ips(FARM, 7, 0), Ok(vec![])));
		assert_storage_noop!(assert_eq!(TfgridModule::reserve_ips(9, 7, 0), Ok(vec![])));
	});
}

#[test]
fn more_ips_than_the_farm_has_reserves_nothing() {
	ExtBuilder::default().with_grid().with_farm("bare", 1, &[]).build_and_execute(|| {
		for count in [4, u32::MAX] {
			assert_storage_noop!(assert_eq!(
				TfgridModule::reserve_ips(FARM, 7, count),
				Err(ReserveIpsError::NotEnoughIps)
			));
		}
		// A farm without IPs, and one that does not exist.
		assert_storage_noop!(assert_eq!(
			TfgridModule::reserve_ips(2, 7, 1),
			Err(ReserveIpsError::NotEnoughIps)
		));
		assert_storage_noop!(assert_eq!(
			TfgridModule::reserve_ips(9, 7, 1),
			Err(ReserveIpsError::NotEnoughIps)
		));
	});
}

#[test]
fn more_ips_than_are_free_reserves_nothing() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_ok!(TfgridModule::reserve_ips(FARM, 7, 2));
		assert_storage_noop!(assert_eq!(
			TfgridModule::reserve_ips(FARM, 8, 2),
			Err(ReserveIpsError::NotEnoughFreeIps)
		));
	});
}

#[test]
fn release_ips_frees_them_for_the_next_contract() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let ips: Vec<IpAddress> = TfgridModule::reserve_ips(FARM, 7, 3)
			.expect("three IPs")
			.iter()
			.map(|ip| ip.ip)
			.collect();
		assert_ok!(TfgridModule::release_ips(FARM, 7, &ips));
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 3, free: 3 });
		for ip in &ips {
			assert_eq!(FarmIps::<Test>::get(FARM, ip).and_then(|e| e.contract_id), None);
			assert!(FreeFarmIps::<Test>::contains_key(FARM, ip));
		}
		assert_ok!(TfgridModule::reserve_ips(FARM, 8, 3));
	});
}

#[test]
fn release_ips_is_all_or_nothing() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let mine: Vec<IpAddress> = TfgridModule::reserve_ips(FARM, 7, 2)
			.expect("two IPs")
			.iter()
			.map(|ip| ip.ip)
			.collect();
		let theirs = TfgridModule::reserve_ips(FARM, 8, 1).expect("one IP")[0].ip;
		let refused = Err(ReleaseIpsError::NotReservedByContract);
		// Someone else's IP, an IP of no farm, or the same IP twice: nothing is freed.
		assert_storage_noop!(assert_eq!(
			TfgridModule::release_ips(FARM, 7, &[mine[0], theirs]),
			refused
		));
		assert_storage_noop!(assert_eq!(
			TfgridModule::release_ips(FARM, 7, &[mine[0], IpAddress::V4([8, 8, 8, 8])]),
			refused
		));
		assert_storage_noop!(assert_eq!(
			TfgridModule::release_ips(FARM, 7, &[mine[0], mine[0]]),
			refused
		));
		assert_storage_noop!(assert_eq!(TfgridModule::release_ips(2, 7, &mine), refused));
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 3, free: 0 });
	});
}

#[test]
fn reserve_ips_never_reserves_fewer_than_asked_even_on_a_broken_farm() {
	ExtBuilder::default().with_grid().build().execute_with(|| {
		// A free-list entry whose IP record is gone, the last one reservation reaches: a state no
		// call makes, which the defensive path must refuse whole instead of handing out the two
		// IPs before it.
		let last = FreeFarmIps::<Test>::iter_key_prefix(FARM).last().expect("a free IP");
		FarmIps::<Test>::remove(FARM, last);
		let before = (FarmIps::<Test>::iter().count(), FarmIpCounts::<Test>::get(FARM));
		// `defensive!` panics in debug builds and returns in release ones; either way nothing
		// may be reserved.
		let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			TfgridModule::reserve_ips(FARM, 7, 3)
		}));
		assert!(matches!(outcome, Err(_) | Ok(Err(ReserveIpsError::NotEnoughFreeIps))));
		assert_eq!((FarmIps::<Test>::iter().count(), FarmIpCounts::<Test>::get(FARM)), before);
		assert!(FarmIps::<Test>::iter().all(|(_, _, entry)| entry.contract_id.is_none()));
	});
}
