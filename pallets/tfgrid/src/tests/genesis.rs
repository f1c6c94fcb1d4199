use crate::{mock::*, FarmIpCounts, IpCounts, Nodes, Twins};
use grid_primitives::GridProvider;

#[test]
fn genesis_builds_twins_farms_ips_and_nodes() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_eq!(Twins::<Test>::iter().count(), 3);
		assert_eq!(TfgridModule::farmer_account(1), Some(FARMER));
		assert_eq!(FarmIpCounts::<Test>::get(1), IpCounts { total: 3, free: 3 });
		assert_eq!(Nodes::<Test>::get(1).map(|n| (n.farm_id, n.twin_id)), Some((1, 2)));
	});
}

#[test]
#[should_panic(expected = "IpNotPublic")]
fn genesis_refuses_a_private_ip() {
	ExtBuilder::default().with_twin(FARMER).with_farm("farm", 1, &["192.168.1.10/24"]).build();
}

#[test]
#[should_panic(expected = "no twin 2")]
fn genesis_refuses_a_farm_of_a_missing_twin() {
	ExtBuilder::default().with_twin(FARMER).with_farm("farm", 2, &[]).build();
}

#[test]
#[should_panic(expected = "FarmNameTaken")]
fn genesis_refuses_duplicate_farm_names() {
	ExtBuilder::default()
		.with_twin(FARMER)
		.with_farm("farm", 1, &[])
		.with_farm("FARM", 1, &[])
		.build();
}
