use crate::{mock::*, Error, Event, FarmIp, FarmIpCounts, FarmIps, FreeFarmIps, IpCounts};
use frame_support::{assert_noop, assert_ok};
use grid_primitives::{GridProvider, IpAddress, PublicIp};

const FARM: u32 = 1;

fn add(who: u64, farm_id: u32, ip: &str, gateway: &str) -> sp_runtime::DispatchResult {
	TfgridModule::add_farm_ip(RuntimeOrigin::signed(who), farm_id, bounded(ip), bounded(gateway))
}

fn remove(who: u64, farm_id: u32, ip: &str) -> sp_runtime::DispatchResult {
	TfgridModule::remove_farm_ip(RuntimeOrigin::signed(who), farm_id, bounded(ip))
}

fn farm_without_ips() -> ExtBuilder {
	ExtBuilder::default().with_twin(FARMER).with_twin(USER).with_farm("farm", 1, &[])
}

#[test]
fn add_farm_ip_stores_one_free_entry_and_counts_it() {
	farm_without_ips().build_and_execute(|| {
		assert_ok!(add(FARMER, FARM, "185.206.122.10/24", "185.206.122.1"));
		let address = IpAddress::V4([185, 206, 122, 10]);
		let gateway = IpAddress::V4([185, 206, 122, 1]);
		System::assert_last_event(
			Event::FarmIpAdded { farm_id: FARM, ip: PublicIp { ip: address, prefix: 24, gateway } }
				.into(),
		);
		assert_eq!(
			FarmIps::<Test>::get(FARM, address),
			Some(FarmIp { prefix: 24, gateway, contract_id: None })
		);
		assert!(FreeFarmIps::<Test>::contains_key(FARM, address));
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 1, free: 1 });
	});
}

#[test]
fn public_ips_are_ipv4_so_a_contract_pays_for_the_kind_it_gets() {
	farm_without_ips().build_and_execute(|| {
		// Contracts are billed the IPv4 price for each public IP: an IPv6 address in the farm's
		// list would be handed out at that price without the owner choosing it.
		assert_noop!(
			add(FARMER, FARM, "2a02:1802:5e::10/64", "2a02:1802:5e::1"),
			Error::<Test>::IpNotIpv4
		);
	});
}

#[test]
fn malformed_ips_are_refused() {
	farm_without_ips().build_and_execute(|| {
		for ip in [
			"185.206.122.10",
			"185.206.122.10/",
			"185.206.122/24",
			"300.1.2.3/24",
			"ip/24",
			"185.206.122.10/24 ",
		] {
			assert_noop!(add(FARMER, FARM, ip, "185.206.122.1"), Error::<Test>::IpMalformed);
		}
		for ip in
			["185.206.122.10/0", "185.206.122.10/31", "185.206.122.10/33", "185.206.122.10/255"]
		{
			assert_noop!(add(FARMER, FARM, ip, "185.206.122.1"), Error::<Test>::IpPrefixInvalid);
		}
	});
}

#[test]
fn private_and_reserved_ranges_are_refused() {
	farm_without_ips().build_and_execute(|| {
		for (ip, gateway) in [
			("10.1.2.3/24", "10.1.2.1"),
			("172.20.0.3/16", "172.20.0.1"),
			("192.168.1.3/24", "192.168.1.1"),
			("127.0.0.3/8", "127.0.0.1"),
			("100.64.1.3/24", "100.64.1.1"),
			("169.254.1.3/24", "169.254.1.1"),
			("224.1.1.3/24", "224.1.1.1"),
			("255.255.255.3/24", "255.255.255.1"),
			("192.0.2.3/24", "192.0.2.1"),
			("fd12::3/64", "fd12::1"),
			("fe80::3/64", "fe80::1"),
			("2001:db8::3/64", "2001:db8::1"),
		] {
			assert_noop!(add(FARMER, FARM, ip, gateway), Error::<Test>::IpNotPublic);
		}
	});
}

#[test]
fn network_and_broadcast_addresses_are_refused() {
	farm_without_ips().build_and_execute(|| {
		assert_noop!(
			add(FARMER, FARM, "185.206.122.0/24", "185.206.122.1"),
			Error::<Test>::IpNotAHost
		);
		assert_noop!(
			add(FARMER, FARM, "185.206.122.255/24", "185.206.122.1"),
			Error::<Test>::IpNotAHost
		);
	});
}

#[test]
fn gateway_must_be_another_host_of_the_subnet() {
	farm_without_ips().build_and_execute(|| {
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/24", "185.206.121.1"),
			Error::<Test>::GatewayNotInSubnet
		);
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/24", "2a02::1"),
			Error::<Test>::GatewayNotInSubnet
		);
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/24", "185.206.122.10"),
			Error::<Test>::GatewayIsTheIp
		);
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/24", "185.206.122"),
			Error::<Test>::GatewayMalformed
		);
	});
}

#[test]
fn a_farm_lists_an_ip_once() {
	farm_without_ips().build_and_execute(|| {
		assert_ok!(add(FARMER, FARM, "185.206.122.10/24", "185.206.122.1"));
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/24", "185.206.122.1"),
			Error::<Test>::IpAlreadyRegistered
		);
		// The same address with another prefix or gateway is still the same address.
		assert_noop!(
			add(FARMER, FARM, "185.206.122.10/25", "185.206.122.2"),
			Error::<Test>::IpAlreadyRegistered
		);
	});
}

#[test]
fn stranger_cannot_stop_a_farmer_from_registering_its_own_addresses() {
	farm_without_ips().with_farm("squatter", 2, &[]).build_and_execute(|| {
		// A stranger lists the farmer's addresses on a farm of its own first.
		assert_ok!(add(USER, 2, "185.206.122.10/24", "185.206.122.1"));
		// The farmer lists them all the same; each farm's contracts get its own entry.
		assert_ok!(add(FARMER, FARM, "185.206.122.10/24", "185.206.122.1"));
		let address = IpAddress::V4([185, 206, 122, 10]);
		assert!(FarmIps::<Test>::contains_key(FARM, address));
		assert!(FarmIps::<Test>::contains_key(2, address));
		// Removing the stranger's entry leaves the farmer's alone.
		assert_ok!(remove(USER, 2, "185.206.122.10"));
		assert!(FarmIps::<Test>::contains_key(FARM, address));
	});
}

#[test]
fn only_the_farms_twin_adds_or_removes_ips() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			add(USER, FARM, "185.206.123.10/24", "185.206.123.1"),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(
			add(STRANGER, FARM, "185.206.123.10/24", "185.206.123.1"),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(remove(USER, FARM, GRID_IPS[0]), Error::<Test>::NotFarmOwner);
	});
}

#[test]
fn unknown_farms_are_refused() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		assert_noop!(
			add(FARMER, 7, "185.206.123.10/24", "185.206.123.1"),
			Error::<Test>::FarmNotFound
		);
		assert_noop!(remove(FARMER, 7, GRID_IPS[0]), Error::<Test>::FarmNotFound);
	});
}

#[test]
fn a_farm_holds_at_most_max_ips_per_farm() {
	farm_without_ips().build_and_execute(|| {
		for host in 0..MAX_IPS_PER_FARM {
			assert_ok!(add(
				FARMER,
				FARM,
				&format!("185.206.122.{}/24", 10 + host),
				"185.206.122.1"
			));
		}
		assert_noop!(
			add(FARMER, FARM, "185.206.122.99/24", "185.206.122.1"),
			Error::<Test>::TooManyFarmIps
		);
	});
}

#[test]
fn remove_farm_ip_deletes_every_trace() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let address = IpAddress::V4([185, 206, 122, 10]);
		assert_ok!(remove(FARMER, FARM, "185.206.122.10"));
		System::assert_last_event(Event::FarmIpRemoved { farm_id: FARM, ip: address }.into());
		assert!(!FarmIps::<Test>::contains_key(FARM, address));
		assert!(!FreeFarmIps::<Test>::contains_key(FARM, address));
		assert_eq!(FarmIpCounts::<Test>::get(FARM), IpCounts { total: 2, free: 2 });
		// With its prefix, as the farm lists it, the text names the same address.
		assert_ok!(remove(FARMER, FARM, GRID_IPS[1]));
		assert_ok!(remove(FARMER, FARM, GRID_IPS[2]));
		assert!(!FarmIpCounts::<Test>::contains_key(FARM));
		// Removed, the address can be registered again.
		assert_ok!(add(FARMER, FARM, "185.206.122.10/24", "185.206.122.1"));
	});
}

#[test]
fn remove_farm_ip_needs_an_ip_of_that_farm() {
	ExtBuilder::default().with_grid().with_farm("other", 3, &[]).build_and_execute(|| {
		assert_noop!(remove(FARMER, FARM, "185.206.122.99"), Error::<Test>::IpNotFound);
		assert_noop!(remove(USER, 2, "185.206.122.10"), Error::<Test>::IpNotFound);
		assert_noop!(remove(FARMER, FARM, "not-an-ip"), Error::<Test>::IpMalformed);
	});
}

#[test]
fn an_ip_held_by_a_contract_cannot_be_removed() {
	ExtBuilder::default().with_grid().build_and_execute(|| {
		let reserved = TfgridModule::reserve_ips(FARM, 42, 1).expect("a free IP");
		let text = reserved[0].ip.to_string();
		assert_noop!(remove(FARMER, FARM, &text), Error::<Test>::IpReserved);
		assert_ok!(TfgridModule::release_ips(FARM, 42, &[reserved[0].ip]));
		assert_ok!(remove(FARMER, FARM, &text));
	});
}
