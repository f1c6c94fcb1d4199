//! The registry's records and the aliases its calls and storage use.

use crate::Config;
use alloc::{string::String, vec::Vec};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use grid_primitives::{ContractId, FarmId, IpAddress, NodeId, Resources, TwinId};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The longest text of an IP address with its prefix length, in bytes: an IPv6 address takes
/// up to 45 characters, its prefix 4 more.
pub const MAX_IP_TEXT_LENGTH: u32 = 64;

/// An IP address as text, e.g. `185.206.122.10/24`, as calls take it.
pub type IpText = BoundedVec<u8, ConstU32<MAX_IP_TEXT_LENGTH>>;
/// A twin's relay address.
pub type RelayOf<T> = BoundedVec<u8, <T as Config>::MaxRelayLength>;
/// A twin's public key.
pub type PkOf<T> = BoundedVec<u8, <T as Config>::MaxPkLength>;
/// A farm's name.
pub type FarmNameOf<T> = BoundedVec<u8, <T as Config>::MaxFarmNameLength>;
/// The currency's balance type.
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;
/// A twin of this runtime.
pub type TwinOf<T> =
	Twin<<T as frame_system::Config>::AccountId, RelayOf<T>, PkOf<T>, BalanceOf<T>>;
/// A farm of this runtime.
pub type FarmOf<T> = Farm<<T as frame_system::Config>::AccountId, FarmNameOf<T>, BalanceOf<T>>;
/// A node of this runtime.
pub type NodeOf<T> = Node<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// An account's identity on the grid.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Twin<AccountId, Relay, Pk, Balance> {
	/// The twin's id.
	pub id: TwinId,
	/// The account that owns the twin and signs for it.
	pub account: AccountId,
	/// Where peer-to-peer messages for the twin are delivered, if set.
	pub relay: Option<Relay>,
	/// The public key deployment data is encrypted to, if set.
	pub pk: Option<Pk>,
	/// How many farms the twin owns; a twin is deleted only without any.
	pub farms: u32,
	/// The storage deposit held from the account.
	pub deposit: Balance,
}

/// A farmer's collection of nodes and public IPs.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Farm<AccountId, Name, Balance> {
	/// The farm's id.
	pub id: FarmId,
	/// The farm's unique name.
	pub name: Name,
	/// The twin that owns the farm: it manages the farm's IPs and receives its share of billing.
	pub twin_id: TwinId,
	/// The twin's account (a twin's account never changes), which billing pays the farm's share
	/// to.
	pub account: AccountId,
	/// How many nodes are on the farm; a farm is deleted only without any.
	pub nodes: u32,
	/// The storage deposit of the farm, its public IPs and its open invitations, held from the
	/// twin's account.
	pub deposit: Balance,
}

/// A public IP of a farm, as stored under its address.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct FarmIp {
	/// The prefix length of the address's subnet.
	pub prefix: u8,
	/// The gateway of the subnet.
	pub gateway: IpAddress,
	/// The contract holding the IP, or `None` while it is free.
	pub contract_id: Option<ContractId>,
}

/// How many public IPs a farm has, and how many of them are free.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct IpCounts {
	/// All the farm's public IPs.
	pub total: u32,
	/// Those no contract holds.
	pub free: u32,
}

/// A machine on a farm.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Node<AccountId, Balance> {
	/// The node's id.
	pub id: NodeId,
	/// The farm the node belongs to.
	pub farm_id: FarmId,
	/// The node's own twin: its account confirms deployments and signs consumption reports.
	pub twin_id: TwinId,
	/// The twin's account (a twin's account never changes).
	pub account: AccountId,
	/// The node's capacity.
	pub resources: Resources,
	/// The storage deposit held from the twin's account.
	pub deposit: Balance,
}

/// A farm in the genesis configuration.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct GenesisFarm {
	/// The farm's name.
	pub name: String,
	/// The id of the twin that owns it (a twin of the same genesis configuration).
	pub twin_id: TwinId,
	/// Its public IPs: each an address with prefix length and a gateway, as text.
	pub ips: Vec<(String, String)>,
}

/// A node in the genesis configuration.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct GenesisNode {
	/// The id of the farm it belongs to.
	pub farm_id: FarmId,
	/// The id of the node's own twin.
	pub twin_id: TwinId,
	/// Its capacity.
	pub resources: Resources,
}
