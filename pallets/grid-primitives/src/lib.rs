//! Types and traits shared by the grid registry (`pallet-tfgrid`) and the smart-contract pallet.
//!
//! The registry implements [`GridProvider`]; the contracts pallet reaches twins, nodes and farm
//! IPs only through it. The contracts pallet implements [`GridUsage`], which the registry asks
//! before it deletes a node or a twin. Neither pallet names the other.

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

mod ip;

pub use ip::{IpAddress, IpError, PublicIp};

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The number of a twin: an account's identity on the grid.
pub type TwinId = u32;
/// The number of a farm.
pub type FarmId = u32;
/// The number of a node.
pub type NodeId = u32;
/// The number of a contract.
pub type ContractId = u64;
/// The hash that identifies a deployment: see [`deployment_hash`]. An `H256`, so that clients
/// show it as a hash and take exactly 32 bytes for it.
pub type DeploymentHash = sp_core::H256;

/// The deployment hash of a deployment whose challenge bytes are `challenge`: their BLAKE2b-256
/// digest (32 bytes, no key).
///
/// The user computes it when creating or updating a contract, and the node computes it again
/// from the deployment it receives peer-to-peer: the node deploys only when the two agree with
/// the contract on chain. How a deployment is turned into challenge bytes is for the client and
/// node software to agree on; the chain only sees the hash. In JavaScript the same digest is
/// `blake2AsU8a(challenge, 256)` from `@polkadot/util-crypto`.
pub fn deployment_hash(challenge: &[u8]) -> DeploymentHash {
	sp_crypto_hashing::blake2_256(challenge).into()
}

/// One gibibyte, in bytes.
pub const GIB: u64 = 1 << 30;
/// One tebibyte, in bytes.
pub const TIB: u64 = 1 << 40;

/// The capacity of a node, or the resources a contract uses.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Resources {
	/// Virtual CPU cores.
	pub cru: u64,
	/// SSD storage, in bytes.
	pub sru: u64,
	/// HDD storage, in bytes.
	pub hru: u64,
	/// Memory, in bytes.
	pub mru: u64,
}

impl Resources {
	/// The most cores a node may declare.
	pub const MAX_CRU: u64 = 1_024;
	/// The least memory a node may declare: 1 GiB.
	pub const MIN_MRU: u64 = GIB;
	/// The most memory a node may declare: 16 TiB.
	pub const MAX_MRU: u64 = 16 * TIB;
	/// The most SSD or HDD storage a node may declare, each: 1,024 TiB.
	pub const MAX_DISK: u64 = 1_024 * TIB;

	/// Whether this is a plausible node capacity: at least one core and 1 GiB of memory, and no
	/// more than [`Self::MAX_CRU`] cores, [`Self::MAX_MRU`] of memory and [`Self::MAX_DISK`] of
	/// each kind of disk.
	pub fn is_valid_capacity(&self) -> bool {
		(1..=Self::MAX_CRU).contains(&self.cru)
			&& (Self::MIN_MRU..=Self::MAX_MRU).contains(&self.mru)
			&& self.sru <= Self::MAX_DISK
			&& self.hru <= Self::MAX_DISK
	}

	/// Whether every resource of `self` fits within `capacity`.
	pub fn fits_within(&self, capacity: &Resources) -> bool {
		self.cru <= capacity.cru
			&& self.sru <= capacity.sru
			&& self.hru <= capacity.hru
			&& self.mru <= capacity.mru
	}

	/// `self` and `other` together, or `None` if a resource overflows.
	pub fn checked_add(&self, other: &Resources) -> Option<Resources> {
		Some(Resources {
			cru: self.cru.checked_add(other.cru)?,
			sru: self.sru.checked_add(other.sru)?,
			hru: self.hru.checked_add(other.hru)?,
			mru: self.mru.checked_add(other.mru)?,
		})
	}

	/// `self` without `other`, each resource at least zero.
	pub fn saturating_sub(&self, other: &Resources) -> Resources {
		Resources {
			cru: self.cru.saturating_sub(other.cru),
			sru: self.sru.saturating_sub(other.sru),
			hru: self.hru.saturating_sub(other.hru),
			mru: self.mru.saturating_sub(other.mru),
		}
	}
}

/// What the contracts pallet needs to know about a node.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NodeInfo<AccountId> {
	/// The farm the node belongs to: contracts on it reserve this farm's IPs.
	pub farm_id: FarmId,
	/// The node's own twin; its account confirms deployments and sends consumption reports.
	pub twin_id: TwinId,
	/// The twin's account.
	pub account: AccountId,
	/// The node's capacity.
	pub resources: Resources,
}

/// Why public IPs could not be reserved. Nothing was reserved in either case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReserveIpsError {
	/// The farm does not exist or has fewer public IPs than requested, free or not.
	NotEnoughIps,
	/// The farm has enough public IPs, but fewer than requested are free.
	NotEnoughFreeIps,
}

/// Why public IPs could not be released. Nothing was released.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReleaseIpsError {
	/// One of the addresses is not a public IP of the farm reserved by this contract.
	NotReservedByContract,
}

/// The registry as the contracts pallet sees it: twin, node and farm look-ups, and the public
/// IPs of farms.
pub trait GridProvider<AccountId> {
	/// The twin owned by `who`, if it has one.
	fn twin_of(who: &AccountId) -> Option<TwinId>;
	/// The account that owns twin `twin_id`, if the twin exists. For invariant checks only:
	/// compiled into native builds (tests) and `try-runtime` builds, not into the runtime.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	fn account_of(twin_id: TwinId) -> Option<AccountId>;
	/// Node `node_id`, if it exists.
	fn node(node_id: NodeId) -> Option<NodeInfo<AccountId>>;
	/// The node whose own twin is `twin_id`, if that twin runs one.
	fn node_of_twin(twin_id: TwinId) -> Option<NodeId>;
	/// The account of the twin that owns farm `farm_id`, if the farm exists: it receives the
	/// farm's share of billing.
	fn farmer_account(farm_id: FarmId) -> Option<AccountId>;
	/// Reserves `count` free public IPs of farm `farm_id` for contract `contract_id` and
	/// returns them. All or nothing: on an error no IP is reserved.
	fn reserve_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		count: u32,
	) -> Result<Vec<PublicIp>, ReserveIpsError>;
	/// Frees the public IPs `ips` of farm `farm_id` that contract `contract_id` holds. All or
	/// nothing: if any of them is not held by the contract, none is freed.
	fn release_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		ips: &[IpAddress],
	) -> Result<(), ReleaseIpsError>;
	/// Every reserved public IP of every farm, with the contract holding it. It reads all IP
	/// entries, so it is for invariant checks only, like [`GridProvider::account_of`].
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	fn reserved_ips() -> Vec<(FarmId, IpAddress, ContractId)>;
}

/// What contracts use of the grid: the registry refuses to delete a node or a twin in use, or
/// to lower a node's capacity below what its contracts reserve.
pub trait GridUsage {
	/// Whether live contracts still run on node `node_id`.
	fn is_node_in_use(node_id: NodeId) -> bool;
	/// The resources the live contracts of node `node_id` reserve, together.
	fn reserved_resources(node_id: NodeId) -> Resources;
	/// Whether twin `twin_id` still owns live contracts.
	fn is_twin_in_use(twin_id: TwinId) -> bool;
}

/// No contracts at all: every node and twin is free to be deleted, every node to be shrunk.
impl GridUsage for () {
	fn is_node_in_use(_: NodeId) -> bool {
		false
	}
	fn reserved_resources(_: NodeId) -> Resources {
		Resources::default()
	}
	fn is_twin_in_use(_: TwinId) -> bool {
		false
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn deployment_hash_is_blake2b_256_of_the_challenge() {
		// BLAKE2b-256 of the empty input and of "abc" (RFC 7693 parameters, 32-byte digest).
		assert_eq!(
			deployment_hash(b""),
			hex32("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
		);
		assert_eq!(
			deployment_hash(b"abc"),
			hex32("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
		);
	}

	fn hex32(hex: &str) -> DeploymentHash {
		let mut out = DeploymentHash::zero();
		for (i, byte) in out.as_bytes_mut().iter_mut().enumerate() {
			*byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
		}
		out
	}
}
