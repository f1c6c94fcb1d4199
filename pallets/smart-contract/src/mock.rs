//! A test runtime with balances, the real grid registry and the contracts pallet.

use crate::{self as pallet_smart_contract, pricing::PricingPolicy, BillingOf, DeploymentDataOf};
use core::{cell::Cell, time::Duration};
use frame_support::{
	derive_impl, parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32, ConstU64, UnixTime},
};
use frame_system::EnsureRoot;
use grid_primitives::{deployment_hash, ContractId, DeploymentHash, Resources, GIB, TIB};
use pallet_tfgrid::{GenesisFarm, GenesisNode};
use sp_runtime::BuildStorage;
use sp_runtime::Perbill;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		TfgridModule: pallet_tfgrid,
		SmartContractModule: pallet_smart_contract,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	/// As the weights' `()` implementation counts them, so refunds can be checked.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

impl pallet_tfgrid::Config for Test {
	type GridUsage = SmartContractModule;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// The registry's deposits are the registry's tests' business; here they are zero, so that
	// these tests' balances are about contracts alone.
	type DepositPerItem = ConstU64<0>;
	type DepositPerByte = ConstU64<0>;
	type MaxRelayLength = ConstU32<32>;
	type MaxPkLength = ConstU32<32>;
	type MaxFarmNameLength = ConstU32<16>;
	type MaxIpsPerFarm = ConstU32<8>;
	type WeightInfo = ();
}

/// The most public IPs a contract of the test runtime may hold.
pub const MAX_PUBLIC_IPS: u32 = 4;
/// The most bytes of deployment data a contract of the test runtime may store.
pub const MAX_DATA: u32 = 64;
/// Deposit per storage entry in the test runtime.
pub const DEPOSIT_PER_ITEM: u64 = 100;
/// Deposit per byte in the test runtime.
pub const DEPOSIT_PER_BYTE: u64 = 1;

/// Receives the foundation's share of payments.
pub const FOUNDATION: u64 = 100;
/// Plancks per TFT in the test runtime, as on the chain.
pub const TFT: u64 = 10_000_000;
/// The longest window one report bills in the test runtime: a day.
pub const MAX_WINDOW: u64 = 86_400;
/// How far in the future a report may be in the test runtime.
pub const MAX_DRIFT: u64 = 60;
/// The most reports one call carries in the test runtime.
pub const MAX_REPORTS: u32 = 8;
/// The most live contracts one node may run.
pub const MAX_CONTRACTS_PER_NODE: u32 = 32;
/// The traffic limit of the test runtime, in bytes per second: 1 Gbit/s.
pub const MAX_TRAFFIC: u64 = 125_000_000;
/// The shortest fee-free window in the test runtime: five minutes.
pub const MIN_FREE_WINDOW: u64 = 300;
/// The grace period of the test pricing policy, in blocks.
pub const GRACE: u64 = 10;
/// The blocks a node has to confirm a new contract in the test policy.
pub const TIMEOUT: u64 = 20;
/// The most deadlines one block handles in the test runtime.
pub const MAX_DEADLINES: u32 = 3;
/// Unix time (seconds) when every test starts.
pub const START: u64 = 1_700_000_000;

parameter_types! {
	pub const DepositPerItem: u64 = DEPOSIT_PER_ITEM;
	pub const DepositPerByte: u64 = DEPOSIT_PER_BYTE;
	pub const Foundation: u64 = FOUNDATION;
	pub const PlancksPerTft: u64 = TFT;
}

thread_local! {
	static NOW: Cell<u64> = const { Cell::new(START) };
	static ORACLE: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
}

/// The test runtime's oracle: the price a test has it offer, and when it was submitted.
pub struct Oracle;

impl Oracle {
	/// Has the oracle offer `price` micro-USD per TFT, submitted at `at` (Unix seconds).
	pub fn offer(price: u64, at: u64) {
		ORACLE.with(|oracle| oracle.set(Some((price, at))));
	}
}

impl crate::pricing::TftPriceFeed for Oracle {
	fn latest() -> Option<(u64, u64)> {
		ORACLE.with(|oracle| oracle.get())
	}
}

/// The blocks between two updates of the TFT price from the oracle.
pub const TFT_PRICE_PERIOD: u64 = 10;
/// The most one update moves the TFT price: 5%.
pub const MAX_TFT_PRICE_STEP: Perbill = Perbill::from_percent(5);
/// The oldest oracle price followed: an hour.
pub const MAX_TFT_PRICE_AGE: u64 = 3_600;

parameter_types! {
	pub const MaxTftPriceStep: Perbill = MAX_TFT_PRICE_STEP;
}

/// The test runtime's clock, moved by the tests.
pub struct Clock;

impl Clock {
	pub fn set(seconds: u64) {
		NOW.with(|now| now.set(seconds));
	}
	pub fn now() -> u64 {
		NOW.with(|now| now.get())
	}
}

/// The registry records and the time the benchmarks need, in the test runtime.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSetup;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for BenchmarkSetup {
	fn twin(who: &u64) -> grid_primitives::TwinId {
		TfgridModule::benchmark_twin(who)
	}
	fn node_with_ips(operator: &u64, ips: u32) -> grid_primitives::NodeId {
		TfgridModule::benchmark_node_with_ips(operator, ips)
	}
	fn set_time(seconds: u64) {
		Clock::set(seconds);
	}
	fn set_tft_price_feed(price: u64) {
		Oracle::offer(price, Clock::now());
	}
}

impl UnixTime for Clock {
	fn now() -> Duration {
		Duration::from_secs(Clock::now())
	}
}

/// The test pricing policy: 0.025 USD per CU-hour, 0.0125 per SU-hour, 0.005 per IP-hour,
/// 0.015 per GiB of traffic; 60% to the farmer, 20% to the foundation, 20% burned.
pub fn policy() -> PricingPolicy<u64> {
	PricingPolicy {
		cu: 25_000,
		su: 12_500,
		ipv4: 5_000,
		nu: 15_000,
		farmer_share: Perbill::from_percent(60),
		foundation_share: Perbill::from_percent(20),
		grace_period: GRACE,
		deployment_timeout: TIMEOUT,
		charge_interval: 1,
	}
}

/// The test TFT price: 0.01 USD.
pub const TFT_PRICE: u64 = 10_000;

impl pallet_smart_contract::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Grid = TfgridModule;
	type DepositPerItem = DepositPerItem;
	type DepositPerByte = DepositPerByte;
	type MaxDeploymentDataLength = ConstU32<MAX_DATA>;
	type MaxPublicIps = ConstU32<MAX_PUBLIC_IPS>;
	type MaxContractsPerNode = ConstU32<MAX_CONTRACTS_PER_NODE>;
	type UnixTime = Clock;
	type GovernanceOrigin = EnsureRoot<u64>;
	type TftPriceFeed = Oracle;
	type TftPricePeriod = ConstU64<TFT_PRICE_PERIOD>;
	type MaxTftPriceStep = MaxTftPriceStep;
	type MaxTftPriceAge = ConstU64<MAX_TFT_PRICE_AGE>;
	type FoundationShare = ResolveTo<Foundation, Balances>;
	type OnBurn = ();
	type PlancksPerTft = PlancksPerTft;
	type MaxReports = ConstU32<MAX_REPORTS>;
	type MaxReportDrift = ConstU64<MAX_DRIFT>;
	type MaxReportWindow = ConstU64<MAX_WINDOW>;
	type MaxTrafficPerSecond = ConstU64<MAX_TRAFFIC>;
	type MinFeeFreeWindow = ConstU64<MIN_FREE_WINDOW>;
	type MaxPolicyPeriod = ConstU64<1_000>;
	type MaxDeadlinesPerBlock = ConstU32<MAX_DEADLINES>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSetup;
}

/// Owns twin 1 and farm 1, which has [`FARM_IPS`] public IPs.
pub const FARMER: u64 = 1;
/// Owns twin 2 and runs node 1, on farm 1.
pub const NODE_OPERATOR: u64 = 2;
/// Owns twin 3 and creates contracts.
pub const USER: u64 = 3;
/// Owns twin 4 and runs node 2, on farm 2, which has no public IPs.
pub const OTHER_OPERATOR: u64 = 4;
/// Owns twin 5, but neither the contracts nor the nodes of the tests.
pub const STRANGER: u64 = 5;
/// Owns twin 6 and only a few plancks.
pub const POOR: u64 = 6;
/// Owns twin 7 and enough for a deposit, but not for a bill.
pub const FRUGAL: u64 = 7;
/// What [`FRUGAL`] holds at genesis, in plancks.
pub const FRUGAL_FUNDS: u64 = 5_000;
/// Has no twin.
pub const NOBODY: u64 = 99;
/// What [`FOUNDATION`] holds at genesis: the existential deposit, so that the account exists.
pub const FOUNDATION_FUNDS: u64 = 1;

/// Node 1, on farm 1 with public IPs.
pub const NODE: u32 = 1;
/// Node 2, on farm 2 without public IPs.
pub const OTHER_NODE: u32 = 2;
/// The public IPs of farm 1.
pub const FARM_IPS: u32 = 3;
/// What [`USER`] and [`STRANGER`] hold at genesis: 10,000 TFT.
pub const ENDOWMENT: u64 = 10_000 * TFT;

/// 16 cores, 64 GiB memory, 1 TiB SSD, 4 TiB HDD: room for eight [`vm`]s.
fn capacity() -> Resources {
	Resources { cru: 16, sru: TIB, hru: 4 * TIB, mru: 64 * GIB }
}

/// The test chain: the grid of the constants above, with prices set unless told otherwise.
pub struct ExtBuilder {
	/// The pricing policy and the TFT price at genesis.
	prices: Option<(PricingPolicy<u64>, u64)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { prices: Some((policy(), TFT_PRICE)) }
	}
}

impl ExtBuilder {
	/// No pricing policy and no TFT price at genesis, as on a chain that governance and the
	/// oracle have not priced yet.
	pub fn without_prices(mut self) -> Self {
		self.prices = None;
		self
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let twins = [FARMER, NODE_OPERATOR, USER, OTHER_OPERATOR, STRANGER, POOR, FRUGAL]
			.into_iter()
			.map(|account| (account, None))
			.collect();
		let farm_ips = (0..FARM_IPS)
			.map(|i| (format!("185.206.122.{}/24", 10 + i), "185.206.122.1".to_string()))
			.collect();
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig {
				balances: vec![
					(USER, ENDOWMENT),
					(STRANGER, ENDOWMENT),
					(NODE_OPERATOR, 1_000),
					(OTHER_OPERATOR, 1_000),
					(POOR, 10),
					(FRUGAL, FRUGAL_FUNDS),
					(FOUNDATION, FOUNDATION_FUNDS),
				],
				..Default::default()
			},
			tfgrid_module: pallet_tfgrid::GenesisConfig {
				twins,
				farms: vec![
					GenesisFarm { name: "farm-one".into(), twin_id: 1, ips: farm_ips },
					GenesisFarm { name: "farm-two".into(), twin_id: 1, ips: vec![] },
				],
				nodes: vec![
					GenesisNode { farm_id: 1, twin_id: 2, resources: capacity() },
					GenesisNode { farm_id: 2, twin_id: 4, resources: capacity() },
				],
			},
			smart_contract_module: pallet_smart_contract::GenesisConfig {
				pricing_policy: self.prices.map(|(policy, _)| policy),
				tft_price: self.prices.map_or(0, |(_, price)| price),
			},
		}
		.build_storage()
		.expect("the test genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		Clock::set(START);
		ORACLE.with(|oracle| oracle.set(None));
		ext
	}

	/// Runs `test`, then checks the invariants of the registry and the contracts, and that
	/// total issuance fell by exactly what billing burned (nothing else here mints or burns).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			let issuance = Balances::total_issuance();
			test();
			assert_eq!(
				Balances::total_issuance() + crate::TotalBurned::<Test>::get(),
				issuance,
				"total issuance changed by more than the burned shares"
			);
			TfgridModule::do_try_state().expect("the registry's invariants hold");
			SmartContractModule::do_try_state().expect("the contracts' invariants hold");
		});
	}
}

/// The deployment hash of a test deployment named `name`.
pub fn hash(name: &str) -> DeploymentHash {
	deployment_hash(name.as_bytes())
}

/// `len` bytes of deployment data.
pub fn data(len: usize) -> DeploymentDataOf<Test> {
	DeploymentDataOf::<Test>::try_from(vec![0xab; len]).expect("test data fits its bound")
}

/// Live contract `id`'s billing, from its node's entry of `NodeBilling`.
pub fn billing(id: ContractId) -> Option<BillingOf<Test>> {
	let contract = pallet_smart_contract::Contracts::<Test>::get(id)?;
	SmartContractModule::stored_billing(contract.node_id, id)
}

/// A small VM: 2 vCPU, 4 GiB memory, 100 GiB SSD: 1 CU and 0.5 SU.
pub fn vm() -> Resources {
	Resources { cru: 2, mru: 4 * GIB, sru: 100 * GIB, hru: 0 }
}

/// [`USER`] creates a contract on `node_id` for deployment `name` reserving a [`vm`], with
/// `ips` public IPs and 16 bytes of data; returns its id.
pub fn create(node_id: u32, name: &str, ips: u32) -> u64 {
	SmartContractModule::create_node_contract(
		RuntimeOrigin::signed(USER),
		node_id,
		hash(name),
		data(16),
		vm(),
		ips,
	)
	.expect("the test contract is created");
	crate::LastContractId::<Test>::get()
}

/// [`STRANGER`] sends `who` `amount` plancks: an owner's top-up.
pub fn top_up(who: u64, amount: u64) {
	frame_support::assert_ok!(Balances::transfer_allow_death(
		RuntimeOrigin::signed(STRANGER),
		who,
		amount
	));
}

/// Runs blocks up to `n`, with every pallet's hooks.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// The capacity of the test nodes.
pub fn node_capacity() -> Resources {
	capacity()
}
