//! # Smart-contract pallet
//!
//! IT smart contracts: a twin's deployment on a node of the grid.
//!
//! A user creates a contract on a node with the deployment's hash, the deployment itself
//! encrypted to their own key (optional), and the number of public IPs it needs; the pallet
//! reserves that many IPs on the node's farm through the registry ([`Config::Grid`]) and holds a
//! storage deposit from the user. The deployment travels to the node peer-to-peer; the node reads
//! the contract through the runtime API ([`runtime_api::SmartContractApi`]), checks that the twin
//! and the hash match what it received, deploys, and confirms on chain. The owner may update the
//! deployment (the node then confirms again) and the owner or the node may cancel the contract,
//! which frees its IPs and releases the deposit.
//!
//! The registry asks this pallet ([`grid_primitives::NodeUsage`]) before deleting a node, so a
//! node with live contracts stays.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungible};
	use frame_system::pallet_prelude::*;
	use grid_primitives::{ContractId, DeploymentHash, GridProvider, NodeId, PublicIp, TwinId};

	/// The layout of this pallet's storage; raised, with a migration, whenever it changes.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason, of which this pallet's [`HoldReason`] is part.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency contracts hold their storage deposits in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::hold::Mutate<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The grid registry: twins, nodes and the public IPs of farms.
		type Grid: GridProvider<Self::AccountId>;

		/// The deposit held for each storage entry a contract creates.
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// The deposit held for each byte a contract stores.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// The most bytes of encrypted deployment data a contract may store.
		#[pallet::constant]
		type MaxDeploymentDataLength: Get<u32>;

		/// The most public IPs one contract may hold.
		#[pallet::constant]
		type MaxPublicIps: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates the registry records the benchmarks need.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: grid_primitives::GridBenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a live contract; released when the contract is cancelled.
		#[codec(index = 0)]
		ContractDeposit,
	}

	/// The id of the last contract created; the next one gets the following number. Ids start
	/// at 1 and are never reused.
	#[pallet::storage]
	pub type LastContractId<T> = StorageValue<_, ContractId, ValueQuery>;

	/// Live contracts by id.
	#[pallet::storage]
	pub type Contracts<T: Config> = StorageMap<_, Blake2_128Concat, ContractId, ContractOf<T>>;

	/// The live contracts of each node, by deployment hash: a node runs one live contract per
	/// deployment hash.
	#[pallet::storage]
	pub type NodeContracts<T> =
		StorageDoubleMap<_, Blake2_128Concat, NodeId, Blake2_128Concat, DeploymentHash, ContractId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A contract was created; its public IPs are reserved and its deposit held.
		ContractCreated {
			/// The new contract's id.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The node it runs on.
			node_id: NodeId,
			/// Its deployment hash.
			deployment_hash: DeploymentHash,
			/// The public IPs reserved for it.
			public_ips: BoundedVec<PublicIp, T::MaxPublicIps>,
			/// The storage deposit held from the owner.
			deposit: BalanceOf<T>,
		},
		/// A contract's deployment was replaced; it waits for the node to confirm again.
		ContractUpdated {
			/// The contract.
			contract_id: ContractId,
			/// Its new deployment hash.
			deployment_hash: DeploymentHash,
			/// The storage deposit held from the owner now.
			deposit: BalanceOf<T>,
		},
		/// The node confirmed that it deployed the contract.
		DeploymentConfirmed {
			/// The contract.
			contract_id: ContractId,
			/// The node that deployed it.
			node_id: NodeId,
		},
		/// A contract ended: its public IPs are free and its deposit released.
		ContractCanceled {
			/// The contract that no longer exists.
			contract_id: ContractId,
			/// The twin that owned it.
			twin_id: TwinId,
			/// The node it ran on.
			node_id: NodeId,
			/// Who ended it, and why.
			reason: CancelReason,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signing account has no twin; create one with `tfgridModule.createTwin` first.
		TwinNotFound,
		/// No node has this id.
		NodeNotFound,
		/// The deployment hash is all zeros; pass the hash of the deployment.
		InvalidDeploymentHash,
		/// The node already runs a live contract with this deployment hash.
		DuplicateDeploymentHash,
		/// More public IPs than one contract may hold (`MaxPublicIps`).
		TooManyPublicIps,
		/// The node's farm has fewer public IPs than requested, free or not.
		NotEnoughIpsOnFarm,
		/// The node's farm has enough public IPs, but fewer than requested are free.
		NotEnoughFreeIpsOnFarm,
		/// The account cannot pay the contract's storage deposit.
		InsufficientBalanceForDeposit,
		/// All contract ids are used up.
		IdsExhausted,
		/// No live contract has this id.
		ContractNotFound,
		/// Only the contract's owner may do this.
		NotContractOwner,
		/// Only the contract's node may do this.
		NotContractNode,
		/// Only the contract's owner or its node may cancel it.
		NotContractOwnerOrNode,
		/// The hash differs from the contract's deployment hash.
		DeploymentHashMismatch,
		/// The node already confirmed this deployment.
		AlreadyDeployed,
		/// The registry refused to free the contract's public IPs; the contract stays.
		IpsNotReleased,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxPublicIps::get() > 0, "a contract must be able to hold a public IP");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a contract on a node.
		///
		/// Origin: signed, by a twin's account (a multisig account with a twin works too). The
		/// account pays the storage deposit: 2 entries plus the bytes the contract stores.
		/// - `node_id`: the node to deploy on.
		/// - `deployment_hash`: BLAKE2b-256 of the deployment's challenge bytes; unique among the
		///   node's live contracts.
		/// - `deployment_data`: the deployment encrypted to the user's own key; may be empty.
		/// - `public_ips`: how many public IPs to reserve on the node's farm.
		///
		/// Emits `ContractCreated`. Errors: `TwinNotFound`, `NodeNotFound`,
		/// `InvalidDeploymentHash`, `DuplicateDeploymentHash`, `TooManyPublicIps`,
		/// `NotEnoughIpsOnFarm`, `NotEnoughFreeIpsOnFarm`, `InsufficientBalanceForDeposit`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_node_contract(
			(*public_ips).min(T::MaxPublicIps::get())
		))]
		pub fn create_node_contract(
			origin: OriginFor<T>,
			node_id: NodeId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentDataOf<T>,
			public_ips: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_node_contract(
				&who,
				node_id,
				deployment_hash,
				deployment_data,
				public_ips,
			)
			.map(|_| ())
		}

		/// Replace a contract's deployment; the node confirms it again.
		///
		/// Origin: signed, by the contract owner's account. The deposit follows the new size of
		/// the data: more is held, or the difference released. The state returns to `Created`.
		///
		/// Emits `ContractUpdated`. Errors: `ContractNotFound`, `NotContractOwner`,
		/// `InvalidDeploymentHash`, `DuplicateDeploymentHash`, `InsufficientBalanceForDeposit`.
		#[pallet::call_index(1)]
		pub fn update_node_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentDataOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node_contract(&who, contract_id, deployment_hash, deployment_data)
		}

		/// Confirm that the node deployed the contract's deployment.
		///
		/// Origin: signed, by the account of the contract's node. `deployment_hash` is the hash
		/// the node computed from the deployment it received; it must equal the contract's.
		/// `Created` becomes `Deployed`.
		///
		/// Emits `DeploymentConfirmed`. Errors: `ContractNotFound`, `NotContractNode`,
		/// `DeploymentHashMismatch`, `AlreadyDeployed`.
		#[pallet::call_index(2)]
		pub fn confirm_deployment(
			origin: OriginFor<T>,
			contract_id: ContractId,
			deployment_hash: DeploymentHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_deployment(&who, contract_id, deployment_hash)
		}

		/// Cancel a contract: free its public IPs, release its deposit and remove it.
		///
		/// Origin: signed, by the contract owner's account or the account of its node.
		///
		/// Emits `ContractCanceled` with the reason (`CanceledByOwner` or `CanceledByNode`).
		/// Errors: `ContractNotFound`, `NotContractOwnerOrNode`, `IpsNotReleased`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_contract(T::MaxPublicIps::get()))]
		pub fn cancel_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let freed_ips = Self::do_cancel_contract(&who, contract_id)?;
			Ok(Some(T::WeightInfo::cancel_contract(freed_ips)).into())
		}
	}
}
