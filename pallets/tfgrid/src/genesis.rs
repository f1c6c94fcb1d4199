//! The registry's genesis: twins, farms with their public IPs, and nodes.

use crate::{pallet::*, types::*};

impl<T: Config> Pallet<T> {
	/// Builds the genesis registry through the same checks as the calls; invalid genesis
	/// configurations stop the chain from being built, with the reason (a panic, as in FRAME's
	/// own pallets: there is no chain yet to return an error to).
	#[allow(clippy::panic)]
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		for (account, relay) in &config.twins {
			let relay = relay.as_ref().map(|relay| {
				RelayOf::<T>::try_from(relay.as_bytes().to_vec())
					.unwrap_or_else(|_| panic!("genesis twin relay {relay} is too long"))
			});
			if let Err(e) = Self::do_create_twin(account.clone(), relay, None) {
				panic!("genesis twin {account:?}: {e:?}");
			}
		}
		for farm in &config.farms {
			let owner = Twins::<T>::get(farm.twin_id)
				.unwrap_or_else(|| panic!("genesis farm {}: no twin {}", farm.name, farm.twin_id))
				.account;
			let name = FarmNameOf::<T>::try_from(farm.name.as_bytes().to_vec())
				.unwrap_or_else(|_| panic!("genesis farm name {} is too long", farm.name));
			let farm_id = Self::do_create_farm(&owner, name)
				.unwrap_or_else(|e| panic!("genesis farm {}: {e:?}", farm.name));
			for (ip, gateway) in &farm.ips {
				if let Err(e) =
					Self::do_add_farm_ip(&owner, farm_id, ip.as_bytes(), gateway.as_bytes())
				{
					panic!("genesis farm {} IP {ip} via {gateway}: {e:?}", farm.name);
				}
			}
		}
		for node in &config.nodes {
			let owner = Twins::<T>::get(node.twin_id)
				.unwrap_or_else(|| panic!("genesis node: no twin {}", node.twin_id))
				.account;
			// A node of the genesis configuration is on its farm by that configuration's
			// consent.
			let farmer = Farms::<T>::get(node.farm_id)
				.unwrap_or_else(|| panic!("genesis node: no farm {}", node.farm_id))
				.account;
			if let Err(e) = Self::do_invite_node(&farmer, node.farm_id, node.twin_id) {
				panic!("genesis node of twin {}: {e:?}", node.twin_id);
			}
			if let Err(e) = Self::do_create_node(&owner, node.farm_id, node.resources) {
				panic!("genesis node of twin {}: {e:?}", node.twin_id);
			}
		}
	}
}
