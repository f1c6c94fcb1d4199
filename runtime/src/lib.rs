//! The Grid chain runtime.
//!
//! A solochain whose token is TFT (7 decimals). Blocks are authored by Aura and finalized by
//! GRANDPA, with the validators of `ValidatorSet` put in force by `Session`. A council
//! (`Council`, its members in `CouncilMembership`) governs the chain; at three quarters it may
//! dispatch any call as root through `Whitelist`. `Oracle`'s members (`OracleMembership`)
//! submit the TFT price, which billing follows. Sudo exists for development chains only (a
//! network's preset has no sudo key); Utility and Multisig serve shared ownership.
//! The grid registry (`TfgridModule`) holds twins, farms with their public IPs, and nodes;
//! `SmartContractModule` holds the IT smart contracts users place on nodes.

#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(all(feature = "std", not(feature = "next-spec-version")))]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
#[cfg(all(feature = "std", feature = "next-spec-version"))]
include!(concat!(env!("OUT_DIR"), "/next_spec_version.rs"));

extern crate alloc;

use alloc::vec::Vec;

mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_presets;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use apis::RuntimeApi;

/// Block number.
pub type BlockNumber = u32;
/// Signature of a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// An amount of TFT, in plancks (1 TFT = 10^7 plancks).
pub type Balance = u128;
/// Number of transactions an account has sent.
pub type Nonce = u32;
/// Hash of blocks and tries.
pub type Hash = sp_core::H256;

/// Plancks in one TFT: the token has 7 decimals.
pub const TFT: Balance = 10_000_000;
/// One thousandth of a TFT.
pub const MILLI_TFT: Balance = TFT / 1_000;
include!("token.rs");
/// The SS58 address prefix of Grid chain accounts.
///
/// Fixed for the life of the chain; addresses encoded with it start with a recognisable
/// two-byte prefix, so they cannot be mistaken for generic Substrate (42) addresses.
pub const SS58_PREFIX: u16 = 7171;

/// The smallest balance an account may hold: 0.01 TFT.
///
/// An account whose balance would fall below this amount is reaped, and a transfer that would
/// create an account with less is refused. It keeps dust accounts out of the state.
pub const EXISTENTIAL_DEPOSIT: Balance = 10 * MILLI_TFT;

/// The storage deposit for `items` storage entries holding `bytes` bytes in all:
/// 0.1 TFT per entry and 0.001 TFT per byte.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance) * 100 * MILLI_TFT + (bytes as Balance) * MILLI_TFT
}

/// Target block time. Aura authors one block per slot of this length.
pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Aura slot length; it cannot change once the chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Block with opaque extrinsics.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Block hash.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// Declares [`VERSION`] with the given `spec_version` (a literal: `#[runtime_version]` copies it
/// into the wasm's `runtime_version` section, where nodes read it without running the code).
macro_rules! declare_version {
	($spec_version:tt) => {
		/// The runtime's version. Raise `spec_version` for every runtime upgrade.
		#[runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("gridchain"),
			impl_name: alloc::borrow::Cow::Borrowed("gridchain"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}
#[cfg(not(feature = "next-spec-version"))]
declare_version!(100);
// Keep one above the real one: the runtime-upgrade test sets this build on a live chain.
#[cfg(feature = "next-spec-version")]
declare_version!(101);

/// Address format of extrinsic senders and transfer destinations.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// The checks every signed transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);
/// Extrinsic as it travels on the wire.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload a transaction signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Storage migrations run on the next runtime upgrade, besides the pallets' own.
type Migrations = ();
/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	// The set and the sessions come before Aura and GRANDPA: the session genesis reads the
	// set, and a new session hands Aura and GRANDPA their authorities before they run.
	#[runtime::pallet_index(11)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(12)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(8)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(9)]
	pub type TfgridModule = pallet_tfgrid;
	#[runtime::pallet_index(10)]
	pub type SmartContractModule = pallet_smart_contract;
	#[runtime::pallet_index(13)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(14)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(15)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(16)]
	pub type Oracle = pallet_oracle;
	#[runtime::pallet_index(17)]
	pub type OracleMembership = pallet_membership<Instance2>;
}
