//! Registry records for benchmarks: this pallet's own, and those of pallets that use the
//! registry (the contracts' benchmark helper calls these). Only in benchmark builds of the
//! runtime, where a failed set-up should panic.

use crate::{pallet::*, types::*};
use grid_primitives::{NodeId, Resources, TwinId};

impl<T: Config> Pallet<T> {
	/// Gives `who` a twin, if it has none, and returns its id.
	pub fn benchmark_twin(who: &T::AccountId) -> TwinId {
		TwinIdByAccount::<T>::get(who).unwrap_or_else(|| {
			Self::mint_deposit(who, Self::twin_deposit());
			Self::do_create_twin(who.clone(), None, None)
				.unwrap_or_else(|e| panic!("benchmark twin: {e:?}"))
		})
	}

	/// Registers a farm with `ips` free public IPs and a node on it run by `operator`, with the
	/// largest capacity a node may declare; returns the node's id.
	pub fn benchmark_node_with_ips(operator: &T::AccountId, ips: u32) -> NodeId {
		let farmer: T::AccountId =
			frame_benchmarking::account("grid-farmer", LastFarmId::<T>::get(), 0);
		Self::benchmark_twin(&farmer);
		let name = alloc::format!("bench-farm-{}", LastFarmId::<T>::get());
		let name = FarmNameOf::<T>::truncate_from(name.into_bytes());
		Self::mint_deposit(&farmer, Self::farm_deposit() + Self::ip_deposit() * ips.into());
		let farm_id =
			Self::do_create_farm(&farmer, name).unwrap_or_else(|e| panic!("benchmark farm: {e:?}"));
		for i in 0..ips {
			let ip = alloc::format!("185.206.{}.{}/16", 1 + i / 200, 10 + i % 200);
			let gateway = "185.206.0.1";
			if let Err(e) =
				Self::do_add_farm_ip(&farmer, farm_id, ip.as_bytes(), gateway.as_bytes())
			{
				panic!("benchmark IP {ip}: {e:?}");
			}
		}
		let operator_twin = Self::benchmark_twin(operator);
		Self::mint_deposit(&farmer, Self::invite_deposit());
		if let Err(e) = Self::do_invite_node(&farmer, farm_id, operator_twin) {
			panic!("benchmark invitation: {e:?}");
		}
		Self::mint_deposit(operator, Self::node_deposit());
		Self::do_create_node(operator, farm_id, bench_capacity())
			.unwrap_or_else(|e| panic!("benchmark node: {e:?}"))
	}

	/// Gives `who` the funds for a deposit of `amount` (and the existential deposit), leaving
	/// whatever else the benchmark gave the account as it was.
	fn mint_deposit(who: &T::AccountId, amount: BalanceOf<T>) {
		use frame_support::traits::fungible::{Inspect, Mutate};
		T::Currency::mint_into(who, amount + T::Currency::minimum_balance())
			.unwrap_or_else(|e| panic!("benchmark deposit funds: {e:?}"));
	}
}

/// The capacity of benchmark nodes: the largest a node may declare, so that the contracts of
/// the benchmarks fit.
pub(crate) fn bench_capacity() -> Resources {
	Resources {
		cru: Resources::MAX_CRU,
		sru: Resources::MAX_DISK,
		hru: Resources::MAX_DISK,
		mru: Resources::MAX_MRU,
	}
}
