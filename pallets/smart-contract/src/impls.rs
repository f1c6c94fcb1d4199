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

/// Storage entries a contract creates: its record, its deployment and its entry in
/// [`NodeContracts`]. (Its billing goes into its node's entry of [`NodeBilling`]: bytes only.)
const ITEMS_PER_CONTRACT: u32 = 3;
/// The bytes a `Blake2_128Concat` map key takes besides the key itself.
const HASH_PREFIX: u32 = 16;
/// Bytes of a contract's key in [`Contracts`] and in [`Deployments`]: the hash prefix and the
/// contract id.
const RECORD_KEY_BYTES: u32 = HASH_PREFIX + 8;
/// Bytes of a contract's [`NodeContracts`] entry: its key (node id and deployment hash, each
/// after a hash prefix) and the contract id it holds.
const INDEX_ENTRY_BYTES: u32 = HASH_PREFIX + 4 + HASH_PREFIX + 32 + 8;

/// Counts one more (`up`) or one fewer in a per-twin count, such as [`TwinContracts`] or
/// [`TwinsInGrace`], whose entry is absent at zero; for `mutate_exists`.
pub(crate) fn count_one(count: &mut Option<u32>, up: bool) {
	let now = count.unwrap_or_default();
	let now = if up { now.saturating_add(1) } else { now.saturating_sub(1) };
	*count = (now > 0).then_some(now);
}

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
		let now = T::UnixTime::now().as_secs();
		let mut node_billing = NodeBilling::<T>::get(node_id).unwrap_or_default();
		node_billing
			.try_insert(contract_id, Billing { billed_until: now, debt: Zero::zero() })
			.map_err(|_| Error::<T>::TooManyContractsOnNode)?;

		let reserved =
			T::Grid::reserve_ips(node.farm_id, contract_id, public_ips).map_err(|e| match e {
				ReserveIpsError::NotEnoughIps => Error::<T>::NotEnoughIpsOnFarm,
				ReserveIpsError::NotEnoughFreeIps => Error::<T>::NotEnoughFreeIpsOnFarm,
			})?;
		let ips = PublicIpsOf::<T>::try_from(reserved).map_err(|_| {
			frame_support::defensive!("the registry reserved more IPs than asked for");
			Error::<T>::TooManyPublicIps
		})?;

		let expires =
			frame_system::Pallet::<T>::block_number().saturating_add(policy.deployment_timeout);
		let mut contract = Contract {
			contract_id,
			twin_id,
			owner: who.clone(),
			node_id,
			farm_id: node.farm_id,
			resources,
			deployment_hash,
			public_ips: ips.len() as u32,
			state: ContractState::Created { expires },
			deposit: Zero::zero(),
		};
		let deployment = Deployment { deployment_data, public_ips: ips };
		contract.deposit = Self::deposit_for(&contract, &deployment);
		T::Currency::hold(&HoldReason::ContractDeposit.into(), who, contract.deposit)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;

		LastContractId::<T>::put(contract_id);
		NodeContracts::<T>::insert(node_id, deployment_hash, contract_id);
		NodeReserved::<T>::insert(node_id, node_reserved);
		NodeBilling::<T>::insert(node_id, node_billing);
		TwinContracts::<T>::mutate_exists(twin_id, |count| count_one(count, true));
		Deadlines::<T>::insert(expires, contract_id, ());
		Self::deposit_event(Event::ContractCreated {
			contract_id,
			twin_id,
			node_id,
			deployment_hash,
			resources,
			public_ips: deployment.public_ips.clone(),
			deposit: contract.deposit,
			expires,
		});
		Contracts::<T>::insert(contract_id, contract);
		Deployments::<T>::insert(contract_id, deployment);
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
		let mut deployment = Deployments::<T>::get(contract_id).unwrap_or_default();
		deployment.deployment_data = deployment_data;
		if contract.state == ContractState::Deployed {
			contract.state = ContractState::Updated;
		}

		let old_deposit = contract.deposit;
		let new_deposit = Self::deposit_for(&contract, &deployment);
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
		Deployments::<T>::insert(contract_id, deployment);
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
			ContractState::Created { .. } => {
				Self::unschedule(&contract);
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
			Self::try_mutate_billing(contract.node_id, contract_id, |billing| {
				Self::bill_ips_since_creation(&mut contract, billing);
				Ok(())
			})?;
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
		contract: ContractOf<T>,
		reason: CancelReason,
	) -> Result<Removed, DispatchError> {
		let deployment = Deployments::<T>::take(contract.contract_id).unwrap_or_default();
		let ips: alloc::vec::Vec<_> = deployment.public_ips.iter().map(|ip| ip.ip).collect();
		T::Grid::release_ips(contract.farm_id, contract.contract_id, &ips)
			.map_err(|_| Error::<T>::IpsNotReleased)?;
		T::Currency::release(
			&HoldReason::ContractDeposit.into(),
			&contract.owner,
			contract.deposit,
			Precision::BestEffort,
		)?;
		let mut billing = Self::take_billing(&contract).ok_or_else(|| {
			frame_support::defensive!("a live contract without its billing");
			Error::<T>::ContractNotFound
		})?;
		Self::bill_public_ips_until_now(&contract, &mut billing);
		let billed = !billing.debt.is_zero();
		Self::settle_outstanding(&contract, billing.debt);
		Self::unschedule(&contract);
		NodeContracts::<T>::remove(contract.node_id, contract.deployment_hash);
		NodeReserved::<T>::mutate_exists(contract.node_id, |reserved| {
			let left = reserved.unwrap_or_default().saturating_sub(&contract.resources);
			*reserved = (left != Resources::default()).then_some(left);
		});
		TwinContracts::<T>::mutate_exists(contract.twin_id, |count| count_one(count, false));
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

	/// Whether `who` is the account of node `node_id`'s twin.
	fn is_node_account(who: &T::AccountId, node_id: NodeId) -> bool {
		T::Grid::node(node_id).is_some_and(|node| node.account == *who)
	}

	/// The storage deposit of `contract` with `deployment`: [`ITEMS_PER_CONTRACT`] entries,
	/// and in bytes the record's and the deployment's keys ([`RECORD_KEY_BYTES`] each), the
	/// record's encoded size with its state at its largest (it grows in the grace period), the
	/// deployment's encoded size, the index entry ([`INDEX_ENTRY_BYTES`]) and the contract's
	/// id and billing, at their largest, in its node's entry of [`NodeBilling`].
	pub(crate) fn deposit_for(
		contract: &ContractOf<T>,
		deployment: &DeploymentOf<T>,
	) -> BalanceOf<T> {
		let largest = ContractState::<BlockNumberFor<T>>::max_encoded_len();
		let size = contract
			.encoded_size()
			.saturating_sub(contract.state.encoded_size())
			.saturating_add(largest)
			.saturating_add(deployment.encoded_size())
			.saturating_add(<(ContractId, BillingOf<T>)>::max_encoded_len());
		let bytes = (size as u32)
			.saturating_add(RECORD_KEY_BYTES.saturating_mul(2))
			.saturating_add(INDEX_ENTRY_BYTES);
		T::DepositPerItem::get()
			.saturating_mul(ITEMS_PER_CONTRACT.into())
			.saturating_add(T::DepositPerByte::get().saturating_mul(bytes.into()))
	}
}

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
