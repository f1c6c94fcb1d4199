//! Contracts and the types the calls, events and runtime API use.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedVec};
use grid_primitives::{ContractId, DeploymentHash, FarmId, NodeId, PublicIp, TwinId};
use scale_info::TypeInfo;

/// The layout version of a [`Contract`] record, stored in each one.
pub const CONTRACT_VERSION: u32 = 1;

/// An amount of the currency contracts hold deposits in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Encrypted deployment data of this runtime's contracts.
pub type DeploymentDataOf<T> = BoundedVec<u8, <T as Config>::MaxDeploymentDataLength>;
/// The public IPs a contract of this runtime holds.
pub type PublicIpsOf<T> = BoundedVec<PublicIp, <T as Config>::MaxPublicIps>;
/// A contract of this runtime.
pub type ContractOf<T> = Contract<DeploymentDataOf<T>, PublicIpsOf<T>, BalanceOf<T>>;

/// An IT smart contract: a twin's deployment on a node.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Contract<Data, Ips, Balance> {
	/// The layout version of this record ([`CONTRACT_VERSION`]).
	pub version: u32,
	/// The contract's id.
	pub contract_id: ContractId,
	/// The twin that owns the contract and pays for it.
	pub twin_id: TwinId,
	/// The node the deployment runs on.
	pub node_id: NodeId,
	/// The node's farm, which provides the contract's public IPs.
	pub farm_id: FarmId,
	/// The deployment, encrypted by the user to their own key; may be empty.
	pub deployment_data: Data,
	/// The deployment hash (BLAKE2b-256 of the deployment's challenge bytes).
	pub deployment_hash: DeploymentHash,
	/// How many public IPs the contract holds.
	pub public_ips: u32,
	/// The public IPs the contract holds, reserved on the node's farm.
	pub public_ips_list: Ips,
	/// Where the contract is in its life.
	pub state: ContractState,
	/// The storage deposit held from the owner's account while the contract lives.
	pub deposit: Balance,
}

/// Where a contract is in its life.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ContractState {
	/// Created or updated by its owner; the node has not confirmed this deployment yet.
	Created,
	/// The node checked the twin and the deployment hash and confirmed the deployment.
	Deployed,
}

/// Why a contract ended.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum CancelReason {
	/// Its owner cancelled it.
	CanceledByOwner,
	/// Its node cancelled it.
	CanceledByNode,
}

/// Why a deployment a node received does not match the contract on chain.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum DeploymentMismatch {
	/// No live contract has this id.
	ContractNotFound,
	/// The contract is for another node.
	WrongNode,
	/// The contract belongs to another twin.
	TwinMismatch,
	/// The contract's deployment hash is different.
	HashMismatch,
}
