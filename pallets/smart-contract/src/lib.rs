//! # Smart-contract pallet
//!
//! IT smart contracts: a twin's deployment on a node of the grid.
//!
//! A user creates a contract on a node with the deployment's hash, the deployment itself
//! encrypted to their own key (optional), the resources it reserves on the node and the number
//! of public IPs it needs; the pallet reserves that many IPs on the node's farm through the
//! registry ([`Config::Grid`]) and holds a storage deposit from the user. A node's live
//! contracts never reserve more than its capacity. The deployment travels to the node
//! peer-to-peer; the node reads the contract through the runtime API
//! ([`runtime_api::SmartContractApi`]), checks that the twin and the hash match what it
//! received, deploys, and confirms on chain. The owner may update the
//! deployment (the node then confirms again) and the owner or the node may cancel the contract,
//! which frees its IPs and releases the deposit.
//!
//! Once deployed, the node sends consumption reports ([`Call::add_consumption_reports`]); each
//! accepted report, within its contract's reservation and the traffic limit
//! ([`Config::MaxTrafficPerSecond`]), is priced ([`pricing`]) over the window since the previous
//! one, in US dollars
//! by the governance's [`PricingPolicy`](pricing::PricingPolicy), converted to TFT at the
//! oracle's price, and charged to the owner at once: the farmer, the foundation and a burn share
//! it. An owner who cannot pay enters a grace period with the debt recorded; the debt is paid by
//! the next report (or [`Call::settle_debt`]) once the owner can pay, and a contract still in
//! debt when the grace period ends is cancelled by a bounded hook. A contract's public IPs are
//! billed from their reservation, and a contract its node has not confirmed within the pricing
//! policy's deployment timeout expires, by the same hook.
//!
//! The registry asks this pallet ([`grid_primitives::GridUsage`]) before deleting a node or a
//! twin or lowering a node's capacity, so a node with live contracts stays, and never shrinks
//! below what they reserve, and an owner's twin stays while it owns contracts.

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
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::panic)]
mod benchmarking;
mod billing;
mod genesis;
mod grace;
mod impls;
#[cfg(test)]
mod mock;
mod prices;
pub mod pricing;
mod queries;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use queries::MAX_NODE_CONTRACTS_PAGE;
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use crate::pricing::{MicroUsd, TftPriceFeed};
	use frame_support::{
		dispatch::PostDispatchInfo,
		pallet_prelude::*,
		traits::{fungible, OnUnbalanced, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use grid_primitives::{
		ContractId, DeploymentHash, FarmId, GridProvider, NodeId, PublicIp, Resources, TwinId,
	};
	use sp_runtime::Perbill;

	/// The layout of this pallet's storage; raised, with a migration, whenever it changes.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason, of which this pallet's [`HoldReason`] is part.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency (TFT) contracts are billed and hold their storage deposits in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::Balanced<Self::AccountId>
			+ fungible::hold::Mutate<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The grid registry: twins, nodes and the public IPs of farms.
		type Grid: GridProvider<Self::AccountId>;

		/// The current time, to judge the timestamps of consumption reports.
		type UnixTime: UnixTime;

		/// Who may set the pricing policy, and the TFT price by hand.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The oracle's TFT price, which the price in force follows every
		/// [`Config::TftPricePeriod`] blocks, at most [`Config::MaxTftPriceStep`] at a time.
		type TftPriceFeed: TftPriceFeed;

		/// How often, in blocks, the TFT price in force follows the oracle's.
		#[pallet::constant]
		type TftPricePeriod: Get<BlockNumberFor<Self>>;

		/// The most one update may move the TFT price in force, as a share of it.
		#[pallet::constant]
		type MaxTftPriceStep: Get<Perbill>;

		/// The oldest, in seconds, the oracle's price may be for the price in force to follow
		/// it. A staler one is ignored: billing goes on at the last price.
		#[pallet::constant]
		type MaxTftPriceAge: Get<u64>;

		/// Receives the foundation's share of every payment, and a farmer's share when the farm
		/// is gone. The runtime pays it into the foundation's account, which must exist.
		type FoundationShare: OnUnbalanced<CreditOf<Self>>;

		/// Receives the share of every payment that is burned, and a farmer's share too small
		/// to create the farmer's account. `()` burns it; [`TotalBurned`] adds it up.
		type OnBurn: OnUnbalanced<CreditOf<Self>>;

		/// Plancks in one TFT.
		#[pallet::constant]
		type PlancksPerTft: Get<BalanceOf<Self>>;

		/// The most consumption reports one call may carry.
		#[pallet::constant]
		type MaxReports: Get<u32>;

		/// How far in the future (seconds) a report's timestamp may be, for clock drift.
		#[pallet::constant]
		type MaxReportDrift: Get<u64>;

		/// The longest window (seconds) one report may bill.
		#[pallet::constant]
		type MaxReportWindow: Get<u64>;

		/// The most network traffic a report may bill, in bytes per second of its window.
		#[pallet::constant]
		type MaxTrafficPerSecond: Get<u64>;

		/// The shortest window (seconds) each report of a batch must bill for the batch to be
		/// fee-free.
		#[pallet::constant]
		type MinFeeFreeWindow: Get<u64>;

		/// The longest grace period and deployment timeout a pricing policy may set, in blocks.
		#[pallet::constant]
		type MaxPolicyPeriod: Get<BlockNumberFor<Self>>;

		/// The most contract deadlines (a grace period ending, a new contract expiring) that one
		/// block's hook handles; the rest wait for the next blocks.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

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

		/// The most live contracts one node may run: it bounds the node's entry of
		/// [`NodeBilling`], which each batch of the node's reports reads and writes whole.
		#[pallet::constant]
		type MaxContractsPerNode: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from outside this pallet: registry records, and
		/// the time.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from outside this pallet. They run at genesis, where the
	/// registry is empty and the clock says zero.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Gives `who` a twin, if it has none, and returns its id.
		fn twin(who: &AccountId) -> TwinId;
		/// Registers a farm with `ips` free public IPs and a node on it run by `operator`, with
		/// room for the benchmarks' contracts; returns the node's id.
		fn node_with_ips(operator: &AccountId, ips: u32) -> NodeId;
		/// Makes the time [`Config::UnixTime`] tells `seconds` since the Unix epoch.
		fn set_time(seconds: u64);
		/// Makes [`Config::TftPriceFeed`] offer `price` micro-USD per TFT, submitted now.
		fn set_tft_price_feed(price: MicroUsd);
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

	/// Live contracts by id: what billing reads and writes. Their deployment data and public
	/// IPs are in [`Deployments`]; the runtime API `contract` returns both.
	#[pallet::storage]
	pub type Contracts<T: Config> = StorageMap<_, Blake2_128Concat, ContractId, ContractOf<T>>;

	/// The deployment data and public IPs of each live contract, by contract id: what its node
	/// deploys, kept apart from the record every consumption report rewrites.
	#[pallet::storage]
	pub type Deployments<T: Config> = StorageMap<_, Blake2_128Concat, ContractId, DeploymentOf<T>>;

	/// The billing of each node's live contracts (how far each is billed, what its owner owes),
	/// by contract id: one entry per node, so that a batch of the node's consumption reports
	/// reads and writes it once. Absent for a node without contracts.
	#[pallet::storage]
	pub type NodeBilling<T: Config> = StorageMap<_, Blake2_128Concat, NodeId, NodeBillingOf<T>>;

	/// The live contracts of each node, by deployment hash: a node runs one live contract per
	/// deployment hash.
	#[pallet::storage]
	pub type NodeContracts<T> =
		StorageDoubleMap<_, Blake2_128Concat, NodeId, Blake2_128Concat, DeploymentHash, ContractId>;

	/// How many live contracts each twin owns; absent for a twin without any. The registry asks
	/// before deleting a twin. (One entry per twin at most, paid for by the twin's own
	/// deposit in the registry.)
	#[pallet::storage]
	pub type TwinContracts<T> = StorageMap<_, Blake2_128Concat, TwinId, u32>;

	/// How many of each twin's contracts are in their grace period; absent for a twin with
	/// none. A twin with any creates and updates no contract until it pays.
	#[pallet::storage]
	pub type TwinsInGrace<T> = StorageMap<_, Blake2_128Concat, TwinId, u32>;

	/// Debt written off when a twin's contract ended unpaid, by twin and by the farm it was owed
	/// to. The twin creates and updates no contract, and cannot be deleted, until it repays
	/// (`repayWrittenOffDebt`).
	#[pallet::storage]
	pub type WrittenOffDebts<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, TwinId, Blake2_128Concat, FarmId, BalanceOf<T>>;

	/// The resources the live contracts of each node reserve together; never more than the
	/// node's capacity. Absent for a node without contracts.
	#[pallet::storage]
	pub type NodeReserved<T> = StorageMap<_, Blake2_128Concat, NodeId, Resources>;

	/// The prices in force: the pricing policy (the grid's prices and the revenue split, set
	/// by governance) and the price of one TFT in micro-USD (following the oracle), since the
	/// time they took effect. Contracts are not billed until both are set.
	#[pallet::storage]
	pub type CurrentPrices<T: Config> = StorageValue<_, PricesOf<T>, ValueQuery>;

	/// The prices in force before [`CurrentPrices`], oldest first, for the last
	/// [`EARLIER_PRICES`] changes: a report is billed at the prices in force when its window
	/// ended, so a change reaches back into one window at most.
	#[pallet::storage]
	pub type EarlierPrices<T: Config> =
		StorageValue<_, BoundedVec<PricesOf<T>, ConstU32<EARLIER_PRICES>>, ValueQuery>;

	/// All the TFT billing has burned: the part of each payment that goes to neither the farmer
	/// nor the foundation, and any share that could not be delivered. Total issuance falls by
	/// exactly this much through billing.
	#[pallet::storage]
	pub type TotalBurned<T> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Contracts with a deadline, by the block it falls in: a contract in its grace period at
	/// the block the period ends, a contract its node has not confirmed yet at the block it
	/// expires.
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Blake2_128Concat, ContractId, ()>;

	/// The first block whose deadlines the hook has not finished handling.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The pricing policy to start with, if any.
		pub pricing_policy: Option<PricingPolicyOf<T>>,
		/// The TFT price to start with, in micro-USD; zero for none.
		pub tft_price: MicroUsd,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self);
		}
	}

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
			/// The resources it reserves on the node.
			resources: Resources,
			/// The public IPs reserved for it.
			public_ips: BoundedVec<PublicIp, T::MaxPublicIps>,
			/// The storage deposit held from the owner.
			deposit: BalanceOf<T>,
			/// The block at which the contract expires unless its node has confirmed it.
			expires: BlockNumberFor<T>,
		},
		/// A contract's deployment was replaced; it waits for the node to confirm again.
		ContractUpdated {
			/// The contract.
			contract_id: ContractId,
			/// Its new deployment hash.
			deployment_hash: DeploymentHash,
			/// The resources it reserves on the node now.
			resources: Resources,
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
		/// A consumption report was accepted and its window billed.
		ContractBilled {
			/// The contract.
			contract_id: ContractId,
			/// Start of the billed window, Unix seconds.
			window_start: u64,
			/// End of the billed window (the report's timestamp), Unix seconds.
			window_end: u64,
			/// What the window cost.
			amount: BalanceOf<T>,
			/// What the owner paid now: at the contract's charging time or in its grace
			/// period, the window's cost and the debt (the bills added up before it), or
			/// nothing if they could not pay it all; between charging times nothing, the cost
			/// added to the debt. How it was shared out is in the call's `SharesPaid`.
			paid: BalanceOf<T>,
		},
		/// A consumption report was refused; it charged nothing.
		ConsumptionReportRejected {
			/// The contract the report was for.
			contract_id: ContractId,
			/// Why it was refused.
			reason: ReportRejection,
		},
		/// The owner could not pay a bill: the contract runs in debt until its grace period ends.
		GracePeriodStarted {
			/// The contract.
			contract_id: ContractId,
			/// What the owner owes.
			debt: BalanceOf<T>,
			/// The block at which the contract is cancelled if the debt is still unpaid.
			ends: BlockNumberFor<T>,
		},
		/// The owner paid the debt; the contract is out of its grace period.
		GracePeriodEnded {
			/// The contract.
			contract_id: ContractId,
		},
		/// A debt was paid outside a consumption report: by `settle_debt`, when the grace period
		/// ended, or when the contract was cancelled.
		DebtPaid {
			/// The contract.
			contract_id: ContractId,
			/// What the owner paid; how it was shared out is in the `SharesPaid` that follows.
			paid: BalanceOf<T>,
		},
		/// A cancelled contract's debt could not be paid in full; the rest was written off and
		/// recorded against its owner's twin (`writtenOffDebts`).
		DebtWrittenOff {
			/// The contract.
			contract_id: ContractId,
			/// What was not paid.
			amount: BalanceOf<T>,
		},
		/// A twin repaid the debt written off for one farm; it may create contracts again once
		/// it owes nothing else.
		WrittenOffDebtRepaid {
			/// The twin.
			twin_id: TwinId,
			/// The farm the debt was owed to.
			farm_id: FarmId,
			/// What the twin paid; how it was shared out is in the `SharesPaid` before this.
			paid: BalanceOf<T>,
		},
		/// Payments were shared out under the pricing policy: once per call (or hook) that
		/// charged anything, for all it charged. A batch of consumption reports gives one,
		/// whatever the number of contracts it billed.
		SharesPaid {
			/// The farm whose farmer was paid: the farm of the reporting node, or of the
			/// contract whose bill or debt was paid.
			farm_id: FarmId,
			/// The farmer's share (the foundation's, if the farm no longer has a farmer).
			farmer: BalanceOf<T>,
			/// The foundation's share.
			foundation: BalanceOf<T>,
			/// The burned share.
			burned: BalanceOf<T>,
		},
		/// A share of a payment could not go to its receiver (an account that cannot exist with so
		/// little) and was burned instead.
		ShareBurned {
			/// The receiver.
			account: T::AccountId,
			/// The amount burned.
			amount: BalanceOf<T>,
		},
		/// Governance set a new pricing policy.
		PricingPolicySet {
			/// The policy now in force.
			policy: PricingPolicyOf<T>,
		},
		/// Governance set the TFT price by hand.
		TftPriceSet {
			/// The price of one TFT now, in micro-USD.
			price: MicroUsd,
		},
		/// The TFT price in force moved towards the oracle's, by at most
		/// [`Config::MaxTftPriceStep`].
		TftPriceFollowed {
			/// The price of one TFT now, in micro-USD.
			price: MicroUsd,
			/// The oracle's price, in micro-USD.
			oracle: MicroUsd,
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
		/// The node's live contracts would reserve more than its capacity; ask for less, or
		/// choose another node (`nodeReserved` in the chain state holds what is reserved).
		NodeCapacityExceeded,
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
		/// The signing account is not a node's account; only nodes send consumption reports.
		NotANode,
		/// No pricing policy or TFT price is set yet; nothing can be billed or created.
		PricingNotSet,
		/// The pricing policy is not sane: every price must be above zero and at most 1,000 USD,
		/// the farmer's and foundation's shares at most 100% together, the grace period and
		/// the deployment timeout each between one block and `MaxPolicyPeriod`, and the charge
		/// interval between one second and a day.
		InsanePricingPolicy,
		/// The TFT price must be above zero and at most 1,000,000 USD.
		InsaneTftPrice,
		/// The contract is in its grace period: pay the debt (`settle_debt`) before updating it.
		ContractInGracePeriod,
		/// The contract owes nothing.
		NoDebt,
		/// The owner still cannot pay the debt.
		CannotPayDebt,
		/// The batch holds no consumption report.
		NoReports,
		/// The twin owes: a contract of its is in its grace period, or debt of an ended contract
		/// was written off. Pay first (`settleDebt`, `repayWrittenOffDebt`).
		TwinInDebt,
		/// The node runs the most live contracts a node may (`MaxContractsPerNode`); choose
		/// another node.
		TooManyContractsOnNode,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Ends the grace periods and expires the unconfirmed contracts whose deadline has come,
		/// at most `MaxDeadlinesPerBlock` a block; the cost does not depend on how many
		/// contracts live.
		///
		/// Every [`Config::TftPricePeriod`] blocks, the TFT price in force follows the oracle's.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::handle_deadlines(now).saturating_add(Self::follow_tft_price_feed(now))
		}

		fn integrity_test() {
			assert!(T::MaxPublicIps::get() > 0, "a contract must be able to hold a public IP");
			assert!(T::MaxReports::get() > 0, "a node must be able to send a report");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "deadlines must be able to pass");
			assert!(T::MaxReportWindow::get() > 0, "a report must be able to bill a window");
			assert!(
				T::MinFeeFreeWindow::get() <= T::MaxReportWindow::get(),
				"a report must be able to bill a fee-free window"
			);
			assert!(!T::TftPricePeriod::get().is_zero(), "the TFT price must be able to follow");
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
		/// account pays the storage deposit: 3 entries plus the bytes the contract stores and
		/// their keys. A node runs at most `MaxContractsPerNode` live contracts.
		/// - `node_id`: the node to deploy on.
		/// - `deployment_hash`: BLAKE2b-256 of the deployment's challenge bytes; unique among the
		///   node's live contracts.
		/// - `deployment_data`: the deployment encrypted to the user's own key; may be empty.
		/// - `resources`: what the deployment reserves on the node: `cru` cores, `sru` SSD,
		///   `hru` HDD and `mru` memory in bytes. No report bills more than this; the node's
		///   contracts together reserve at most its capacity. `hourlyQuote` prices it.
		/// - `public_ips`: how many public IPs to reserve on the node's farm. They are billed
		///   from now on, whether the node confirms the contract or not.
		///
		/// The node must confirm the contract within the pricing policy's `deploymentTimeout`
		/// (blocks); if it has not by then, the contract expires: its IPs are freed, its IP time
		/// billed and its deposit released (`ContractCanceled` with reason `Expired`).
		///
		/// Emits `ContractCreated`. Errors: [`Error::PricingNotSet`], [`Error::TwinNotFound`],
		/// [`Error::TwinInDebt`], [`Error::NodeNotFound`], [`Error::InvalidDeploymentHash`],
		/// [`Error::DuplicateDeploymentHash`], [`Error::NodeCapacityExceeded`],
		/// [`Error::TooManyContractsOnNode`], [`Error::TooManyPublicIps`],
		/// [`Error::NotEnoughIpsOnFarm`], [`Error::NotEnoughFreeIpsOnFarm`],
		/// [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_node_contract(
			(*public_ips).min(T::MaxPublicIps::get())
		))]
		pub fn create_node_contract(
			origin: OriginFor<T>,
			node_id: NodeId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentDataOf<T>,
			resources: Resources,
			public_ips: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_node_contract(
				&who,
				node_id,
				deployment_hash,
				deployment_data,
				resources,
				public_ips,
			)
			.map(|_| ())
		}

		/// Replace a contract's deployment; the node confirms it again.
		///
		/// Origin: signed, by the contract owner's account. `resources` replaces the contract's
		/// reservation, within what the node's other contracts leave of its capacity. The
		/// deposit follows the new size of the data: more is held, or the difference released.
		/// A deployed contract becomes `Updated`. Until the node confirms the new deployment it
		/// runs the previous one, and its reports of it are billed as before, within the new
		/// reservation. A contract the node has not confirmed yet stays `Created`, with the same
		/// expiry.
		///
		/// Emits `ContractUpdated`. Errors: [`Error::ContractNotFound`],
		/// [`Error::NotContractOwner`], [`Error::ContractInGracePeriod`], [`Error::TwinInDebt`],
		/// [`Error::InvalidDeploymentHash`], [`Error::DuplicateDeploymentHash`],
		/// [`Error::NodeCapacityExceeded`], [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(1)]
		pub fn update_node_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentDataOf<T>,
			resources: Resources,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node_contract(
				&who,
				contract_id,
				deployment_hash,
				deployment_data,
				resources,
			)
		}

		/// Confirm that the node deployed the contract's deployment.
		///
		/// Origin: signed, by the account of the contract's node. `deployment_hash` is the hash
		/// the node computed from the deployment it received; it must equal the contract's.
		/// `Created` and `Updated` become `Deployed`; a contract in its grace period is marked
		/// confirmed and becomes `Deployed` once its debt is paid. At the first confirmation the
		/// public IPs' time since the contract was created is billed (`ContractBilled`); an
		/// owner who cannot pay enters the grace period.
		///
		/// Emits `DeploymentConfirmed`. Errors: [`Error::ContractNotFound`],
		/// [`Error::NotContractNode`], [`Error::DeploymentHashMismatch`],
		/// [`Error::AlreadyDeployed`].
		#[pallet::call_index(2)]
		pub fn confirm_deployment(
			origin: OriginFor<T>,
			contract_id: ContractId,
			deployment_hash: DeploymentHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_deployment(&who, contract_id, deployment_hash)
		}

		/// Cancel a contract: settle any debt, free its public IPs, release its deposit and
		/// remove it.
		///
		/// Origin: signed, by the contract owner's account or the account of its node. The
		/// public IPs' time since the last report is billed (`ContractBilled`) and added to any
		/// debt, which is paid from the owner's funds and the released deposit as far as they
		/// go (`DebtPaid`); the rest is written off (`DebtWrittenOff`).
		///
		/// Emits `ContractCanceled` with the reason (`CanceledByOwner` or `CanceledByNode`).
		/// Errors: [`Error::ContractNotFound`], [`Error::NotContractOwnerOrNode`],
		/// [`Error::IpsNotReleased`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_billed_contract(T::MaxPublicIps::get()))]
		pub fn cancel_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let removed = Self::do_cancel_contract(&who, contract_id)?;
			let weight = if removed.billed {
				T::WeightInfo::cancel_billed_contract(removed.freed_ips)
			} else {
				T::WeightInfo::cancel_contract(removed.freed_ips)
			};
			Ok(Some(weight).into())
		}

		/// Send consumption reports for the node's contracts.
		///
		/// Origin: signed, by a node's account. Each report is priced over the window since the
		/// contract's previous report (or its deployment) and charged to the owner at once. A
		/// report is refused, charging nothing and emitting `ConsumptionReportRejected` with the
		/// reason, if the contract does not exist or has ended, is not this node's, has not been
		/// confirmed yet, the timestamp is not after the previous one or too far in the future, the
		/// window too long, a resource above the contract's reservation, or the traffic above
		/// `MaxTrafficPerSecond` for the window; the other reports of the batch go on. An owner
		/// who cannot pay enters the grace period (`GracePeriodStarted`).
		///
		/// The batch is fee-free when every report bills a window of at least
		/// `MinFeeFreeWindow` seconds, except reports for contracts that ended while the batch
		/// was on its way (`ContractEnded`), as long as those are no more than the billed ones.
		/// Otherwise the node pays the fee. The call is charged as if every report's contract
		/// entered or left its grace period, and refunded what its reports did not do: such
		/// changes that did not happen, and storage reads and writes not made. An owner is
		/// charged once per batch, however many of its contracts the batch bills: a report
		/// whose owner's account an earlier report of the batch read is charged no account
		/// read, write or withdrawal. The node's billing (`nodeBilling`) is read and written
		/// once per batch; a report writes its contract only when it enters or leaves its
		/// grace period.
		///
		/// Emits `ContractBilled` per accepted report. Errors: [`Error::NoReports`],
		/// [`Error::NotANode`], [`Error::PricingNotSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::add_consumption_reports(0, 0, reports.len() as u32))]
		pub fn add_consumption_reports(
			origin: OriginFor<T>,
			reports: ReportsOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let billed = Self::do_add_consumption_reports(&who, reports)?;
			Ok(PostDispatchInfo {
				actual_weight: Some(billed.weight::<T>()),
				pays_fee: if billed.is_fee_free() { Pays::No } else { Pays::Yes },
			})
		}

		/// Pay a contract's debt now and end its grace period, if it is in one.
		///
		/// Origin: signed, by anyone (the debt is paid from the owner's account). Useful right
		/// after topping up, rather than waiting for the node's next report; outside a grace
		/// period it pays the bills added up since the owner was last charged.
		///
		/// Emits `DebtPaid`, and `GracePeriodEnded` for a contract in its grace period. Errors:
		/// [`Error::ContractNotFound`], [`Error::NoDebt`], [`Error::CannotPayDebt`].
		#[pallet::call_index(5)]
		pub fn settle_debt(origin: OriginFor<T>, contract_id: ContractId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_debt(contract_id)
		}

		/// Set the pricing policy: unit prices, revenue split, grace period and deployment
		/// timeout.
		///
		/// Origin: governance. Prices are in micro-USD: per compute unit, storage unit and
		/// public IP for an hour, and per GiB of traffic. The grace period and the deployment
		/// timeout are in blocks; the charge interval, how long a contract's bills add up
		/// before its owner pays them, in seconds (1: at once). The policy bills the windows
		/// that end from now on.
		///
		/// Emits `PricingPolicySet`. Errors: [`Error::InsanePricingPolicy`].
		#[pallet::call_index(6)]
		pub fn set_pricing_policy(
			origin: OriginFor<T>,
			policy: PricingPolicyOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_pricing_policy(policy)
		}

		/// Set the price of one TFT by hand, in micro-USD (10,000 is 0.01 USD): for when the
		/// oracle is wrong or silent. Otherwise the price follows the oracle's by itself.
		///
		/// Origin: governance. The price bills the windows that end from now on.
		///
		/// Emits `TftPriceSet`. Errors: [`Error::InsaneTftPrice`].
		#[pallet::call_index(7)]
		pub fn set_tft_price(origin: OriginFor<T>, price: MicroUsd) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_tft_price(price)
		}

		/// Repay the debt written off for one farm when a contract of the signing account's twin
		/// ended unpaid.
		///
		/// Origin: signed, by the twin's account. The whole amount is paid and shared like a
		/// bill: the farmer's share to that farm's owner (to the foundation, if the farm no longer
		/// exists), the foundation's share, the rest burned. A twin with written-off debt creates
		/// and updates no contract until it has repaid all of it (`writtenOffDebts` in the chain
		/// state lists it by farm).
		///
		/// Emits `WrittenOffDebtRepaid`. Errors: [`Error::TwinNotFound`], [`Error::NoDebt`],
		/// [`Error::PricingNotSet`], [`Error::CannotPayDebt`].
		#[pallet::call_index(8)]
		pub fn repay_written_off_debt(origin: OriginFor<T>, farm_id: FarmId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_repay_written_off_debt(&who, farm_id)
		}
	}
}
