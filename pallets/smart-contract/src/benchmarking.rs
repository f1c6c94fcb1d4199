//! Benchmarks of the contracts' calls, each in its worst case: the most deployment data, and
//! `p` public IPs where the cost grows with them.

use super::*;
use alloc::{collections::BTreeMap, vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::UnixTime;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get, Hooks};
use frame_support::BoundedVec;
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use grid_primitives::{deployment_hash, ContractId, NodeId, Resources, GIB};
use sp_runtime::traits::Zero;
use sp_runtime::{
	traits::{Bounded, One, Saturating},
	SaturatedConversion,
};

/// The caller, with a twin and funds for any deposit. Its account is whitelisted: the
/// transaction's fee reads and writes it anyway.
fn funded_user<T: Config>() -> T::AccountId {
	let user: T::AccountId = whitelisted_caller();
	fund::<T>(&user);
	user
}

/// A contract owner who does not sign the call, with a twin and funds for any deposit: the
/// call's reads and writes of this account count.
fn funded_owner<T: Config>() -> T::AccountId {
	let owner: T::AccountId = account("contract-owner", 0, 0);
	fund::<T>(&owner);
	owner
}

fn fund<T: Config>(who: &T::AccountId) {
	T::BenchmarkHelper::twin(who);
	T::Currency::set_balance(who, rich::<T>());
}

/// A balance that pays any deposit and many bills: 10^18 plancks.
fn rich<T: Config>() -> BalanceOf<T> {
	1_000_000_000_000_000_000u128.saturated_into()
}

/// The time the benchmarks run at: 2023-11-14.
const BENCHMARK_TIME: u64 = 1_700_000_000;

/// Past genesis, at a known time.
fn past_genesis<T: Config>() {
	if frame_system::Pallet::<T>::block_number().is_zero() {
		frame_system::Pallet::<T>::set_block_number(One::one());
	}
	T::BenchmarkHelper::set_time(BENCHMARK_TIME);
}

/// Prices in force since `since`, after [`EARLIER_PRICES`] earlier changes: the earlier prices
/// are full, and a window ending before `since` is billed at them.
fn prices_changed_at<T: Config>(since: u64) {
	let current = CurrentPrices::<T>::get();
	let earlier = (0..EARLIER_PRICES)
		.map(|i| PricesOf::<T> { since: u64::from(i), ..current })
		.collect::<alloc::vec::Vec<_>>();
	EarlierPrices::<T>::put(BoundedVec::truncate_from(earlier));
	CurrentPrices::<T>::put(PricesOf::<T> { since, ..current });
}

/// A pricing policy in force that charges every bill at once: a report that charges its
/// owner costs more than one whose bill is added up for later.
fn charge_every_window<T: Config>() {
	CurrentPrices::<T>::mutate(|prices| {
		if let Some(policy) = prices.policy.as_mut() {
			policy.charge_interval = 1;
		}
	});
}

/// A node run by a fresh operator, on a farm with `ips` free public IPs, its billing entry
/// [`crowded`].
fn node<T: Config>(ips: u32) -> (T::AccountId, NodeId) {
	past_genesis::<T>();
	let operator: T::AccountId = account("operator", 0, 0);
	let node_id = T::BenchmarkHelper::node_with_ips(&operator, ips);
	crowded::<T>(node_id);
	(operator, node_id)
}

/// Fills node `node_id`'s entry of [`NodeBilling`] with the billing of contracts that do not
/// exist (ids from the largest down, which no contract reaches), leaving room for
/// `MaxReports` contracts and one more: every call that reads and writes a node's billing is
/// timed with the entry as large as the benchmark's contracts let it be.
fn crowded<T: Config>(node_id: NodeId) {
	let room = T::MaxReports::get().saturating_add(1);
	let fillers = T::MaxContractsPerNode::get().saturating_sub(room);
	let largest = Billing { billed_until: u64::MAX, debt: BalanceOf::<T>::max_value() };
	let entries = (0..u64::from(fillers)).map(|i| (ContractId::MAX - i, largest));
	let Ok(node_billing) = NodeBillingOf::<T>::try_from(entries.collect::<BTreeMap<_, _>>()) else {
		panic!("fewer than MaxContractsPerNode")
	};
	NodeBilling::<T>::insert(node_id, node_billing);
}

/// Changes contract `contract_id`'s billing with `change`.
fn change_billing<T: Config>(contract_id: ContractId, change: impl FnOnce(&mut BillingOf<T>)) {
	let Some(contract) = Contracts::<T>::get(contract_id) else { panic!("the contract") };
	Pallet::<T>::try_mutate_billing(contract.node_id, contract_id, |billing| {
		change(billing);
		Ok(())
	})
	.unwrap_or_else(|e| panic!("its billing: {e:?}"));
}

/// What each benchmark contract reserves: a core and a GiB of each other resource, so that
/// `MaxReports` of them fit on one node.
fn reservation() -> Resources {
	Resources { cru: 1, sru: GIB, hru: GIB, mru: GIB }
}

fn largest_data<T: Config>() -> DeploymentDataOf<T> {
	DeploymentDataOf::<T>::truncate_from(vec![0xab; T::MaxDeploymentDataLength::get() as usize])
}

/// A contract of `user` on `node_id` holding `ips` public IPs, with the most data.
fn contract<T: Config>(user: &T::AccountId, node_id: NodeId, ips: u32) -> ContractId {
	Pallet::<T>::do_create_node_contract(
		user,
		node_id,
		deployment_hash(b"v1"),
		largest_data::<T>(),
		reservation(),
		ips,
	)
	.unwrap_or_else(|e| panic!("benchmark contract: {e:?}"))
}

/// Moves the time contract `contract_id` is billed up to an hour back, so confirming or
/// cancelling it bills its IPs.
fn an_hour_unbilled<T: Config>(contract_id: ContractId) {
	change_billing::<T>(contract_id, |billing| {
		billing.billed_until = T::UnixTime::now().as_secs().saturating_sub(3_600);
	});
}

/// The `i`th owner's contract, on a node of its own, holding the most public IPs used for an
/// hour since the last report, in a grace period that ends at block `ends` with a debt its
/// owner cannot pay; returns the contract and its node.
fn unpayable_at<T: Config>(i: u32, ends: BlockNumberFor<T>) -> (ContractId, NodeId) {
	let owner: T::AccountId = account("owner", i, 0);
	fund::<T>(&owner);
	let operator: T::AccountId = account("grace-operator", i, 0);
	let node_id = T::BenchmarkHelper::node_with_ips(&operator, T::MaxPublicIps::get());
	crowded::<T>(node_id);
	let contract_id = contract::<T>(&owner, node_id, T::MaxPublicIps::get());
	in_grace::<T>(&operator, contract_id, ends);
	an_hour_unbilled::<T>(contract_id);
	change_billing::<T>(contract_id, |billing| {
		billing.debt = BalanceOf::<T>::max_value() / 2u32.into();
	});
	(contract_id, node_id)
}

/// Deploys contract `contract_id`, as its node `operator`.
fn deployed<T: Config>(operator: &T::AccountId, contract_id: ContractId) {
	if let Err(e) = Pallet::<T>::do_confirm_deployment(
		operator,
		contract_id,
		deployment_hash_of::<T>(contract_id),
	) {
		panic!("benchmark confirmation: {e:?}");
	}
}

/// Deploys contract `contract_id` (as its node) and puts it in its grace period with a debt,
/// ending at block `ends`.
fn in_grace<T: Config>(operator: &T::AccountId, contract_id: ContractId, ends: BlockNumberFor<T>) {
	deployed::<T>(operator, contract_id);
	Contracts::<T>::mutate(contract_id, |contract| {
		if let Some(contract) = contract {
			contract.state =
				ContractState::GracePeriod { since: Zero::zero(), ends, confirmed: true };
		}
	});
	change_billing::<T>(contract_id, |billing| billing.debt = 1_000u32.into());
	Deadlines::<T>::insert(ends, contract_id, ());
}

/// The live copies of the hook's benchmarks share a node a hundred at a time (fewer if a node
/// may not run so many), their nodes numbered after the template's: the `i`th copy's node.
fn live_node<T: Config>(template: &ContractOf<T>, i: u64) -> NodeId {
	let per_node = u64::from(T::MaxContractsPerNode::get().clamp(1, 100));
	template.node_id.saturating_add(1).saturating_add((i / per_node).saturated_into())
}

/// The next block, and the contract whose grace period ends in it and whose owner cannot pay.
fn due_next_block<T: Config>() -> (BlockNumberFor<T>, ContractOf<T>) {
	past_genesis::<T>();
	let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
	let (due, _) = unpayable_at::<T>(0, next);
	let Some(contract) = Contracts::<T>::get(due) else { panic!("the due contract") };
	(next, contract)
}

/// Contract `id` on node `node_id`, deployed, like `template` but without deployment data,
/// public IPs or reserved resources: the smallest live contract (its deployment is empty).
fn live_copy<T: Config>(
	template: &ContractOf<T>,
	id: ContractId,
	node_id: NodeId,
) -> ContractOf<T> {
	let mut live = template.clone();
	live.contract_id = id;
	live.node_id = node_id;
	live.resources = Resources::default();
	live.deployment_hash = deployment_hash(&id.to_le_bytes());
	live.public_ips = 0;
	live.state = ContractState::Deployed;
	live
}

fn deployment_hash_of<T: Config>(contract_id: ContractId) -> grid_primitives::DeploymentHash {
	Contracts::<T>::get(contract_id).map(|c| c.deployment_hash).unwrap_or_default()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_node_contract(p: Linear<0, { T::MaxPublicIps::get() }>) {
		let user = funded_user::<T>();
		let (_, node_id) = node::<T>(T::MaxPublicIps::get());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(user),
			node_id,
			deployment_hash(b"v1"),
			largest_data::<T>(),
			reservation(),
			p,
		);

		let deployment = Deployments::<T>::get(LastContractId::<T>::get())
			.unwrap_or_else(|| panic!("the contract exists"));
		assert_eq!(deployment.public_ips.len() as u32, p);
	}

	/// Replaces a deployment with another hash, grows the deposit and changes the reservation.
	#[benchmark]
	fn update_node_contract() {
		let user = funded_user::<T>();
		let (_, node_id) = node::<T>(0);
		let contract_id = Pallet::<T>::do_create_node_contract(
			&user,
			node_id,
			deployment_hash(b"v1"),
			Default::default(),
			Resources::default(),
			0,
		)
		.unwrap_or_else(|e| panic!("benchmark contract: {e:?}"));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(user),
			contract_id,
			deployment_hash(b"v2"),
			largest_data::<T>(),
			reservation(),
		);

		assert_eq!(NodeContracts::<T>::get(node_id, deployment_hash(b"v2")), Some(contract_id));
	}

	/// The first confirmation, an hour after the contract was created with the most public
	/// IPs: the owner pays for the IPs' hour.
	#[benchmark]
	fn confirm_deployment() {
		let user = funded_owner::<T>();
		let (operator, node_id) = node::<T>(T::MaxPublicIps::get());
		let contract_id = contract::<T>(&user, node_id, T::MaxPublicIps::get());
		an_hour_unbilled::<T>(contract_id);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), contract_id, deployment_hash(b"v1"));

		assert_eq!(
			Contracts::<T>::get(contract_id).map(|c| c.state),
			Some(ContractState::Deployed)
		);
		assert!(!TotalBurned::<T>::get().is_zero());
	}

	/// Cancelled by the node, which costs one more look-up than the owner does, with nothing
	/// to bill: not confirmed yet, and created in the same second.
	#[benchmark]
	fn cancel_contract(p: Linear<0, { T::MaxPublicIps::get() }>) {
		let user = funded_owner::<T>();
		let (operator, node_id) = node::<T>(T::MaxPublicIps::get());
		let contract_id = contract::<T>(&user, node_id, p);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), contract_id);

		assert!(!Contracts::<T>::contains_key(contract_id));
	}

	/// Cancelled by the node, with a bill to settle: in its grace period with a debt, and its
	/// IPs used for an hour since the last report; the owner pays it all.
	#[benchmark]
	fn cancel_billed_contract(p: Linear<0, { T::MaxPublicIps::get() }>) {
		let user = funded_owner::<T>();
		let (operator, node_id) = node::<T>(T::MaxPublicIps::get());
		let contract_id = contract::<T>(&user, node_id, p);
		in_grace::<T>(&operator, contract_id, One::one());
		an_hour_unbilled::<T>(contract_id);

		#[extrinsic_call]
		cancel_contract(RawOrigin::Signed(operator), contract_id);

		assert!(!Contracts::<T>::contains_key(contract_id));
		assert!(!TotalBurned::<T>::get().is_zero());
	}

	/// `p + s + g` reports billing a window ended before the prices in force took effect: it
	/// is billed at earlier ones. The first `p` reports are each for a contract of another
	/// owner, who pays the window. The next `g` contracts, each of another owner too, are in
	/// their grace period, and their owners can pay again: those reports pay the debt and the
	/// window and end the grace period. The last `s` contracts are all of one more owner, who
	/// pays each window: the first of those reports reads the owner's account, the others
	/// find the owner charged before in the batch. Every window is charged
	/// ([`charge_every_window`]); a report whose bill is added up for later costs less than
	/// any of these, and is counted with the `s` reports.
	#[benchmark]
	fn add_consumption_reports(
		p: Linear<0, { T::MaxReports::get() / 3 }>,
		s: Linear<0, { T::MaxReports::get() / 3 }>,
		g: Linear<0, { T::MaxReports::get() / 3 }>,
	) {
		let (operator, node_id) = node::<T>(0);
		let window_end = T::UnixTime::now().as_secs().saturating_add(T::MaxReportDrift::get());
		let distinct_owners = p.saturating_add(g);
		let mut reports = ReportsOf::<T>::default();
		for i in 0..distinct_owners.saturating_add(s).max(1) {
			let user: T::AccountId = account("reporter", i.min(distinct_owners), 0);
			if i <= distinct_owners {
				fund::<T>(&user);
			}
			let contract_id = Pallet::<T>::do_create_node_contract(
				&user,
				node_id,
				deployment_hash(&i.to_le_bytes()),
				largest_data::<T>(),
				reservation(),
				0,
			)
			.unwrap_or_else(|e| panic!("benchmark contract: {e:?}"));
			if i < p || i >= distinct_owners {
				deployed::<T>(&operator, contract_id);
			} else {
				in_grace::<T>(&operator, contract_id, One::one());
			}
			let report = ConsumptionReport {
				contract_id,
				timestamp: window_end,
				cru: 1,
				sru: 1 << 30,
				hru: 1 << 30,
				mru: 1 << 30,
				nru: 1 << 30,
			};
			if reports.try_push(report).is_err() {
				panic!("p + s + g is at most MaxReports");
			}
		}
		charge_every_window::<T>();
		prices_changed_at::<T>(window_end.saturating_add(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), reports);

		assert_eq!(Deadlines::<T>::iter().count(), 0);
	}

	/// Paid by someone other than the owner (anyone may call it), so the owner's account counts.
	#[benchmark]
	fn settle_debt() {
		let user = funded_owner::<T>();
		let (operator, node_id) = node::<T>(0);
		let contract_id = contract::<T>(&user, node_id, 0);
		in_grace::<T>(&operator, contract_id, One::one());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), contract_id);

		assert_eq!(
			Contracts::<T>::get(contract_id).map(|c| c.state),
			Some(ContractState::Deployed)
		);
	}

	/// Repaid by the twin, to a farm that still exists.
	#[benchmark]
	fn repay_written_off_debt() {
		let user = funded_user::<T>();
		let (_, node_id) = node::<T>(0);
		let contract_id = contract::<T>(&user, node_id, 0);
		let Some(contract) = Contracts::<T>::get(contract_id) else { panic!("the contract") };
		WrittenOffDebts::<T>::insert(
			contract.twin_id,
			contract.farm_id,
			BalanceOf::<T>::from(1_000u32),
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(user), contract.farm_id);

		assert!(!WrittenOffDebts::<T>::contains_key(contract.twin_id, contract.farm_id));
	}

	/// With the earlier prices full, the oldest is dropped.
	#[benchmark]
	fn set_pricing_policy() -> Result<(), BenchmarkError> {
		past_genesis::<T>();
		prices_changed_at::<T>(BENCHMARK_TIME);
		T::BenchmarkHelper::set_time(BENCHMARK_TIME.saturating_add(1));
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let policy = crate::pricing::PricingPolicy {
			cu: 1,
			su: 1,
			ipv4: 1,
			nu: 1,
			farmer_share: Default::default(),
			foundation_share: Default::default(),
			grace_period: One::one(),
			deployment_timeout: One::one(),
			charge_interval: 1,
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy);

		assert_eq!(CurrentPrices::<T>::get().policy, Some(policy));
		Ok(())
	}

	/// With the earlier prices full, the oldest is dropped.
	#[benchmark]
	fn set_tft_price() -> Result<(), BenchmarkError> {
		past_genesis::<T>();
		prices_changed_at::<T>(BENCHMARK_TIME);
		T::BenchmarkHelper::set_time(BENCHMARK_TIME.saturating_add(1));
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 12_345);

		assert_eq!(CurrentPrices::<T>::get().tft_price, 12_345);
		Ok(())
	}

	/// The oracle's price is fresh and moves the price in force by the most a step allows;
	/// the earlier prices are full, and the oldest is dropped.
	#[benchmark]
	fn follow_tft_price_feed() {
		past_genesis::<T>();
		prices_changed_at::<T>(BENCHMARK_TIME);
		T::BenchmarkHelper::set_time(BENCHMARK_TIME.saturating_add(1));
		let before = CurrentPrices::<T>::get().tft_price;
		T::BenchmarkHelper::set_tft_price_feed(before.saturating_mul(2));

		#[block]
		{
			Pallet::<T>::do_follow_tft_price_feed();
		}

		assert!(CurrentPrices::<T>::get().tft_price > before);
	}

	/// The hook cancels `c` contracts out of funds, each holding the most public IPs used for
	/// an hour since the last report. A contract that expires, not confirmed by its node, costs
	/// less: the same cancellation, without first trying to collect its debt.
	#[benchmark]
	fn handle_deadlines(c: Linear<0, { T::MaxDeadlinesPerBlock::get() }>) {
		past_genesis::<T>();
		let now = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		for i in 0..c {
			unpayable_at::<T>(i, now);
		}
		DeadlineCursor::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert_eq!(Contracts::<T>::iter().count(), 0);
	}

	/// Not part of the weights (`extra`): shows that the hook's cost does not grow with the
	/// number of live contracts. `l` live contracts, one in a hundred in a grace period that
	/// ends in a later block, and one whose grace period ends now and whose owner cannot pay.
	/// At most 100,000: the benchmark's in-memory database takes longer than a run to set up
	/// beyond that (`scripts/benchmark.sh hook` times the hook at 1,000,000 on ParityDB).
	#[benchmark(extra)]
	fn end_grace_periods_among_live_contracts(l: Linear<100, 100_000>) {
		let (now, template) = due_next_block::<T>();
		let due = template.contract_id;
		let Some(template_billing) = Pallet::<T>::stored_billing(template.node_id, due) else {
			panic!("its billing")
		};
		for i in 0..u64::from(l) {
			let id = due + 1 + i;
			let node_id = live_node::<T>(&template, i);
			let mut live = live_copy::<T>(&template, id, node_id);
			let mut billing = Billing { debt: Zero::zero(), ..template_billing };
			if i % 100 == 0 {
				let ends = now
					.saturating_add(One::one())
					.saturating_add(((i / 100) % 100).saturated_into());
				live.state = ContractState::GracePeriod { since: now, ends, confirmed: true };
				billing.debt = template_billing.debt;
				Deadlines::<T>::insert(ends, id, ());
			}
			NodeContracts::<T>::insert(node_id, live.deployment_hash, id);
			NodeBilling::<T>::mutate(node_id, |node_billing| {
				let entry = node_billing.get_or_insert_with(Default::default);
				if entry.try_insert(id, billing).is_err() {
					panic!("live_node puts no more than MaxContractsPerNode on a node");
				}
			});
			Contracts::<T>::insert(id, live);
			Deployments::<T>::insert(id, DeploymentOf::<T>::default());
		}
		LastContractId::<T>::put(due + u64::from(l));
		DeadlineCursor::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert!(!Contracts::<T>::contains_key(due));
		assert!(Contracts::<T>::contains_key(due + u64::from(l)));
	}

	/// Not part of the weights (`extra`): the control for the benchmark above. The same hook
	/// ending the same contract, beside the bytes of `l` live contracts, their deployments,
	/// their index entries and their nodes' billing written under keys that no pallet reads.
	/// Whatever time it gains from 100 to 100,000 is the benchmark's database growing, not
	/// the hook's work.
	#[benchmark(extra)]
	fn end_grace_periods_beside_unrelated_storage(l: Linear<100, 100_000>) {
		let (now, template) = due_next_block::<T>();
		let due = template.contract_id;
		let Some(template_billing) = Pallet::<T>::stored_billing(template.node_id, due) else {
			panic!("its billing")
		};
		let mut node_billing = NodeBillingOf::<T>::default();
		for i in 0..u64::from(l) {
			let id = due + 1 + i;
			let key = |kind: &[u8], key: u64| {
				[b"benchmark:unrelated:", kind, &key.to_le_bytes()].concat()
			};
			let node_id = live_node::<T>(&template, i);
			let record = live_copy::<T>(&template, id, node_id);
			frame_support::storage::unhashed::put_raw(&key(b"record", id), &record.encode());
			frame_support::storage::unhashed::put_raw(
				&key(b"deployment", id),
				&DeploymentOf::<T>::default().encode(),
			);
			frame_support::storage::unhashed::put_raw(&key(b"index", id), &id.encode());
			if node_billing.try_insert(id, template_billing).is_err() {
				panic!("live_node puts no more than MaxContractsPerNode on a node");
			}
			if i + 1 == u64::from(l) || live_node::<T>(&template, i + 1) != node_id {
				let billing = core::mem::take(&mut node_billing);
				let node_key = key(b"billing", node_id.into());
				frame_support::storage::unhashed::put_raw(&node_key, &billing.encode());
			}
		}
		DeadlineCursor::<T>::put(now);

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}

		assert!(!Contracts::<T>::contains_key(due));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
