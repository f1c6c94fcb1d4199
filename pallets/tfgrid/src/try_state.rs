//! The registry's invariants, checked after every test and by `try-runtime`.

use crate::{
	impls::{is_valid_farm_name, lower_case},
	pallet::*,
	types::*,
};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use grid_primitives::{FarmId, IpAddress, PublicIp, TwinId};
use sp_runtime::Saturating;

impl<T: Config> Pallet<T> {
	/// The registry's invariants: counters equal the entries they count, and every index agrees
	/// with the records it points at, both ways.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let last_twin = LastTwinId::<T>::get();
		let mut twins = 0usize;
		let mut farms_of: BTreeMap<TwinId, u32> = BTreeMap::new();
		for (_, farm) in Farms::<T>::iter() {
			farms_of.entry(farm.twin_id).or_default().saturating_inc();
		}
		let mut nodes_of: BTreeMap<FarmId, u32> = BTreeMap::new();
		for (_, node) in Nodes::<T>::iter() {
			nodes_of.entry(node.farm_id).or_default().saturating_inc();
		}
		for (id, twin) in Twins::<T>::iter() {
			ensure!(twin.id == id && id >= 1 && id <= last_twin, "twin id out of place");
			ensure!(
				farms_of.get(&id).copied().unwrap_or_default() == twin.farms,
				"a twin's farm count differs from its farms"
			);
			ensure!(
				TwinIdByAccount::<T>::get(&twin.account) == Some(id),
				"twin not indexed by its account"
			);
			twins.saturating_inc();
		}
		ensure!(TwinIdByAccount::<T>::iter().count() == twins, "account index has stale entries");

		let last_farm = LastFarmId::<T>::get();
		let mut farms = 0usize;
		for (id, farm) in Farms::<T>::iter() {
			ensure!(farm.id == id && id >= 1 && id <= last_farm, "farm id out of place");
			ensure!(
				Twins::<T>::get(farm.twin_id).map(|twin| twin.account) == Some(farm.account),
				"farm's account is not its twin's"
			);
			ensure!(is_valid_farm_name(&farm.name), "farm with an invalid name");
			ensure!(
				nodes_of.get(&id).copied().unwrap_or_default() == farm.nodes,
				"a farm's node count differs from its nodes"
			);
			ensure!(
				FarmIdByName::<T>::get(lower_case(&farm.name)) == Some(id),
				"farm not indexed by its name"
			);
			farms.saturating_inc();
		}
		ensure!(FarmIdByName::<T>::iter().count() == farms, "name index has stale entries");

		let mut counted: BTreeMap<FarmId, IpCounts> = BTreeMap::new();
		for (farm_id, address, entry) in FarmIps::<T>::iter() {
			ensure!(Farms::<T>::contains_key(farm_id), "IP of a missing farm");
			ensure!(matches!(address, IpAddress::V4(_)), "a public IP that is not IPv4");
			let public_ip = PublicIp { ip: address, prefix: entry.prefix, gateway: entry.gateway };
			ensure!(public_ip.validate().is_ok(), "stored IP fails validation");
			let free = entry.contract_id.is_none();
			ensure!(
				FreeFarmIps::<T>::contains_key(farm_id, address) == free,
				"free index disagrees"
			);
			let counts = counted.entry(farm_id).or_default();
			counts.total.saturating_inc();
			counts.free.saturating_accrue(u32::from(free));
		}
		ensure!(
			FreeFarmIps::<T>::iter().count()
				== counted.values().map(|c| c.free as usize).sum::<usize>(),
			"free index has stale entries"
		);
		for (farm_id, counts) in FarmIpCounts::<T>::iter() {
			ensure!(counts.total > 0, "IP counters kept for a farm without IPs");
			ensure!(
				counted.remove(&farm_id) == Some(counts),
				"IP counters differ from the IP entries"
			);
			ensure!(counts.total <= T::MaxIpsPerFarm::get(), "farm over its IP bound");
		}
		ensure!(counted.is_empty(), "farm IPs without counters");

		let last_node = LastNodeId::<T>::get();
		let mut nodes = 0usize;
		for (id, node) in Nodes::<T>::iter() {
			ensure!(node.id == id && id >= 1 && id <= last_node, "node id out of place");
			ensure!(Farms::<T>::contains_key(node.farm_id), "node on a missing farm");
			ensure!(
				Twins::<T>::get(node.twin_id).map(|twin| twin.account) == Some(node.account),
				"node's account is not its twin's"
			);
			ensure!(
				NodeIdByTwin::<T>::get(node.twin_id) == Some(id),
				"node not indexed by its twin"
			);
			ensure!(node.resources.is_valid_capacity(), "node with invalid capacity");
			nodes.saturating_inc();
		}
		ensure!(NodeIdByTwin::<T>::iter().count() == nodes, "twin's node index has stale entries");
		// An invitation may outlive its twin (the twin was deleted; ids are never reused, so it
		// admits nobody until its farm revokes it), not its farm.
		for (farm_id, twin_id, ()) in NodeInvites::<T>::iter() {
			ensure!(Farms::<T>::contains_key(farm_id), "invitation of a missing farm");
			ensure!(twin_id >= 1 && twin_id <= last_twin, "invitation of a twin id never given");
		}
		Self::check_deposits()
	}

	/// Every twin's account holds exactly its twin's deposit, the deposits of its twin's farms,
	/// and its twin's node's deposit.
	fn check_deposits() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut farm_deposits: BTreeMap<TwinId, BalanceOf<T>> = BTreeMap::new();
		for (_, farm) in Farms::<T>::iter() {
			farm_deposits.entry(farm.twin_id).or_default().saturating_accrue(farm.deposit);
		}
		for (twin_id, twin) in Twins::<T>::iter() {
			let held =
				|reason: HoldReason| T::Currency::balance_on_hold(&reason.into(), &twin.account);
			ensure!(held(HoldReason::TwinDeposit) == twin.deposit, "twin deposit not held");
			ensure!(
				held(HoldReason::FarmDeposit) == farm_deposits.remove(&twin_id).unwrap_or_default(),
				"farm deposits not held"
			);
			let node_deposit = NodeIdByTwin::<T>::get(twin_id)
				.and_then(Nodes::<T>::get)
				.map_or_else(Default::default, |node| node.deposit);
			ensure!(held(HoldReason::NodeDeposit) == node_deposit, "node deposit not held");
		}
		ensure!(farm_deposits.is_empty(), "farm deposits of missing twins");
		Ok(())
	}
}
