//! A test runtime with balances and the registry, and a fake contracts pallet that marks nodes
//! in use.

use crate::{self as pallet_tfgrid, GenesisFarm, GenesisNode};
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, Get},
};
use grid_primitives::{GridUsage, NodeId, Resources, TwinId, GIB, TIB};
use sp_runtime::BuildStorage;
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		TfgridModule: pallet_tfgrid,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The deposit per storage entry of the test runtime.
pub const DEPOSIT_PER_ITEM: u64 = 100;
/// The deposit per byte of the test runtime.
pub const DEPOSIT_PER_BYTE: u64 = 1;
/// What each account of the test genesis starts with: enough for a twin, a farm full of IPs and
/// a node, with change.
pub const ENDOWMENT: u64 = 1_000_000;

/// The most public IPs a farm of the test runtime may have: small, to reach the bound.
pub const MAX_IPS_PER_FARM: u32 = 4;
/// The longest farm name of the test runtime.
pub const MAX_FARM_NAME: u32 = 16;
/// The longest relay address of the test runtime.
pub const MAX_RELAY: u32 = 32;
/// The longest public key of the test runtime.
pub const MAX_PK: u32 = 33;

impl pallet_tfgrid::Config for Test {
	type GridUsage = FakeContracts;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositPerItem = ConstU64<DEPOSIT_PER_ITEM>;
	type DepositPerByte = ConstU64<DEPOSIT_PER_BYTE>;
	type MaxRelayLength = ConstU32<MAX_RELAY>;
	type MaxPkLength = ConstU32<MAX_PK>;
	type MaxFarmNameLength = ConstU32<MAX_FARM_NAME>;
	type MaxIpsPerFarm = ConstU32<MAX_IPS_PER_FARM>;
	type WeightInfo = ();
}

thread_local! {
	static NODES_IN_USE: RefCell<BTreeSet<NodeId>> = const { RefCell::new(BTreeSet::new()) };
	static RESERVED: RefCell<BTreeMap<NodeId, Resources>> = const { RefCell::new(BTreeMap::new()) };
	static TWINS_IN_USE: RefCell<BTreeSet<TwinId>> = const { RefCell::new(BTreeSet::new()) };
}

/// Stands in for the contracts pallet: a test says which nodes run contracts and what they
/// reserve, and which twins own contracts.
pub struct FakeContracts;

impl FakeContracts {
	pub fn set_in_use(node_id: NodeId, in_use: bool) {
		NODES_IN_USE.with(|nodes| {
			let mut nodes = nodes.borrow_mut();
			if in_use {
				nodes.insert(node_id);
			} else {
				nodes.remove(&node_id);
			}
		});
	}

	pub fn set_twin_in_use(twin_id: TwinId, in_use: bool) {
		TWINS_IN_USE.with(|twins| {
			let mut twins = twins.borrow_mut();
			if in_use {
				twins.insert(twin_id);
			} else {
				twins.remove(&twin_id);
			}
		});
	}

	pub fn set_reserved(node_id: NodeId, reserved: Resources) {
		RESERVED.with(|map| map.borrow_mut().insert(node_id, reserved));
	}
}

impl GridUsage for FakeContracts {
	fn is_node_in_use(node_id: NodeId) -> bool {
		NODES_IN_USE.with(|nodes| nodes.borrow().contains(&node_id))
	}

	fn reserved_resources(node_id: NodeId) -> Resources {
		RESERVED.with(|map| map.borrow().get(&node_id).copied().unwrap_or_default())
	}

	fn is_twin_in_use(twin_id: TwinId) -> bool {
		TWINS_IN_USE.with(|twins| twins.borrow().contains(&twin_id))
	}
}

/// Farmer's account: owns twin 1 and farm 1 in [`ExtBuilder::with_grid`].
pub const FARMER: u64 = 1;
/// A node's account: owns twin 2 and node 1 in [`ExtBuilder::with_grid`].
pub const NODE_OWNER: u64 = 2;
/// An account with a twin (3 in [`ExtBuilder::with_grid`]) but no farm or node.
pub const USER: u64 = 3;
/// An account without a twin.
pub const STRANGER: u64 = 99;
/// An account that can pay the deposits of a twin and a farm, and no more.
pub const POOR: u64 = 4;
/// An account with nothing.
pub const BROKE: u64 = 5;

/// A valid node capacity: 8 cores, 32 GiB memory, 1 TiB SSD, 4 TiB HDD.
pub fn capacity() -> Resources {
	Resources { cru: 8, sru: TIB, hru: 4 * TIB, mru: 32 * GIB }
}

/// The public IPs of the farm in [`ExtBuilder::with_grid`].
pub const GRID_IPS: [&str; 3] = ["185.206.122.10/24", "185.206.122.11/24", "185.206.122.12/24"];

#[derive(Default)]
pub struct ExtBuilder {
	genesis: pallet_tfgrid::GenesisConfig<Test>,
}

impl ExtBuilder {
	/// A twin for `account`.
	pub fn with_twin(mut self, account: u64) -> Self {
		self.genesis.twins.push((account, None));
		self
	}

	/// A farm named `name`, owned by twin `twin_id`, with public IPs `ips` (gateway `.1`).
	pub fn with_farm(mut self, name: &str, twin_id: u32, ips: &[&str]) -> Self {
		let ips = ips
			.iter()
			.map(|ip| {
				let (net, _) = ip.rsplit_once('.').expect("test IPs are IPv4");
				(ip.to_string(), format!("{net}.1"))
			})
			.collect();
		self.genesis.farms.push(GenesisFarm { name: name.into(), twin_id, ips });
		self
	}

	/// A node on farm `farm_id` of twin `twin_id`, with [`capacity`].
	pub fn with_node(mut self, farm_id: u32, twin_id: u32) -> Self {
		self.genesis.nodes.push(GenesisNode { farm_id, twin_id, resources: capacity() });
		self
	}

	/// Twins 1 ([`FARMER`]), 2 ([`NODE_OWNER`]) and 3 ([`USER`]); farm 1 `farm-one` of twin 1
	/// with [`GRID_IPS`]; node 1 of twin 2 on farm 1.
	pub fn with_grid(self) -> Self {
		self.with_twin(FARMER)
			.with_twin(NODE_OWNER)
			.with_twin(USER)
			.with_farm("farm-one", 1, &GRID_IPS)
			.with_node(1, 2)
	}

	pub fn build(self) -> sp_io::TestExternalities {
		let balances = [FARMER, NODE_OWNER, USER, STRANGER]
			.into_iter()
			.map(|account| (account, ENDOWMENT))
			.chain([(POOR, poor_funds())])
			.collect();
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
			tfgrid_module: self.genesis,
		}
		.build_storage()
		.expect("the test genesis builds");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the registry's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			TfgridModule::do_try_state().expect("the registry's invariants hold after the test");
		});
	}
}

/// [`POOR`]'s funds: the deposits of a twin and a farm, the existential deposit, and a little
/// more, but less than any further deposit.
pub fn poor_funds() -> u64 {
	let existential: u64 = <Test as pallet_balances::Config>::ExistentialDeposit::get();
	TfgridModule::twin_deposit() + TfgridModule::farm_deposit() + existential + 10
}

/// [`FARMER`] invites twin `twin_id` to register a node on farm 1.
pub fn invite(twin_id: u32) {
	frame_support::assert_ok!(TfgridModule::invite_node(RuntimeOrigin::signed(FARMER), 1, twin_id));
}

/// `text` as the bounded bytes a call takes.
pub fn bounded<S: frame_support::traits::Get<u32>>(text: &str) -> frame_support::BoundedVec<u8, S> {
	text.as_bytes().to_vec().try_into().expect("the test text fits its bound")
}
