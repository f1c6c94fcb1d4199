//! The registry as the smart-contract pallet sees it.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::DefensiveSaturating;
use grid_primitives::{
	ContractId, FarmId, GridProvider, IpAddress, NodeId, NodeInfo, PublicIp, ReleaseIpsError,
	ReserveIpsError, TwinId,
};

impl<T: Config> GridProvider<T::AccountId> for Pallet<T> {
	fn twin_of(who: &T::AccountId) -> Option<TwinId> {
		TwinIdByAccount::<T>::get(who)
	}

	#[cfg(any(feature = "std", feature = "try-runtime"))]
	fn account_of(twin_id: TwinId) -> Option<T::AccountId> {
		Twins::<T>::get(twin_id).map(|twin| twin.account)
	}

	fn node(node_id: NodeId) -> Option<NodeInfo<T::AccountId>> {
		Nodes::<T>::get(node_id).map(|node| NodeInfo {
			farm_id: node.farm_id,
			twin_id: node.twin_id,
			account: node.account,
			resources: node.resources,
		})
	}

	fn node_of_twin(twin_id: TwinId) -> Option<NodeId> {
		NodeIdByTwin::<T>::get(twin_id)
	}

	fn farmer_account(farm_id: FarmId) -> Option<T::AccountId> {
		Farms::<T>::get(farm_id).map(|farm| farm.account)
	}

	/// Takes the first `count` free IPs of the farm in storage order. Costs one read of the
	/// counters, then one read and two writes per IP.
	fn reserve_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		count: u32,
	) -> Result<Vec<PublicIp>, ReserveIpsError> {
		if count == 0 {
			return Ok(Vec::new());
		}
		let mut counts = FarmIpCounts::<T>::get(farm_id);
		if count > counts.total {
			return Err(ReserveIpsError::NotEnoughIps);
		}
		if count > counts.free {
			return Err(ReserveIpsError::NotEnoughFreeIps);
		}
		let addresses: Vec<IpAddress> =
			FreeFarmIps::<T>::iter_key_prefix(farm_id).take(count as usize).collect();
		if addresses.len() != count as usize {
			frame_support::defensive!("the free counter exceeds the free IP entries");
			return Err(ReserveIpsError::NotEnoughFreeIps);
		}
		// Every record is read before any is written, so that a missing one reserves nothing.
		let mut entries = Vec::with_capacity(addresses.len());
		for address in addresses {
			let Some(entry) = FarmIps::<T>::get(farm_id, address) else {
				frame_support::defensive!("a free IP entry without its IP record");
				return Err(ReserveIpsError::NotEnoughFreeIps);
			};
			entries.push((address, entry));
		}
		let mut reserved = Vec::with_capacity(entries.len());
		for (address, mut entry) in entries {
			entry.contract_id = Some(contract_id);
			FarmIps::<T>::insert(farm_id, address, entry);
			FreeFarmIps::<T>::remove(farm_id, address);
			reserved.push(PublicIp { ip: address, prefix: entry.prefix, gateway: entry.gateway });
		}
		counts.free.defensive_saturating_reduce(reserved.len() as u32);
		FarmIpCounts::<T>::insert(farm_id, counts);
		Ok(reserved)
	}

	fn release_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		ips: &[IpAddress],
	) -> Result<(), ReleaseIpsError> {
		let mut entries: Vec<(IpAddress, FarmIp)> = Vec::with_capacity(ips.len());
		for &address in ips {
			let held = FarmIps::<T>::get(farm_id, address)
				.filter(|entry| entry.contract_id == Some(contract_id))
				.ok_or(ReleaseIpsError::NotReservedByContract)?;
			if entries.iter().any(|(seen, _)| *seen == address) {
				return Err(ReleaseIpsError::NotReservedByContract);
			}
			entries.push((address, held));
		}
		if entries.is_empty() {
			return Ok(());
		}
		for (address, mut entry) in entries.iter().copied() {
			entry.contract_id = None;
			FarmIps::<T>::insert(farm_id, address, entry);
			FreeFarmIps::<T>::insert(farm_id, address, ());
		}
		FarmIpCounts::<T>::mutate(farm_id, |counts| {
			counts.free = counts.free.defensive_saturating_add(entries.len() as u32);
		});
		Ok(())
	}

	#[cfg(any(feature = "std", feature = "try-runtime"))]
	fn reserved_ips() -> Vec<(FarmId, IpAddress, ContractId)> {
		FarmIps::<T>::iter()
			.filter_map(|(farm_id, address, entry)| {
				entry.contract_id.map(|contract_id| (farm_id, address, contract_id))
			})
			.collect()
	}
}
