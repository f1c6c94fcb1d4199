//! Benchmarks of the registry's calls, each in its worst case.

use super::*;
use alloc::{format, vec};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use grid_primitives::{FarmId, IpAddress, Resources, TwinId};

fn longest_relay<T: Config>() -> RelayOf<T> {
	RelayOf::<T>::truncate_from(vec![b'r'; T::MaxRelayLength::get() as usize])
}

fn longest_pk<T: Config>() -> PkOf<T> {
	PkOf::<T>::truncate_from(vec![b'k'; T::MaxPkLength::get() as usize])
}

fn longest_farm_name<T: Config>(seed: u8) -> FarmNameOf<T> {
	let mut name = vec![b'f'; T::MaxFarmNameLength::get() as usize];
	if let Some(last) = name.last_mut() {
		*last = b'a' + seed % 26;
	}
	FarmNameOf::<T>::truncate_from(name)
}

/// The text of the `i`-th benchmark address (`i` below 40,000), with three digits in the last
/// two parts where it can: the longest IPv4 text to parse.
fn ip_text(i: u32) -> IpText {
	let text = format!("185.206.{}.{}/16", 100 + i / 200, 10 + i % 200);
	IpText::truncate_from(text.into_bytes())
}

fn gateway_text() -> IpText {
	IpText::truncate_from(b"185.206.0.1".to_vec())
}

/// Funds for every deposit a benchmark needs: a billion existential deposits.
fn fund<T: Config>(who: &T::AccountId) {
	use frame_support::traits::fungible::{Inspect, Mutate};
	T::Currency::set_balance(who, T::Currency::minimum_balance() * 1_000_000_000u32.into());
}

/// Funds and a twin with the longest relay and key for `who`.
fn twin<T: Config>(who: &T::AccountId) {
	fund::<T>(who);
	if let Err(e) = Pallet::<T>::do_create_twin(
		who.clone(),
		Some(longest_relay::<T>()),
		Some(longest_pk::<T>()),
	) {
		panic!("benchmark twin: {e:?}");
	}
}

/// A farm of `who` (who has a twin) holding `ips` public IPs.
fn farm_with_ips<T: Config>(who: &T::AccountId, ips: u32) -> FarmId {
	let farm_id = Pallet::<T>::do_create_farm(who, longest_farm_name::<T>(0))
		.unwrap_or_else(|e| panic!("benchmark farm: {e:?}"));
	for i in 0..ips {
		if let Err(e) = Pallet::<T>::do_add_farm_ip(who, farm_id, &ip_text(i), &gateway_text()) {
			panic!("benchmark IP {i}: {e:?}");
		}
	}
	farm_id
}

/// The twin of `who`, which has one.
fn twin_id<T: Config>(who: &T::AccountId) -> TwinId {
	TwinIdByAccount::<T>::get(who).unwrap_or_else(|| panic!("benchmark account without a twin"))
}

/// A farmer with a farm, and `who` with a twin and a node on it.
fn node_of<T: Config>(who: &T::AccountId) -> u32 {
	let farmer: T::AccountId = account("farmer", 0, 0);
	twin::<T>(&farmer);
	let farm_id = farm_with_ips::<T>(&farmer, 0);
	twin::<T>(who);
	if let Err(e) = Pallet::<T>::do_invite_node(&farmer, farm_id, twin_id::<T>(who)) {
		panic!("benchmark invitation: {e:?}");
	}
	Pallet::<T>::do_create_node(who, farm_id, crate::benchmark_helper::bench_capacity())
		.unwrap_or_else(|e| panic!("benchmark node: {e:?}"))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_twin() {
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		let relay = longest_relay::<T>();
		let pk = longest_pk::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Some(relay), Some(pk));

		assert!(TwinIdByAccount::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn update_twin() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let relay = longest_relay::<T>();
		let pk = longest_pk::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), Some(relay.clone()), Some(pk));

		let twin_id = TwinIdByAccount::<T>::get(&caller).unwrap_or_default();
		assert_eq!(Twins::<T>::get(twin_id).and_then(|t| t.relay), Some(relay));
	}

	#[benchmark]
	fn create_farm() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let name = longest_farm_name::<T>(1);
		let last = LastFarmId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), name);

		assert_eq!(LastFarmId::<T>::get(), last + 1);
	}

	/// Adds the last IP a farm may hold.
	#[benchmark]
	fn add_farm_ip() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let max = T::MaxIpsPerFarm::get();
		let farm_id = farm_with_ips::<T>(&caller, max - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id, ip_text(max - 1), gateway_text());

		assert_eq!(FarmIpCounts::<T>::get(farm_id).total, max);
	}

	/// Removes an IP from a full farm.
	#[benchmark]
	fn remove_farm_ip() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let max = T::MaxIpsPerFarm::get();
		let farm_id = farm_with_ips::<T>(&caller, max);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id, ip_text(max - 1));

		let removed = IpAddress::parse(&ip_text(max - 1)).unwrap_or_else(|e| panic!("{e:?}"));
		assert!(!FarmIps::<T>::contains_key(farm_id, removed));
	}

	#[benchmark]
	fn create_node() {
		let farmer: T::AccountId = account("farmer", 0, 0);
		twin::<T>(&farmer);
		let farm_id = farm_with_ips::<T>(&farmer, 0);
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let twin_id = twin_id::<T>(&caller);
		if let Err(e) = Pallet::<T>::do_invite_node(&farmer, farm_id, twin_id) {
			panic!("benchmark invitation: {e:?}");
		}
		let last = LastNodeId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id, crate::benchmark_helper::bench_capacity());

		assert_eq!(LastNodeId::<T>::get(), last + 1);
		assert!(!NodeInvites::<T>::contains_key(farm_id, twin_id));
	}

	#[benchmark]
	fn invite_node() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let farm_id = farm_with_ips::<T>(&caller, 0);
		let invitee: T::AccountId = account("operator", 0, 0);
		twin::<T>(&invitee);
		let twin_id = twin_id::<T>(&invitee);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id, twin_id);

		assert!(NodeInvites::<T>::contains_key(farm_id, twin_id));
	}

	#[benchmark]
	fn revoke_node_invite() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let farm_id = farm_with_ips::<T>(&caller, 0);
		let invitee: T::AccountId = account("operator", 0, 0);
		twin::<T>(&invitee);
		let twin_id = twin_id::<T>(&invitee);
		if let Err(e) = Pallet::<T>::do_invite_node(&caller, farm_id, twin_id) {
			panic!("benchmark invitation: {e:?}");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id, twin_id);

		assert!(!NodeInvites::<T>::contains_key(farm_id, twin_id));
	}

	#[benchmark]
	fn update_node() {
		let caller: T::AccountId = whitelisted_caller();
		let node_id = node_of::<T>(&caller);
		let resources = Resources { cru: 128, ..crate::benchmark_helper::bench_capacity() };

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node_id, resources);

		assert_eq!(Nodes::<T>::get(node_id).map(|n| n.resources), Some(resources));
	}

	#[benchmark]
	fn delete_node() {
		let caller: T::AccountId = whitelisted_caller();
		let node_id = node_of::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node_id);

		assert!(!Nodes::<T>::contains_key(node_id));
	}

	/// Deletes a farm whose IPs, nodes and invitations are gone.
	#[benchmark]
	fn delete_farm() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let farm_id = farm_with_ips::<T>(&caller, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), farm_id);

		assert!(!Farms::<T>::contains_key(farm_id));
	}

	#[benchmark]
	fn delete_twin() {
		let caller: T::AccountId = whitelisted_caller();
		twin::<T>(&caller);
		let twin_id = twin_id::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller));

		assert!(!Twins::<T>::contains_key(twin_id));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
