//! The contracts' invariants, checked after every test and by `try-runtime`.

use crate::{pallet::*, types::*};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{ensure, traits::fungible::hold::Inspect as HoldInspect};
use grid_primitives::{GridProvider, NodeId, Resources, TwinId};
use sp_runtime::{traits::Zero, Saturating};

impl<T: Config> Pallet<T> {
	/// The contracts' invariants: the node index and the nodes' billing agree with the
	/// contracts both ways; every IP a contract lists is reserved to it on its farm and every
	/// reserved IP belongs to the live contract that lists it; each owner's held deposit equals
	/// the deposits of their contracts.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let last = LastContractId::<T>::get();
		let mut listed_ips = BTreeSet::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut reserved: BTreeMap<NodeId, Resources> = BTreeMap::new();
		let mut owned: BTreeMap<TwinId, u32> = BTreeMap::new();
		let mut owned_in_grace: BTreeMap<TwinId, u32> = BTreeMap::new();
		let mut contracts = 0usize;
		let node_billing: BTreeMap<NodeId, NodeBillingOf<T>> = NodeBilling::<T>::iter().collect();
		let mut with_deadline = 0usize;
		for (id, contract) in Contracts::<T>::iter() {
			ensure!(
				contract.contract_id == id && id >= 1 && id <= last,
				"contract id out of place"
			);
			ensure!(
				NodeContracts::<T>::get(contract.node_id, contract.deployment_hash) == Some(id),
				"contract not indexed under its node and hash"
			);
			let node = T::Grid::node(contract.node_id).ok_or("contract on a missing node")?;
			ensure!(node.farm_id == contract.farm_id, "contract's farm is not its node's farm");
			let deployment =
				Deployments::<T>::get(id).ok_or("a contract without its deployment")?;
			ensure!(
				deployment.public_ips.len() as u32 == contract.public_ips,
				"a contract's count of IPs differs from its deployment's"
			);
			for ip in deployment.public_ips.iter() {
				ensure!(listed_ips.insert((contract.farm_id, ip.ip, id)), "IP listed twice");
			}
			ensure!(
				contract.deposit == Self::deposit_for(&contract, &deployment),
				"deposit not what it stores"
			);
			let billing = node_billing
				.get(&contract.node_id)
				.and_then(|billing| billing.get(&id))
				.ok_or("a contract without its billing in its node's entry")?;
			ensure!(
				!billing.debt.is_zero()
					|| !matches!(contract.state, ContractState::GracePeriod { .. }),
				"a grace period without debt"
			);
			if let Some(deadline) = contract.state.deadline() {
				ensure!(Deadlines::<T>::contains_key(deadline, id), "a deadline not scheduled");
				with_deadline.saturating_inc();
			}
			if matches!(contract.state, ContractState::GracePeriod { .. }) {
				owned_in_grace.entry(contract.twin_id).or_default().saturating_inc();
			}
			ensure!(
				T::Grid::account_of(contract.twin_id).as_ref() == Some(&contract.owner),
				"a contract's owner is not its twin's account"
			);
			owned.entry(contract.twin_id).or_default().saturating_inc();
			let node_reserved = reserved.entry(contract.node_id).or_default();
			*node_reserved = node_reserved
				.checked_add(&contract.resources)
				.ok_or("a node's reservations overflow")?;
			let held = deposits.entry(contract.owner).or_insert_with(Zero::zero);
			*held = held.saturating_add(contract.deposit);
			contracts.saturating_inc();
		}
		ensure!(NodeContracts::<T>::iter().count() == contracts, "node index has stale entries");
		ensure!(
			node_billing.values().all(|billing| !billing.is_empty()),
			"a node's billing entry without contracts"
		);
		ensure!(
			node_billing.values().map(|billing| billing.len()).sum::<usize>() == contracts,
			"a node's billing has stale entries"
		);
		ensure!(
			Deployments::<T>::iter_keys().count() == contracts,
			"a deployment without its contract"
		);
		ensure!(Deadlines::<T>::iter().count() == with_deadline, "deadlines with stale entries");
		let reserved_ips: BTreeSet<_> = T::Grid::reserved_ips().into_iter().collect();
		ensure!(reserved_ips == listed_ips, "reserved IPs differ from the IPs contracts hold");
		for (node_id, recorded) in NodeReserved::<T>::iter() {
			ensure!(
				reserved.remove(&node_id) == Some(recorded),
				"a node's recorded reservation is not the sum of its contracts'"
			);
			let node = T::Grid::node(node_id).ok_or("a reservation on a missing node")?;
			ensure!(recorded.fits_within(&node.resources), "a node reserved beyond its capacity");
		}
		ensure!(
			reserved.values().all(|r| *r == Resources::default()),
			"a node's contracts reserve resources that are not recorded"
		);
		ensure!(
			TwinContracts::<T>::iter().collect::<BTreeMap<_, _>>() == owned,
			"a twin's contract count differs from its contracts"
		);
		ensure!(
			TwinsInGrace::<T>::iter().collect::<BTreeMap<_, _>>() == owned_in_grace,
			"a twin's count of contracts in grace differs from its contracts"
		);
		ensure!(
			WrittenOffDebts::<T>::iter().all(|(_, _, debt)| !debt.is_zero()),
			"a written-off debt of nothing"
		);
		for (owner, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ContractDeposit.into(), &owner)
					== deposit,
				"held deposit differs from the contracts' deposits"
			);
		}
		let mut since = EarlierPrices::<T>::get()
			.iter()
			.map(|prices| prices.since)
			.collect::<alloc::vec::Vec<_>>();
		since.push(CurrentPrices::<T>::get().since);
		ensure!(
			since.windows(2).all(|pair| matches!(pair, [earlier, later] if earlier < later)),
			"prices did not take effect one after the other"
		);
		Ok(())
	}
}
