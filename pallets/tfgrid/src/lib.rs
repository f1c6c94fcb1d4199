//! # Grid registry pallet
//!
//! Who is on the grid and what they offer:
//!
//! - **Twins**: an account's identity on the grid, with a numeric id, an optional relay address
//!   (where peer-to-peer messages for the twin are delivered) and an optional public key (to which
//!   deployment data is encrypted). One twin per account.
//! - **Farms**: a farmer's named collection of nodes, with its public IPv4 addresses. Every IP
//!   is one storage entry that names the contract holding it, if any, and each farm keeps
//!   counters of its IPs and free IPs. An address is unique within its farm, not across farms:
//!   the chain cannot tell who holds an address, so no farm can block another from listing its
//!   own.
//! - **Nodes**: a machine on a farm with its capacity. A node is registered by its own twin,
//!   whose account later confirms deployments and signs consumption reports, and only on the
//!   farm owner's invitation: contracts on a node reserve its farm's public IPs, so no stranger
//!   may put a node on a farm.
//!
//! The smart-contract pallet uses the registry through [`grid_primitives::GridProvider`],
//! which this pallet implements: look-ups of twins and nodes, and the all-or-nothing reservation
//! and release of a farm's public IPs. The registry in turn asks [`Config::GridUsage`] whether a
//! node still runs contracts before deleting it, and whether a twin still owns any before
//! deleting the twin; an IP that a contract holds cannot be removed.
//!
//! Every record holds a storage deposit from the account that made it, for the entries and
//! bytes it takes at its largest: a twin's from its account, a farm's (with one share per public
//! IP and per open invitation) from the farm's twin, a node's from the node's twin. Every record
//! can be removed once it holds nothing, and releases its deposit: an IP no contract holds, an
//! invitation (used or revoked), a node no contract runs on, a farm without IPs, nodes or
//! invitations, a twin without a node, farms or contracts.

#![cfg_attr(not(feature = "std"), no_std)]
// Nothing the runtime runs may panic: no unchecked arithmetic, indexing, unwrap or panic
// outside the tests; CI runs clippy with these lints. (`expect_used` cannot be denied: FRAME's
// macros expand to `expect` on values they construct themselves.)
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::panic
	)
)]

extern crate alloc;

// Benchmarks only run in benchmark builds of the runtime, where a failed set-up should panic.
#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::arithmetic_side_effects, clippy::panic)]
mod benchmark_helper;
#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::panic)]
mod benchmarking;
mod genesis;
mod impls;
#[cfg(test)]
mod mock;
mod provider;
#[cfg(test)]
mod tests;
// Native builds carry the checks too, so the tests of other crates (the contracts pallet, the
// runtime) run them without enabling `try-runtime`, which would change the workspace's features.
#[cfg(any(feature = "std", feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
		DefaultNoBound,
	};
	use frame_system::pallet_prelude::*;
	use grid_primitives::{FarmId, GridUsage, IpAddress, NodeId, PublicIp, Resources, TwinId};

	/// The layout of this pallet's storage; raised, with a migration, whenever it changes.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Tells whether contracts still run on a node or belong to a twin, and what a node's
		/// contracts reserve: a node or twin in use is not deleted, nor a node shrunk below its
		/// contracts.
		type GridUsage: GridUsage;

		/// The currency (TFT) storage deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The deposit held for each storage entry a record takes.
		#[pallet::constant]
		type DepositPerItem: Get<BalanceOf<Self>>;

		/// The deposit held for each byte a record takes.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// The longest relay address of a twin, in bytes.
		#[pallet::constant]
		type MaxRelayLength: Get<u32>;

		/// The longest public key of a twin, in bytes.
		#[pallet::constant]
		type MaxPkLength: Get<u32>;

		/// The longest farm name, in bytes.
		#[pallet::constant]
		type MaxFarmNameLength: Get<u32>;

		/// The most public IPs a farm may have.
		#[pallet::constant]
		type MaxIpsPerFarm: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a twin, held from its account.
		#[codec(index = 0)]
		TwinDeposit,
		/// The storage deposit of a farm, its public IPs and its open node invitations, held
		/// from the farm's twin.
		#[codec(index = 1)]
		FarmDeposit,
		/// The storage deposit of a node, held from the node's twin.
		#[codec(index = 2)]
		NodeDeposit,
	}

	/// The id of the last twin created; the next one gets the following number. Ids start at 1.
	#[pallet::storage]
	pub type LastTwinId<T> = StorageValue<_, TwinId, ValueQuery>;

	/// Twins by id.
	#[pallet::storage]
	pub type Twins<T: Config> = StorageMap<_, Blake2_128Concat, TwinId, TwinOf<T>>;

	/// The twin of each account that has one.
	#[pallet::storage]
	pub type TwinIdByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, TwinId>;

	/// The id of the last farm created. Ids start at 1.
	#[pallet::storage]
	pub type LastFarmId<T> = StorageValue<_, FarmId, ValueQuery>;

	/// Farms by id.
	#[pallet::storage]
	pub type Farms<T: Config> = StorageMap<_, Blake2_128Concat, FarmId, FarmOf<T>>;

	/// Farm ids by name, lower-cased: farm names are unique regardless of case.
	#[pallet::storage]
	pub type FarmIdByName<T: Config> = StorageMap<_, Blake2_128Concat, FarmNameOf<T>, FarmId>;

	/// How many public IPs each farm has, and how many of them are free.
	#[pallet::storage]
	pub type FarmIpCounts<T> = StorageMap<_, Blake2_128Concat, FarmId, IpCounts, ValueQuery>;

	/// The public IPs of each farm: prefix length, gateway, and the contract holding it, if any.
	#[pallet::storage]
	pub type FarmIps<T> =
		StorageDoubleMap<_, Blake2_128Concat, FarmId, Blake2_128Concat, IpAddress, FarmIp>;

	/// The free public IPs of each farm: the IPs a new contract can reserve.
	#[pallet::storage]
	pub type FreeFarmIps<T> =
		StorageDoubleMap<_, Blake2_128Concat, FarmId, Blake2_128Concat, IpAddress, ()>;

	/// The id of the last node created. Ids start at 1.
	#[pallet::storage]
	pub type LastNodeId<T> = StorageValue<_, NodeId, ValueQuery>;

	/// Nodes by id.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Blake2_128Concat, NodeId, NodeOf<T>>;

	/// The node of each twin that registered one: a twin runs at most one node.
	#[pallet::storage]
	pub type NodeIdByTwin<T> = StorageMap<_, Blake2_128Concat, TwinId, NodeId>;

	/// The open invitations of each farm: the twins its owner invited to register a node on
	/// it. Registering the node uses the invitation up.
	#[pallet::storage]
	pub type NodeInvites<T> =
		StorageDoubleMap<_, Blake2_128Concat, FarmId, Blake2_128Concat, TwinId, ()>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A twin was created.
		TwinCreated {
			/// The new twin's id.
			twin_id: TwinId,
			/// The account that owns it.
			account: T::AccountId,
			/// Its relay address, if any.
			relay: Option<RelayOf<T>>,
			/// Its public key, if any.
			pk: Option<PkOf<T>>,
		},
		/// A twin was deleted and its deposit released.
		TwinDeleted {
			/// The twin that no longer exists; its id is never given again.
			twin_id: TwinId,
		},
		/// A twin's relay address and public key were replaced.
		TwinUpdated {
			/// The twin.
			twin_id: TwinId,
			/// Its relay address now, if any.
			relay: Option<RelayOf<T>>,
			/// Its public key now, if any.
			pk: Option<PkOf<T>>,
		},
		/// A farm was created.
		FarmCreated {
			/// The new farm's id.
			farm_id: FarmId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// Its name.
			name: FarmNameOf<T>,
		},
		/// A farm was deleted and its deposit released; its name is free again.
		FarmDeleted {
			/// The farm that no longer exists.
			farm_id: FarmId,
		},
		/// A public IP was added to a farm; it is free for contracts to reserve.
		FarmIpAdded {
			/// The farm.
			farm_id: FarmId,
			/// The address, its prefix length and its gateway.
			ip: PublicIp,
		},
		/// A public IP was removed from a farm.
		FarmIpRemoved {
			/// The farm.
			farm_id: FarmId,
			/// The address removed.
			ip: IpAddress,
		},
		/// A farm's owner invited a twin to register a node on the farm.
		NodeInvited {
			/// The farm.
			farm_id: FarmId,
			/// The twin invited.
			twin_id: TwinId,
		},
		/// A farm's owner withdrew an invitation before it was used.
		NodeInviteRevoked {
			/// The farm.
			farm_id: FarmId,
			/// The twin that was invited.
			twin_id: TwinId,
		},
		/// A node was registered on a farm, using up its twin's invitation.
		NodeCreated {
			/// The new node's id.
			node_id: NodeId,
			/// The farm it belongs to.
			farm_id: FarmId,
			/// The node's own twin, whose account confirms deployments and sends reports.
			twin_id: TwinId,
			/// Its capacity.
			resources: Resources,
		},
		/// A node's capacity was updated.
		NodeUpdated {
			/// The node.
			node_id: NodeId,
			/// Its capacity now.
			resources: Resources,
		},
		/// A node was deleted.
		NodeDeleted {
			/// The node that no longer exists.
			node_id: NodeId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This account already has a twin; an account has at most one.
		TwinExists,
		/// The signing account has no twin; create one first with `create_twin`.
		TwinNotFound,
		/// The relay address is empty or has characters other than printable ASCII without spaces.
		InvalidRelay,
		/// The public key is empty; leave it out instead.
		EmptyPublicKey,
		/// All ids of this kind are used up.
		IdsExhausted,
		/// The farm name is empty or has characters other than ASCII letters, digits, `-`, `_` and `.`.
		InvalidFarmName,
		/// Another farm already has this name (names are compared without regard to case).
		FarmNameTaken,
		/// No farm has this id.
		FarmNotFound,
		/// Only the farm's own twin may do this.
		NotFarmOwner,
		/// The IP is not an IPv4 or IPv6 address with a prefix length, like `185.206.122.10/24`.
		IpMalformed,
		/// The prefix length is out of range or leaves no room for the address and a gateway
		/// (IPv4 /1 to /30, IPv6 /1 to /126).
		IpPrefixInvalid,
		/// Part of the IP's subnet is not public unicast space: private, shared, loopback,
		/// link-local, documentation, multicast or reserved addresses are refused.
		IpNotPublic,
		/// The IP is the network or broadcast address of its subnet, not a host.
		IpNotAHost,
		/// The gateway is not an IPv4 or IPv6 address.
		GatewayMalformed,
		/// The gateway is not a host of the IP's subnet.
		GatewayNotInSubnet,
		/// The gateway is the IP itself.
		GatewayIsTheIp,
		/// This farm already lists this IP.
		IpAlreadyRegistered,
		/// Public IPs are IPv4 addresses; a node's IPv6 addresses come from its farm's own
		/// network, not from the chain.
		IpNotIpv4,
		/// The farm already has the most public IPs it may have (`MaxIpsPerFarm`).
		TooManyFarmIps,
		/// The farm has no such public IP.
		IpNotFound,
		/// A contract holds this IP; it can be removed once the contract ends.
		IpReserved,
		/// The resources are out of bounds: a node needs 1 to 1,024 cores, 1 GiB to 16 TiB of
		/// memory, and at most 1,024 TiB of SSD and of HDD.
		InvalidResources,
		/// This twin already runs a node; a twin runs at most one.
		TwinHasNode,
		/// No twin has this id.
		InviteeNotFound,
		/// The twin runs a node; delete the node first.
		TwinRunsNode,
		/// The twin owns farms; delete them first.
		TwinHasFarms,
		/// The twin owns live contracts, or owes debt written off when one ended unpaid: cancel
		/// them, or repay it (`smartContractModule.repayWrittenOffDebt`), first.
		TwinInUse,
		/// The farm has public IPs; remove them first.
		FarmHasIps,
		/// Nodes are on the farm; they must be deleted first.
		FarmHasNodes,
		/// The farm has open invitations; revoke them first.
		FarmHasInvites,
		/// The farm has already invited this twin.
		AlreadyInvited,
		/// The farm has no open invitation for this twin.
		InviteNotFound,
		/// The farm's owner has not invited this twin to register a node on the farm; ask them
		/// to (`inviteNode`).
		NodeNotInvited,
		/// No node has this id.
		NodeNotFound,
		/// Only the node's own twin may do this.
		NotNodeOwner,
		/// Contracts still run on this node; it can be deleted once they are cancelled.
		NodeInUse,
		/// The node's contracts reserve more than this capacity; a node cannot shrink below
		/// what its live contracts reserve (`smartContractModule.nodeReserved` in the chain
		/// state holds how much).
		CapacityBelowReserved,
		/// The account cannot pay the record's storage deposit (see the constants
		/// `DepositPerItem` and `DepositPerByte`).
		InsufficientBalanceForDeposit,
	}

	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Twins to create, in order (ids 1, 2, …): the account and its relay address, if any.
		pub twins: alloc::vec::Vec<(T::AccountId, Option<alloc::string::String>)>,
		/// Farms to create, in order (ids 1, 2, …), with their public IPs.
		pub farms: alloc::vec::Vec<GenesisFarm>,
		/// Nodes to create, in order (ids 1, 2, …).
		pub nodes: alloc::vec::Vec<GenesisNode>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// The storage deposit a twin holds from its account.
		#[pallet::constant_name(TwinDeposit)]
		fn twin_deposit_constant() -> BalanceOf<T> {
			Self::twin_deposit()
		}

		/// The storage deposit a farm holds from its twin's account, without its IPs.
		#[pallet::constant_name(FarmDeposit)]
		fn farm_deposit_constant() -> BalanceOf<T> {
			Self::farm_deposit()
		}

		/// What each public IP adds to its farm's storage deposit.
		#[pallet::constant_name(IpDeposit)]
		fn ip_deposit_constant() -> BalanceOf<T> {
			Self::ip_deposit()
		}

		/// What each open invitation adds to its farm's storage deposit.
		#[pallet::constant_name(InviteDeposit)]
		fn invite_deposit_constant() -> BalanceOf<T> {
			Self::invite_deposit()
		}

		/// The storage deposit a node holds from its twin's account.
		#[pallet::constant_name(NodeDeposit)]
		fn node_deposit_constant() -> BalanceOf<T> {
			Self::node_deposit()
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxRelayLength::get() > 0, "a relay address needs room for one byte");
			assert!(T::MaxPkLength::get() > 0, "a public key needs room for one byte");
			assert!(T::MaxFarmNameLength::get() > 0, "a farm name needs room for one byte");
			assert!(T::MaxIpsPerFarm::get() > 0, "a farm must be able to hold a public IP");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a twin for the signing account.
		///
		/// Origin: signed, by an account that has no twin yet.
		/// - `relay`: the address where peer-to-peer messages for the twin are delivered, e.g.
		///   `relay.grid.example` (printable ASCII, no spaces); optional.
		/// - `pk`: the public key deployment data is encrypted to; optional.
		///
		/// Holds the twin's storage deposit from the account (the constant `twinDeposit`).
		///
		/// Emits `TwinCreated`. Errors: [`Error::TwinExists`], [`Error::InvalidRelay`],
		/// [`Error::EmptyPublicKey`], [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(0)]
		pub fn create_twin(
			origin: OriginFor<T>,
			relay: Option<RelayOf<T>>,
			pk: Option<PkOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_twin(who, relay, pk).map(|_| ())
		}

		/// Replace the relay address and public key of the signing account's twin.
		///
		/// Origin: signed, by a twin's account. Both values are replaced; `None` clears one.
		///
		/// Emits `TwinUpdated`. Errors: [`Error::TwinNotFound`], [`Error::InvalidRelay`],
		/// [`Error::EmptyPublicKey`].
		#[pallet::call_index(1)]
		pub fn update_twin(
			origin: OriginFor<T>,
			relay: Option<RelayOf<T>>,
			pk: Option<PkOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_twin(&who, relay, pk)
		}

		/// Create a farm owned by the signing account's twin.
		///
		/// Origin: signed, by a twin's account.
		/// - `name`: unique regardless of case; ASCII letters, digits, `-`, `_` and `.` only.
		///
		/// Holds the farm's storage deposit from the twin's account (the constant `farmDeposit`).
		///
		/// Emits `FarmCreated`. Errors: [`Error::TwinNotFound`], [`Error::InvalidFarmName`],
		/// [`Error::FarmNameTaken`], [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(2)]
		pub fn create_farm(origin: OriginFor<T>, name: FarmNameOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_farm(&who, name).map(|_| ())
		}

		/// Add a public IPv4 address to a farm, free for contracts on the farm's nodes to reserve.
		///
		/// Origin: signed, by the farm's twin. Another farm listing the same address does not
		/// stop it: the chain cannot tell who holds an address, and each farm answers for its own.
		/// - `ip`: the address with its prefix length, e.g. `185.206.122.10/24`. The whole subnet
		///   must be public unicast address space and the address a host of it.
		/// - `gateway`: the gateway's address, another host of the same subnet, e.g.
		///   `185.206.122.1`.
		///
		/// Adds the IP's share (the constant `ipDeposit`) to the farm's storage deposit.
		///
		/// Emits `FarmIpAdded`. Errors: [`Error::FarmNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::IpMalformed`], [`Error::IpPrefixInvalid`], [`Error::IpNotPublic`],
		/// [`Error::IpNotAHost`], [`Error::GatewayMalformed`], [`Error::GatewayNotInSubnet`],
		/// [`Error::GatewayIsTheIp`], [`Error::IpNotIpv4`], [`Error::IpAlreadyRegistered`],
		/// [`Error::TooManyFarmIps`], [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(3)]
		pub fn add_farm_ip(
			origin: OriginFor<T>,
			farm_id: FarmId,
			ip: IpText,
			gateway: IpText,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_farm_ip(&who, farm_id, &ip, &gateway)
		}

		/// Remove a free public IP from a farm.
		///
		/// Origin: signed, by the farm's twin.
		/// - `ip`: the address, e.g. `185.206.122.10` (a trailing prefix length is ignored).
		///
		/// Releases the IP's share of the farm's storage deposit.
		///
		/// Emits `FarmIpRemoved`. Errors: [`Error::FarmNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::IpMalformed`], [`Error::IpNotFound`], [`Error::IpReserved`] (a contract holds
		/// it).
		#[pallet::call_index(4)]
		pub fn remove_farm_ip(origin: OriginFor<T>, farm_id: FarmId, ip: IpText) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_farm_ip(&who, farm_id, &ip)
		}

		/// Register the node whose twin is the signing account's twin on a farm.
		///
		/// Origin: signed, by the node's own twin account: the account that will confirm
		/// deployments and sign consumption reports. A twin runs at most one node.
		/// - `farm_id`: the farm the node belongs to; contracts on the node reserve its IPs.
		///   The farm's owner must have invited the twin (`inviteNode`); registering uses the
		///   invitation up and releases its share of the farm's deposit.
		/// - `resources`: the node's capacity: `cru` cores, `sru` SSD, `hru` HDD and `mru`
		///   memory in bytes (1 to 1,024 cores, 1 GiB to 16 TiB memory, disks up to 1,024 TiB).
		///
		/// Holds the node's storage deposit from the twin's account (the constant `nodeDeposit`).
		///
		/// Emits `NodeCreated`. Errors: [`Error::TwinNotFound`], [`Error::FarmNotFound`],
		/// [`Error::TwinHasNode`], [`Error::NodeNotInvited`], [`Error::InvalidResources`],
		/// [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(5)]
		pub fn create_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			resources: Resources,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_node(&who, farm_id, resources).map(|_| ())
		}

		/// Update a node's capacity.
		///
		/// Origin: signed, by the node's own twin account. The new capacity must hold what the
		/// node's live contracts reserve together.
		///
		/// Emits `NodeUpdated`. Errors: [`Error::NodeNotFound`], [`Error::NotNodeOwner`],
		/// [`Error::InvalidResources`], [`Error::CapacityBelowReserved`].
		#[pallet::call_index(6)]
		pub fn update_node(
			origin: OriginFor<T>,
			node_id: NodeId,
			resources: Resources,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node(&who, node_id, resources)
		}

		/// Delete a node that no contract runs on any more, releasing its storage deposit.
		///
		/// Origin: signed, by the node's own twin account.
		///
		/// Emits `NodeDeleted`. Errors: [`Error::NodeNotFound`], [`Error::NotNodeOwner`],
		/// [`Error::NodeInUse`].
		#[pallet::call_index(7)]
		pub fn delete_node(origin: OriginFor<T>, node_id: NodeId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_node(&who, node_id)
		}

		/// Invite a twin to register a node on a farm.
		///
		/// Origin: signed, by the farm's twin. A node joins a farm only on its owner's
		/// invitation, because contracts on the node reserve the farm's public IPs.
		/// - `twin_id`: the node's own twin, which then calls `createNode`.
		///
		/// Adds the invitation's share (the constant `inviteDeposit`) to the farm's storage
		/// deposit until the invitation is used or revoked.
		///
		/// Emits `NodeInvited`. Errors: [`Error::FarmNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::InviteeNotFound`], [`Error::TwinHasNode`], [`Error::AlreadyInvited`],
		/// [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(8)]
		pub fn invite_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			twin_id: TwinId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_invite_node(&who, farm_id, twin_id)
		}

		/// Withdraw an invitation that has not been used.
		///
		/// Origin: signed, by the farm's twin. Releases the invitation's share of the farm's
		/// storage deposit.
		///
		/// Emits `NodeInviteRevoked`. Errors: [`Error::FarmNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::InviteNotFound`].
		#[pallet::call_index(9)]
		pub fn revoke_node_invite(
			origin: OriginFor<T>,
			farm_id: FarmId,
			twin_id: TwinId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_node_invite(&who, farm_id, twin_id)
		}

		/// Delete a farm that holds nothing any more, releasing its storage deposit; its name is
		/// free again.
		///
		/// Origin: signed, by the farm's twin. The farm must have no public IPs
		/// (`removeFarmIp`), no nodes (each node's twin deletes it) and no open invitations
		/// (`revokeNodeInvite`).
		///
		/// Emits `FarmDeleted`. Errors: [`Error::FarmNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::FarmHasIps`], [`Error::FarmHasNodes`], [`Error::FarmHasInvites`].
		#[pallet::call_index(10)]
		pub fn delete_farm(origin: OriginFor<T>, farm_id: FarmId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_farm(&who, farm_id)
		}

		/// Delete the signing account's twin, releasing its storage deposit.
		///
		/// Origin: signed, by the twin's account. The twin must run no node, own no farm, own no
		/// live contract and owe no written-off debt. Its id is never given to another twin; the account may create a
		/// new twin later, with a new id.
		///
		/// Emits `TwinDeleted`. Errors: [`Error::TwinNotFound`], [`Error::TwinRunsNode`],
		/// [`Error::TwinHasFarms`], [`Error::TwinInUse`].
		#[pallet::call_index(11)]
		pub fn delete_twin(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_twin(&who)
		}
	}
}
