//! The contracts' logic, shared by calls, the runtime API, benchmarks and tests.

use crate::{pallet::*, types::*};
use codec::{Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::hold::Mutate as HoldMutate, tokens::Precision, UnixTime},
};
use frame_system::pallet_prelude::BlockNumberFor;
use grid_primitives::{
	ContractId, DeploymentHash, GridProvider, GridUsage, NodeId, ReserveIpsError, Resources, TwinId,
};
use sp_runtime::{traits::Zero, Saturating};

/// Storage entries a contract creates: its record and its entry in [`NodeContracts`].
const ITEMS_PER_CONTRACT: u32 = 2;
/// The bytes a `Blake2_128Concat` map key takes besides the key itself.
const HASH_PREFIX: u32 = 16;
/// Bytes of a contract's key in [`Contracts`]: the hash prefix and the contract id.
const RECORD_KEY_BYTES: u32 = HASH_PREFIX + 8;
/// Bytes of a contract's [`NodeContracts`] entry: its key (node id and deployment hash, each
/// after a hash prefix) and the contract id it holds.
const INDEX_ENTRY_BYTES: u32 = HASH_PREFIX + 4 + HASH_PREFIX + 32 + 8;

/// What removing a contract did, for its weight.
pub(crate) struct Removed {
	/// The public IPs it freed.
	pub freed_ips: u32,
	/// Whether it had a bill to settle.
	pub billed: bool,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_node_contract(
		who: &T::AccountId,
		node_id: NodeId,
		deployment_hash: DeploymentHash,
		deployment_data: DeploymentDataOf<T>,
		resources: Resources,
		public_ips: u32,
	) -> Result<ContractId, DispatchError> {
		let (policy, _) = Self::prices().ok_or(Error::<T>::PricingNotSet)?;
		let twin_id = T::Grid::twin_of(who).ok_or(Error::<T>::TwinNotFound)?;
		ensure!(!Self::is_in_debt(twin_id), Error::<T>::TwinInDebt);
		let node = T::Grid::node(node_id).ok_or(Error::<T>::NodeNotFound)?;
		ensure!(deployment_hash != DeploymentHash::default(), Error::<T>::InvalidDeploymentHash);
		ensure!(
			!NodeContracts::<T>::contains_key(node_id, deployment_hash),
			Error::<T>::DuplicateDeploymentHash
		);
		let node_reserved =
			Self::reserve_on_node(node_id, &node.resources, &Resources::default(), &resources)?;
		ensure!(public_ips <= T::MaxPublicIps::get(), Error::<T>::TooManyPublicIps);
		let contract_id =
			LastContractId::<T>::get().checked_add(1).ok_or(Error::<T>::IdsExhausted)?;

		let reserved =
			T::Grid::reserve_ips(node.farm_id, contract_id, public_ips).map_err(|e| match e {
				ReserveIpsError::NotEnoughIps => Error::<T>::NotEnoughIpsOnFarm,
				ReserveIpsError::NotEnoughFreeIps => Error::<T>::NotEnoughFreeIpsOnFarm,
			})?;
		let public_ips_list = PublicIpsOf::<T>::try_from(reserved).map_err(|_| {
			frame_support::defensive!("the registry reserved more IPs than asked for");
			Error::<T>::TooManyPublicIps
		})?;

		let expires =
			frame_system::Pallet::<T>::block_number().saturating_add(policy.deployment_timeout);
		let mut contract = Contract {
			version: CONTRACT_VERSION,
			contract_id,
			twin_id,
			owner: who.clone(),
			node_id,
			farm_id: node.farm_id,
			resources,
			deployment_data,
			deployment_hash,
			public_ips,
			public_ips_list,
			state: ContractState::Created { expires },
			deposit: Zero::zero(),
			billed_until: T::UnixTime::now().as_secs(),
			debt: Zero::zero(),
		};
		contract.deposit = Self::deposit_for(&contract);
		T::Currency::hold(&HoldReason::ContractDeposit.into(), who, contract.deposit)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;

		LastContractId::<T>::put(contract_id);
		NodeContracts::<T>::insert(node_id, deployment_hash, contract_id);
		NodeReserved::<T>::insert(node_id, node_reserved);
		TwinContracts::<T>::mutate(twin_id, |count| {
			*count = Some(count.unwrap_or_default().saturating_add(1));
		});
		Deadlines::<T>::insert(expires, contract_id, ());
		Self::deposit_event(Event::ContractCreated {
			contract_id,
			twin_id,
			node_id,
			deployment_hash,
			resources,
			public_ips: contract.public_ips_list.clone(),
			deposit: contract.deposit,
			expires,
		});
		Contracts::<T>::insert(contract_id, contract);
		Ok(contract_id)
	}

	pub(crate) fn do_update_node_contract(
		who: &T::AccountId,
		contract_id: ContractId,
		deployment_hash: DeploymentHash,
		deployment_data: DeploymentDataOf<T>,
		resources: Resources,
	) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(*who == contract.owner, Error::<T>::NotContractOwner);
		ensure!(
			!matches!(contract.state, ContractState::GracePeriod { .. }),
			Error::<T>::ContractInGracePeriod
		);
		ensure!(!Self::is_in_debt(contract.twin_id), Error::<T>::TwinInDebt);
		ensure!(deployment_hash != DeploymentHash::default(), Error::<T>::InvalidDeploymentHash);
		if resources != contract.resources {
			let capacity =
				T::Grid::node(contract.node_id).ok_or(Error::<T>::NodeNotFound)?.resources;
			let reserved = Self::reserve_on_node(
				contract.node_id,
				&capacity,
				&contract.resources,
				&resources,
			)?;
			NodeReserved::<T>::insert(contract.node_id, reserved);
			contract.resources = resources;
		}
		if deployment_hash != contract.deployment_hash {
			ensure!(
				!NodeContracts::<T>::contains_key(contract.node_id, deployment_hash),
				Error::<T>::DuplicateDeploymentHash
			);
			NodeContracts::<T>::remove(contract.node_id, contract.deployment_hash);
			NodeContracts::<T>::insert(contract.node_id, deployment_hash, contract_id);
		}
		contract.deployment_hash = deployment_hash;
		contract.deployment_data = deployment_data;
		if contract.state == ContractState::Deployed {
			contract.state = ContractState::Updated;
		}

		let old_deposit = contract.deposit;
		let new_deposit = Self::deposit_for(&contract);
		let reason = HoldReason::ContractDeposit.into();
		if new_deposit > old_deposit {
			T::Currency::hold(&reason, who, new_deposit.saturating_sub(old_deposit))
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
		} else if new_deposit < old_deposit {
			T::Currency::release(
				&reason,
				who,
				old_deposit.saturating_sub(new_deposit),
				Precision::Exact,
			)?;
		}
		contract.deposit = new_deposit;
		Contracts::<T>::insert(contract_id, contract);
		Self::deposit_event(Event::ContractUpdated {
			contract_id,
			deployment_hash,
			resources,
			deposit: new_deposit,
		});
		Ok(())
	}

	pub(crate) fn do_confirm_deployment(
		who: &T::AccountId,
		contract_id: ContractId,
		deployment_hash: DeploymentHash,
	) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(Self::is_node_account(who, contract.node_id), Error::<T>::NotContractNode);
		ensure!(deployment_hash == contract.deployment_hash, Error::<T>::DeploymentHashMismatch);
		let first = match contract.state {
			ContractState::Created { expires } => {
				Deadlines::<T>::remove(expires, contract_id);
				contract.state = ContractState::Deployed;
				true
			}
			ContractState::Updated => {
				contract.state = ContractState::Deployed;
				false
			}
			ContractState::GracePeriod { since, ends, confirmed: false } => {
				contract.state = ContractState::GracePeriod { since, ends, confirmed: true };
				false
			}
			_ => return Err(Error::<T>::AlreadyDeployed.into()),
		};
		let node_id = contract.node_id;
		Self::deposit_event(Event::DeploymentConfirmed { contract_id, node_id });
		// The first confirmation bills the public IPs' time since the contract was created;
		// reports bill from here on.
		if first {
			Self::bill_ips_since_creation(&mut contract);
		}
		Contracts::<T>::insert(contract_id, contract);
		Ok(())
	}

	/// Cancels contract `contract_id` at the request of `who`.
	pub(crate) fn do_cancel_contract(
		who: &T::AccountId,
		contract_id: ContractId,
	) -> Result<Removed, DispatchError> {
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		let reason = if *who == contract.owner {
			CancelReason::CanceledByOwner
		} else if Self::is_node_account(who, contract.node_id) {
			CancelReason::CanceledByNode
		} else {
			return Err(Error::<T>::NotContractOwnerOrNode.into());
		};
		Self::remove_contract(contract, reason)
	}

	/// Frees a contract's IPs, releases its deposit to its owner, bills its IPs since the last
	/// report, collects what it can of the debt, and removes it.
	pub(crate) fn remove_contract(
		mut contract: ContractOf<T>,
		reason: CancelReason,
	) -> Result<Removed, DispatchError> {
		let ips: alloc::vec::Vec<_> = contract.public_ips_list.iter().map(|ip| ip.ip).collect();
		T::Grid::release_ips(contract.farm_id, contract.contract_id, &ips)
			.map_err(|_| Error::<T>::IpsNotReleased)?;
		T::Currency::release(
			&HoldReason::ContractDeposit.into(),
			&contract.owner,
			contract.deposit,
			Precision::BestEffort,
		)?;
		Self::bill_public_ips_until_now(&mut contract);
		let billed = !contract.debt.is_zero();
		Self::settle_outstanding(&contract);
		if let Some(deadline) = contract.state.deadline() {
			Deadlines::<T>::remove(deadline, contract.contract_id);
		}
		if matches!(contract.state, ContractState::GracePeriod { .. }) {
			Self::count_grace(contract.twin_id, false);
		}
		NodeContracts::<T>::remove(contract.node_id, contract.deployment_hash);
		NodeReserved::<T>::mutate_exists(contract.node_id, |reserved| {
			let left = reserved.unwrap_or_default().saturating_sub(&contract.resources);
			*reserved = (left != Resources::default()).then_some(left);
		});
		TwinContracts::<T>::mutate_exists(contract.twin_id, |count| {
			*count = count.unwrap_or_default().checked_sub(1).filter(|left| *left > 0);
		});
		Contracts::<T>::remove(contract.contract_id);
		Self::deposit_event(Event::ContractCanceled {
			contract_id: contract.contract_id,
			twin_id: contract.twin_id,
			node_id: contract.node_id,
			reason,
		});
		Ok(Removed { freed_ips: ips.len() as u32, billed })
	}

	/// What node `node_id`'s contracts reserve together once one of them reserves `new`
	/// instead of `old`; `NodeCapacityExceeded` if that is beyond the node's `capacity`.
	fn reserve_on_node(
		node_id: NodeId,
		capacity: &Resources,
		old: &Resources,
		new: &Resources,
	) -> Result<Resources, Error<T>> {
		NodeReserved::<T>::get(node_id)
			.unwrap_or_default()
			.saturating_sub(old)
			.checked_add(new)
			.filter(|reserved| reserved.fits_within(capacity))
			.ok_or(Error::<T>::NodeCapacityExceeded)
	}

	/// Whether twin `twin_id` owes: a contract of its is in its grace period, or debt of an
	/// ended contract was written off.
	pub(crate) fn is_in_debt(twin_id: TwinId) -> bool {
		TwinsInGrace::<T>::contains_key(twin_id)
			|| WrittenOffDebts::<T>::iter_key_prefix(twin_id).next().is_some()
	}

	/// Counts one more (`entered`) or one fewer of twin `twin_id`'s contracts in grace.
	pub(crate) fn count_grace(twin_id: TwinId, entered: bool) {
		TwinsInGrace::<T>::mutate_exists(twin_id, |count| {
			let now = count.unwrap_or_default();
			let now = if entered { now.saturating_add(1) } else { now.saturating_sub(1) };
			*count = (now > 0).then_some(now);
		});
	}

	/// Whether `who` is the account of node `node_id`'s twin.
	fn is_node_account(who: &T::AccountId, node_id: NodeId) -> bool {
		T::Grid::node(node_id).is_some_and(|node| node.account == *who)
	}

	/// The storage deposit of `contract`: [`ITEMS_PER_CONTRACT`] entries, and in bytes its
	/// key ([`RECORD_KEY_BYTES`]), its encoded size with its state at its largest (it grows in
	/// the grace period), and its index entry ([`INDEX_ENTRY_BYTES`]).
	pub(crate) fn deposit_for(contract: &ContractOf<T>) -> BalanceOf<T> {
		let largest = ContractState::<BlockNumberFor<T>>::max_encoded_len();
		let size = contract
			.encoded_size()
			.saturating_sub(contract.state.encoded_size())
			.saturating_add(largest);
		let bytes =
			(size as u32).saturating_add(RECORD_KEY_BYTES).saturating_add(INDEX_ENTRY_BYTES);
		T::DepositPerItem::get()
			.saturating_mul(ITEMS_PER_CONTRACT.into())
			.saturating_add(T::DepositPerByte::get().saturating_mul(bytes.into()))
	}

	/// Whether a node received a deployment that matches live contract `contract_id`: it must
	/// be for node `node_id`, of twin `twin_id`, with deployment hash `deployment_hash`.
	pub fn check_deployment(
		node_id: NodeId,
		contract_id: ContractId,
		twin_id: TwinId,
		deployment_hash: DeploymentHash,
	) -> Result<(), DeploymentMismatch> {
		let contract =
			Contracts::<T>::get(contract_id).ok_or(DeploymentMismatch::ContractNotFound)?;
		if contract.node_id != node_id {
			return Err(DeploymentMismatch::WrongNode);
		}
		if contract.twin_id != twin_id {
			return Err(DeploymentMismatch::TwinMismatch);
		}
		if contract.deployment_hash != deployment_hash {
			return Err(DeploymentMismatch::HashMismatch);
		}
		Ok(())
	}

	/// The live contracts of node `node_id` with their deployment hashes, at most `limit` (and
	/// never more than [`MAX_NODE_CONTRACTS_PAGE`]) of them, starting after the contract with
	/// deployment hash `after` (the last hash of the previous page), or from the first.
	pub fn node_contracts(
		node_id: NodeId,
		after: Option<DeploymentHash>,
		limit: u32,
	) -> alloc::vec::Vec<(ContractId, DeploymentHash)> {
		let limit = limit.min(MAX_NODE_CONTRACTS_PAGE) as usize;
		let page = match after {
			Some(hash) => NodeContracts::<T>::iter_prefix_from(
				node_id,
				NodeContracts::<T>::hashed_key_for(node_id, hash),
			),
			None => NodeContracts::<T>::iter_prefix(node_id),
		};
		page.take(limit).map(|(hash, contract_id)| (contract_id, hash)).collect()
	}
}

/// The most contracts one page of [`Pallet::node_contracts`] returns.
pub const MAX_NODE_CONTRACTS_PAGE: u32 = 1_000;

impl<T: Config> GridUsage for Pallet<T> {
	fn is_node_in_use(node_id: NodeId) -> bool {
		NodeContracts::<T>::iter_key_prefix(node_id).next().is_some()
	}

	fn reserved_resources(node_id: NodeId) -> Resources {
		NodeReserved::<T>::get(node_id).unwrap_or_default()
	}

	/// A twin that owns contracts or owes written-off debt stays: deleting it would leave the
	/// contracts without an owner, or erase the debt.
	fn is_twin_in_use(twin_id: TwinId) -> bool {
		TwinContracts::<T>::contains_key(twin_id) || Self::is_in_debt(twin_id)
	}
}

// Native builds carry the checks too, so the tests of other crates (the contracts pallet, the
// runtime) run them without enabling `try-runtime`, which would change the workspace's features.
#[cfg(any(feature = "std", feature = "try-runtime"))]
impl<T: Config> Pallet<T> {
	/// The contracts' invariants: the node index agrees with the contracts both ways; every IP a
	/// contract lists is reserved to it on its farm and every reserved IP belongs to the live
	/// contract that lists it; each owner's held deposit equals the deposits of their contracts.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use frame_support::traits::fungible::hold::Inspect as HoldInspect;

		let last = LastContractId::<T>::get();
		let mut listed_ips = BTreeSet::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut reserved: BTreeMap<NodeId, Resources> = BTreeMap::new();
		let mut owned: BTreeMap<TwinId, u32> = BTreeMap::new();
		let mut owned_in_grace: BTreeMap<TwinId, u32> = BTreeMap::new();
		let mut contracts = 0usize;
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
			ensure!(
				contract.public_ips_list.len() as u32 == contract.public_ips,
				"contract holds another number of IPs than it asked for"
			);
			for ip in contract.public_ips_list.iter() {
				ensure!(listed_ips.insert((contract.farm_id, ip.ip, id)), "IP listed twice");
			}
			ensure!(contract.deposit == Self::deposit_for(&contract), "deposit not what it stores");
			ensure!(
				contract.debt.is_zero()
					!= matches!(contract.state, ContractState::GracePeriod { .. }),
				"a debt outside the grace period, or a grace period without debt"
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
		Ok(())
	}
}
