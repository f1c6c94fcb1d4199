//! Benchmarks of the contracts' calls, each in its worst case: the most deployment data, and
//! `p` public IPs where the cost grows with them.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use grid_primitives::{deployment_hash, ContractId, GridBenchmarkHelper, NodeId};
use sp_runtime::traits::Bounded;

/// An account with a twin and funds for any deposit.
fn funded_user<T: Config>() -> T::AccountId {
	let user: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::twin(&user);
	T::Currency::set_balance(&user, BalanceOf::<T>::max_value() / 4u32.into());
	user
}

/// A node run by a fresh operator, on a farm with `ips` free public IPs.
fn node<T: Config>(ips: u32) -> (T::AccountId, NodeId) {
	let operator: T::AccountId = account("operator", 0, 0);
	let node_id = T::BenchmarkHelper::node_with_ips(&operator, ips);
	(operator, node_id)
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
		ips,
	)
	.unwrap_or_else(|e| panic!("benchmark contract: {e:?}"))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_node_contract(p: Linear<0, { T::MaxPublicIps::get() }>) {
		let user = funded_user::<T>();
		let (_, node_id) = node::<T>(T::MaxPublicIps::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(user), node_id, deployment_hash(b"v1"), largest_data::<T>(), p);

		let contract = Contracts::<T>::get(1).unwrap_or_else(|| panic!("contract 1 exists"));
		assert_eq!(contract.public_ips_list.len() as u32, p);
	}

	/// Replaces a deployment with another hash and grows the deposit.
	#[benchmark]
	fn update_node_contract() {
		let user = funded_user::<T>();
		let (_, node_id) = node::<T>(0);
		let contract_id = Pallet::<T>::do_create_node_contract(
			&user,
			node_id,
			deployment_hash(b"v1"),
			Default::default(),
			0,
		)
		.unwrap_or_else(|e| panic!("benchmark contract: {e:?}"));

		#[extrinsic_call]
		_(RawOrigin::Signed(user), contract_id, deployment_hash(b"v2"), largest_data::<T>());

		assert_eq!(NodeContracts::<T>::get(node_id, deployment_hash(b"v2")), Some(contract_id));
	}

	#[benchmark]
	fn confirm_deployment() {
		let user = funded_user::<T>();
		let (operator, node_id) = node::<T>(0);
		let contract_id = contract::<T>(&user, node_id, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), contract_id, deployment_hash(b"v1"));

		assert_eq!(
			Contracts::<T>::get(contract_id).map(|c| c.state),
			Some(ContractState::Deployed)
		);
	}

	/// Cancelled by the node, which costs one more look-up than the owner does.
	#[benchmark]
	fn cancel_contract(p: Linear<0, { T::MaxPublicIps::get() }>) {
		let user = funded_user::<T>();
		let (operator, node_id) = node::<T>(T::MaxPublicIps::get());
		let contract_id = contract::<T>(&user, node_id, p);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), contract_id);

		assert!(!Contracts::<T>::contains_key(contract_id));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::build(), crate::mock::Test);
}
