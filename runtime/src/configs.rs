//! Configuration of the runtime's pallets.

use frame_support::PalletId;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, ConstBool, ConstU32, ConstU64, ConstU8, VariantCountOf,
	},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
		WeightToFeePolynomial,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::AccountIdConversion;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	deposit, AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller,
	PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	RuntimeOrigin, RuntimeTask, SmartContractModule, System, TfgridModule, Timestamp, DAYS,
	EXISTENTIAL_DEPOSIT, SLOT_DURATION, SS58_PREFIX, TFT, VERSION,
};

/// Share of a block's weight and length available to normal (non-operational) extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// The largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block; proof size is unlimited on a solochain.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// Blocks are at most 5 MiB, three quarters of it for normal extrinsics.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * *max
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDB only (no RocksDB backend is compiled in).
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

/// Converts the weight of an extrinsic into its fee: one planck per 1,000 units of ref time
/// (a TFT transfer costs about 0.02 TFT; the normal share of a block's weight, 150 TFT).
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		smallvec::smallvec![WeightToFeeCoefficient {
			coeff_integer: 0,
			coeff_frac: Perbill::from_rational(1u32, 1_000u32),
			negative: false,
			degree: 1,
		}]
	}
}

parameter_types! {
	/// Fees are not adjusted by block fullness.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// A hundred plancks per byte of extrinsic: the normal share of a block's length (3.75 MiB)
	/// costs 39 TFT.
	pub const TransactionByteFee: Balance = 100;
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Fees are withdrawn in TFT and burned.
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Deposit for a pending multisig operation: one entry of 88 bytes.
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	/// Deposit per signatory of a pending operation: 32 bytes each.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<16>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// 0.1 TFT for each storage entry a twin, farm, IP, node or contract takes.
	pub const DepositPerItem: Balance = deposit(1, 0);
	/// 0.001 TFT for each byte they take.
	pub const DepositPerByte: Balance = deposit(0, 1);
}

impl pallet_tfgrid::Config for Runtime {
	/// A node with live contracts cannot be deleted.
	type GridUsage = SmartContractModule;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	/// Room for a host name or a relay URL.
	type MaxRelayLength = ConstU32<128>;
	/// Room for any common public key encoding (an ed25519 or x25519 key is 32 bytes).
	type MaxPkLength = ConstU32<128>;
	type MaxFarmNameLength = ConstU32<64>;
	/// A /24 of IPv4 addresses, with room to spare.
	type MaxIpsPerFarm = ConstU32<256>;
	type WeightInfo = pallet_tfgrid::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The foundation's account: it receives the foundation's share of what contracts pay. Its
	/// address is derived from the id `gridfndn`; no one holds its key.
	pub FoundationAccount: AccountId = PalletId(*b"gridfndn").into_account_truncating();
	pub const PlancksPerTft: Balance = TFT;
}

impl pallet_smart_contract::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Grid = TfgridModule;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	/// 4 KiB of encrypted deployment data: a deposit of about 4.2 TFT when full.
	type MaxDeploymentDataLength = ConstU32<4096>;
	type MaxPublicIps = ConstU32<16>;
	type UnixTime = Timestamp;
	/// Sudo, for now; a council or referenda once the chain has them.
	type GovernanceOrigin = EnsureRoot<AccountId>;
	/// Sudo, for now; a price oracle account or pallet later.
	type OracleOrigin = EnsureRoot<AccountId>;
	/// The foundation's share goes into its account, which every preset creates.
	type FoundationShare = ResolveTo<FoundationAccount, Balances>;
	/// The burned share is burned: total issuance falls by it.
	type OnBurn = ();
	type PlancksPerTft = PlancksPerTft;
	/// A node reporting its contracts hourly sends them in batches of up to 256.
	type MaxReports = ConstU32<256>;
	/// A node's clock may run a minute ahead.
	type MaxReportDrift = ConstU64<60>;
	/// A report bills at most a day.
	type MaxReportWindow = ConstU64<86_400>;
	/// 1 Gbit/s: an hour's traffic is billed for at most 450 GB (about 6.29 USD at the
	/// genesis price of traffic).
	type MaxTrafficPerSecond = ConstU64<125_000_000>;
	/// Batches are fee-free when each report bills five minutes or more; a node reporting
	/// hourly never pays.
	type MinFeeFreeWindow = ConstU64<300>;
	type MaxPolicyPeriod = ConstU32<{ 90 * DAYS }>;
	type MaxDeadlinesPerBlock = ConstU32<32>;
	type WeightInfo = pallet_smart_contract::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ContractsBenchmarkSetup;
}

/// The registry records and the time the contracts' benchmarks need: records from the
/// registry's own benchmark set-up, the time set in `pallet_timestamp`.
#[cfg(feature = "runtime-benchmarks")]
pub struct ContractsBenchmarkSetup;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_smart_contract::BenchmarkHelper<AccountId> for ContractsBenchmarkSetup {
	fn twin(who: &AccountId) -> grid_primitives::TwinId {
		TfgridModule::benchmark_twin(who)
	}
	fn node_with_ips(operator: &AccountId, ips: u32) -> grid_primitives::NodeId {
		TfgridModule::benchmark_node_with_ips(operator, ips)
	}
	fn set_time(seconds: u64) {
		pallet_timestamp::Now::<Runtime>::put(seconds.saturating_mul(1_000));
	}
}
