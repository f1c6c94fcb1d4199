//! Configuration of the runtime's pallets.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::PalletId;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, ConstBool, ConstU32, ConstU64, ConstU8, EitherOfDiverse,
		VariantCountOf,
	},
	weights::{
		constants::{WEIGHT_REF_TIME_PER_MICROS, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, RuntimeDbWeight, Weight, WeightToFeeCoefficient,
		WeightToFeeCoefficients, WeightToFeePolynomial,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use pallet_validator_set::SessionLengthOf;
use scale_info::TypeInfo;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::{AccountIdConversion, ConvertInto, OpaqueKeys};
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	deposit, AccountId, Aura, Balance, Balances, Block, BlockNumber, Council, Hash, Nonce, Oracle,
	OracleMembership, OriginCaller, PalletInfo, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, Session, SessionKeys,
	SmartContractModule, System, TfgridModule, Timestamp, ValidatorSet, DAYS, EXISTENTIAL_DEPOSIT,
	MINUTES, SLOT_DURATION, SS58_PREFIX, TFT, VERSION,
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
	/// What one storage read and one storage write cost the node's database, ParityDB, on a
	/// state of 1,000,000 contracts (8.1 million keys), as a validator reads and writes it
	/// (through the node's 1 GiB trie cache, in commits of a full block's order, 23,000 keys):
	/// the largest means of three runs of `scripts/benchmark.sh storage` on our 2-core
	/// machine, 13.3 µs a read and 48.7 µs a write, plus 25%, rounded up to the microsecond
	/// (`docs/performance.md`).
	pub const GridDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 17 * WEIGHT_REF_TIME_PER_MICROS,
		write: 61 * WEIGHT_REF_TIME_PER_MICROS,
	};
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
	/// The node stores its state in ParityDB only (no RocksDB backend is compiled in); its
	/// reads and writes as measured on our own chain's state.
	type DbWeight = GridDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

parameter_types! {
	/// Deposit held while an account has session keys registered: one entry of 64 bytes (an
	/// Aura and a GRANDPA key).
	pub const SessionKeyDeposit: Balance = deposit(1, 64);
}

/// Sessions last `ValidatorSet::SessionLength` blocks, from genesis.
type Sessions = pallet_session::PeriodicSessions<SessionLengthOf<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is known by its account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	/// The governed validator set.
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// No one is disabled: there is no staking to slash, and governance removes a validator
	/// that misbehaves.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_validator_set::Config for Runtime {
	/// At least two thirds of the council, or root.
	type AddRemoveOrigin = CouncilTwoThirds;
	type KeysRegistered = Session;
	/// Four: the fewest validators with which GRANDPA still finalizes while one is down.
	type MinValidators = ConstU32<4>;
	/// As many as Aura and GRANDPA accept.
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorSetBenchmarkKeys;
}

/// Session keys for the validator set's benchmarks: new keys in the benchmark's keystore,
/// registered with `session.setKeys` and their proof of ownership, as a candidate would.
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorSetBenchmarkKeys;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for ValidatorSetBenchmarkKeys {
	fn register_keys(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		let generated = SessionKeys::generate(&who.encode(), None);
		// The key deposit, held, and the existential deposit beside it.
		Balances::mint_into(who, 10 * TFT).expect("minting into a new account; qed");
		Session::set_keys(
			RuntimeOrigin::signed(who.clone()),
			generated.keys,
			generated.proof.encode(),
		)
		.expect("keys just generated for this account, with their proof; qed");
	}
}

/// The most Aura and GRANDPA authorities, and so validators.
const MAX_AUTHORITIES: u32 = 32;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
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
	/// A node runs at most 1,000 contracts: its billing entry, which each batch of its reports
	/// reads and writes whole, stays within 33 KB.
	type MaxContractsPerNode = ConstU32<1_000>;
	type UnixTime = Timestamp;
	/// More than half of the council, or root.
	type GovernanceOrigin = CouncilMajority;
	/// The median of the oracle members' fresh submissions.
	type TftPriceFeed = OracleTftPrice;
	/// The price follows the oracle's every minute.
	type TftPricePeriod = ConstU32<MINUTES>;
	/// By at most 2% a minute.
	type MaxTftPriceStep = MaxTftPriceStep;
	/// An oracle price older than an hour is stale: billing goes on at the last price.
	type MaxTftPriceAge = ConstU64<3_600>;
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
	fn set_tft_price_feed(price: pallet_smart_contract::pricing::MicroUsd) {
		// The oracle's aggregate, as its members' submissions would leave it.
		pallet_oracle::Values::<Runtime>::insert(
			PriceFeed::TftUsd,
			pallet_oracle::TimestampedValue {
				value: price,
				timestamp: pallet_timestamp::Now::<Runtime>::get(),
			},
		);
	}
}

/// The council: its motions govern the chain.
pub type CouncilCollective = pallet_collective::Instance1;

/// Root, or a motion of more than half of the council: pricing, and the oracle's members.
pub type CouncilMajority = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>,
>;
/// Root, or a motion of at least two thirds of the council: the validators, and the council's
/// own members.
pub type CouncilTwoThirds = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;
/// Root, or a motion of at least three quarters of the council: any call as root (a runtime
/// upgrade among them), through `Whitelist`.
pub type CouncilThreeQuarters = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 3, 4>,
>;

/// The most council members.
const MAX_COUNCIL_MEMBERS: u32 = 32;

parameter_types! {
	/// A motion not decided within three days can be closed, and fails unless enough ayes
	/// were cast; one with enough votes either way can be closed at once.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	/// A motion may dispatch at most half a block's weight.
	pub CouncilMaxProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	/// A member who did not vote counts as voting with the prime member, if there is one.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Members change through `CouncilMembership`; root may also set them.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = CouncilMaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Proposing needs no deposit: only members may propose.
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CouncilTwoThirds;
	type RemoveOrigin = CouncilTwoThirds;
	type SwapOrigin = CouncilTwoThirds;
	type ResetOrigin = CouncilTwoThirds;
	type PrimeOrigin = CouncilTwoThirds;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = ConstU32<MAX_COUNCIL_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = CouncilThreeQuarters;
	type DispatchWhitelistedOrigin = CouncilThreeQuarters;
	/// Calls are dispatched with their preimage given in full
	/// (`dispatchWhitelistedCallWithPreimage`); no preimage is stored.
	type Preimages = ();
	/// A dispatch asked for before the call is whitelisted waits for it at most a week.
	type DeferredDispatchExpiration = ConstU32<{ 7 * DAYS }>;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}

/// What the oracle's members submit a price of.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub enum PriceFeed {
	/// The price of one TFT, in micro-USD (10,000 is 0.01 USD).
	TftUsd,
}

parameter_types! {
	/// The account the oracle submits under when root feeds it; no one holds its key.
	pub const OraclePalletId: PalletId = PalletId(*b"gridorcl");
	/// The most the TFT price in force moves towards the oracle's in one update.
	pub const MaxTftPriceStep: Perbill = Perbill::from_percent(2);
}

/// The oracle's price counts only while at least two members' submissions of the last hour
/// agree on it: its median.
type OracleMedian =
	pallet_oracle::DefaultCombineData<Runtime, ConstU32<2>, ConstU64<{ 3_600 * 1_000 }>>;

impl pallet_oracle::Config for Runtime {
	/// Billing reads the oracle's price on its own schedule.
	type OnNewData = ();
	type CombineData = OracleMedian;
	type Time = Timestamp;
	type OracleKey = PriceFeed;
	type OracleValue = pallet_smart_contract::pricing::MicroUsd;
	type PalletId = OraclePalletId;
	type Members = OracleMembership;
	type WeightInfo = pallet_oracle::weights::SubstrateWeight<Runtime>;
	type MaxHasDispatchedSize = ConstU32<MAX_ORACLE_MEMBERS>;
	/// One price per submission: TFT's.
	type MaxFeedValues = ConstU32<1>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// The most oracle members.
const MAX_ORACLE_MEMBERS: u32 = 16;

impl pallet_membership::Config<pallet_membership::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = CouncilMajority;
	type RemoveOrigin = CouncilMajority;
	type SwapOrigin = CouncilMajority;
	type ResetOrigin = CouncilMajority;
	type PrimeOrigin = CouncilMajority;
	type MembershipInitialized = ();
	/// A member who leaves takes its submissions with it.
	type MembershipChanged = Oracle;
	type MaxMembers = ConstU32<MAX_ORACLE_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// The TFT price the oracle offers: its median, with the time of the submission it came from.
pub struct OracleTftPrice;

impl pallet_smart_contract::pricing::TftPriceFeed for OracleTftPrice {
	fn latest() -> Option<(pallet_smart_contract::pricing::MicroUsd, u64)> {
		pallet_oracle::Pallet::<Runtime>::get(&PriceFeed::TftUsd)
			.map(|price| (price.value, price.timestamp / 1_000))
	}
}
