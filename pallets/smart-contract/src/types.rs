//! Contracts and the types the calls, events and runtime API use.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible, BoundedBTreeMap, BoundedVec};
use grid_primitives::{ContractId, DeploymentHash, FarmId, NodeId, PublicIp, Resources, TwinId};
use scale_info::TypeInfo;

/// An amount of the currency contracts hold deposits in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// TFT taken from an account and not yet placed anywhere: a share of a payment.
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;
/// Encrypted deployment data of this runtime's contracts.
pub type DeploymentDataOf<T> = BoundedVec<u8, <T as Config>::MaxDeploymentDataLength>;
/// The public IPs a contract of this runtime holds.
pub type PublicIpsOf<T> = BoundedVec<PublicIp, <T as Config>::MaxPublicIps>;
/// A contract of this runtime: what billing reads and writes.
pub type ContractOf<T> = Contract<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;
/// A contract's billing in this runtime.
pub type BillingOf<T> = Billing<BalanceOf<T>>;
/// The billing of a node's live contracts in this runtime, by contract id.
pub type NodeBillingOf<T> =
	BoundedBTreeMap<ContractId, BillingOf<T>, <T as Config>::MaxContractsPerNode>;
/// A contract's deployment data and public IPs in this runtime.
pub type DeploymentOf<T> = Deployment<DeploymentDataOf<T>, PublicIpsOf<T>>;
/// A contract of this runtime with its deployment, as the runtime API returns it.
pub type ContractDetailsOf<T> = ContractDetails<
	<T as frame_system::Config>::AccountId,
	DeploymentDataOf<T>,
	PublicIpsOf<T>,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;
/// The pricing policy of this runtime.
pub type PricingPolicyOf<T> =
	crate::pricing::PricingPolicy<frame_system::pallet_prelude::BlockNumberFor<T>>;
/// The prices of this runtime.
pub type PricesOf<T> = crate::pricing::Prices<frame_system::pallet_prelude::BlockNumberFor<T>>;
/// How many changes of prices [`EarlierPrices`](crate::EarlierPrices) remembers: a report
/// whose window ended before the oldest of them is billed at the oldest.
pub const EARLIER_PRICES: u32 = 32;
/// A batch of consumption reports of this runtime.
pub type ReportsOf<T> = BoundedVec<ConsumptionReport, <T as Config>::MaxReports>;

/// An IT smart contract: a twin's deployment on a node, as billing reads it. What the node
/// deploys, the deployment data and the public IPs, is kept apart ([`Deployment`]), and so is
/// what billing changes ([`Billing`]), so that a consumption report reads this record and
/// writes it only when the contract enters or leaves its grace period.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Contract<AccountId, Balance, BlockNumber> {
	/// The contract's id.
	pub contract_id: ContractId,
	/// The twin that owns the contract and pays for it.
	pub twin_id: TwinId,
	/// The twin's account (a twin's account never changes): it pays the bills and the deposit,
	/// and may update and cancel the contract.
	pub owner: AccountId,
	/// The node the deployment runs on.
	pub node_id: NodeId,
	/// The node's farm, which provides the contract's public IPs.
	pub farm_id: FarmId,
	/// The resources the deployment reserves on the node, set by the owner: the most any
	/// consumption report may bill for.
	pub resources: Resources,
	/// The deployment hash (BLAKE2b-256 of the deployment's challenge bytes).
	pub deployment_hash: DeploymentHash,
	/// How many public IPs the contract holds (they are listed in its [`Deployment`]).
	pub public_ips: u32,
	/// Where the contract is in its life.
	pub state: ContractState<BlockNumber>,
	/// The storage deposit held from the owner's account while the contract lives.
	pub deposit: Balance,
}

/// How far a contract is billed and what its owner owes: what each accepted consumption
/// report changes. It is kept in its node's entry of
/// [`NodeBilling`](crate::NodeBilling) with the billing of the node's other contracts, so that
/// a batch of a node's reports reads and writes one entry, however many of its contracts it
/// bills.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Billing<Balance> {
	/// The time (Unix seconds) up to which the contract is billed: its creation (until the
	/// node confirms it only its public IPs are billed, at the confirmation or when it ends),
	/// then its first confirmation, then each accepted consumption report.
	pub billed_until: u64,
	/// What the owner owes and has not paid: the bills added up since they were last charged
	/// (the pricing policy's `charge_interval`), and in the grace period what they could not
	/// pay, which is then above zero.
	pub debt: Balance,
}

/// What a contract's node deploys besides the hash: the user's encrypted deployment data and
/// the public IPs the contract holds. Billing never reads it.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct Deployment<Data, Ips> {
	/// The deployment, encrypted by the user to their own key; may be empty.
	pub deployment_data: Data,
	/// The public IPs the contract holds, reserved on the node's farm.
	pub public_ips: Ips,
}

/// A contract with its deployment: what the runtime API `contract` returns.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ContractDetails<AccountId, Data, Ips, Balance, BlockNumber> {
	/// The contract's id.
	pub contract_id: ContractId,
	/// The twin that owns the contract and pays for it.
	pub twin_id: TwinId,
	/// The twin's account: it pays the bills and the deposit.
	pub owner: AccountId,
	/// The node the deployment runs on.
	pub node_id: NodeId,
	/// The node's farm, which provides the contract's public IPs.
	pub farm_id: FarmId,
	/// The resources the deployment reserves on the node.
	pub resources: Resources,
	/// The deployment, encrypted by the user to their own key; may be empty.
	pub deployment_data: Data,
	/// The deployment hash (BLAKE2b-256 of the deployment's challenge bytes).
	pub deployment_hash: DeploymentHash,
	/// The public IPs the contract holds, reserved on the node's farm.
	pub public_ips: Ips,
	/// Where the contract is in its life.
	pub state: ContractState<BlockNumber>,
	/// The storage deposit held from the owner's account while the contract lives.
	pub deposit: Balance,
	/// The time (Unix seconds) up to which the contract is billed.
	pub billed_until: u64,
	/// What the owner owes and has not paid: the bills added up since they were last charged
	/// (the pricing policy's `charge_interval`), and in the grace period what they could not
	/// pay.
	pub debt: Balance,
}

impl<AccountId, Data, Ips, Balance, BlockNumber>
	ContractDetails<AccountId, Data, Ips, Balance, BlockNumber>
{
	/// A contract's record, its deployment and its billing, together.
	pub fn new(
		contract: Contract<AccountId, Balance, BlockNumber>,
		deployment: Deployment<Data, Ips>,
		billing: Billing<Balance>,
	) -> Self {
		let Contract {
			contract_id,
			twin_id,
			owner,
			node_id,
			farm_id,
			resources,
			deployment_hash,
			public_ips: _,
			state,
			deposit,
		} = contract;
		let Deployment { deployment_data, public_ips } = deployment;
		let Billing { billed_until, debt } = billing;
		Self {
			contract_id,
			twin_id,
			owner,
			node_id,
			farm_id,
			resources,
			deployment_data,
			deployment_hash,
			public_ips,
			state,
			deposit,
			billed_until,
			debt,
		}
	}
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
pub enum ContractState<BlockNumber> {
	/// Created by its owner; the node has not confirmed the deployment yet. Nothing runs, but
	/// its public IPs are reserved and billed. If the node has not confirmed it by block
	/// `expires`, the contract ends (`Expired`).
	Created {
		/// The block at which the contract ends unless its node has confirmed it.
		expires: BlockNumber,
	},
	/// The node checked the twin and the deployment hash and confirmed the deployment.
	Deployed,
	/// Updated by its owner; the node has not confirmed the new deployment yet. It runs the
	/// previous one meanwhile, and its reports are billed within the new reservation.
	Updated,
	/// The owner could not pay a bill: the debt is paid as soon as the owner can, or the
	/// contract is cancelled at block `ends`.
	GracePeriod {
		/// The block the grace period started in.
		since: BlockNumber,
		/// The block at which the contract is cancelled if the debt is still unpaid.
		ends: BlockNumber,
		/// Whether the node has confirmed the current deployment: once the debt is paid the
		/// contract is `Deployed` again if so, `Updated` (waiting for the node) if not.
		confirmed: bool,
	},
}

impl<BlockNumber: Copy> ContractState<BlockNumber> {
	/// The block at which the hook next acts on a contract in this state, if any: when its
	/// node must have confirmed it, or when its grace period ends.
	pub fn deadline(&self) -> Option<BlockNumber> {
		match self {
			Self::Created { expires } => Some(*expires),
			Self::GracePeriod { ends, .. } => Some(*ends),
			Self::Deployed | Self::Updated => None,
		}
	}
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
	/// Its grace period ended and the owner still could not pay.
	OutOfFunds,
	/// Its node did not confirm it within the pricing policy's `deploymentTimeout`.
	Expired,
}

/// What a node reports a contract used, the spec's consumption report.
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
pub struct ConsumptionReport {
	/// The contract.
	pub contract_id: ContractId,
	/// When the report was made, in Unix seconds; it closes the window that began with the
	/// previous report (or the deployment).
	pub timestamp: u64,
	/// Virtual CPUs used.
	pub cru: u64,
	/// SSD storage used, in bytes.
	pub sru: u64,
	/// HDD storage used, in bytes.
	pub hru: u64,
	/// Memory used, in bytes.
	pub mru: u64,
	/// Network traffic since the previous report, in bytes.
	pub nru: u64,
}

/// Why a consumption report was refused; a refused report charges nothing.
///
/// All but [`ReportRejection::ContractEnded`] make the node pay the batch's fee.
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
pub enum ReportRejection {
	/// No contract ever had this id.
	ContractNotFound,
	/// The contract has ended (it was cancelled, perhaps while the report was on its way).
	ContractEnded,
	/// The contract runs on another node.
	NotThisNodesContract,
	/// The node has not confirmed the contract yet: nothing runs that a report could bill.
	NotDeployed,
	/// The timestamp is not after the contract's previous report (or its deployment).
	NotAfterPreviousReport,
	/// The timestamp is further in the future than the allowed drift.
	InTheFuture,
	/// The window since the previous report is longer than the longest billed at once.
	WindowTooLong,
	/// The report claims more of a resource than the contract reserves.
	AboveReservation,
	/// The report claims more traffic than the limit allows for its window
	/// (`MaxTrafficPerSecond` times the window's seconds).
	TrafficAboveLimit,
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
