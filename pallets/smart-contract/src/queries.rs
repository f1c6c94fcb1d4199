//! What the runtime API answers: nodes check deployments and list their contracts, users get
//! quotes.

use crate::{pallet::*, pricing::Usage, types::*};
use grid_primitives::{ContractId, DeploymentHash, NodeId, Resources, TwinId};

/// The most contracts one page of [`Pallet::node_contracts`] returns.
pub const MAX_NODE_CONTRACTS_PAGE: u32 = 1_000;

impl<T: Config> Pallet<T> {
	/// Live contract `contract_id` with its deployment data, public IPs and billing.
	pub fn contract_details(contract_id: ContractId) -> Option<ContractDetailsOf<T>> {
		let contract = Contracts::<T>::get(contract_id)?;
		let billing = Self::stored_billing(contract.node_id, contract_id).unwrap_or_default();
		let deployment = Deployments::<T>::get(contract_id).unwrap_or_default();
		Some(ContractDetails::new(contract, deployment, billing))
	}

	/// Whether a node received a deployment that matches live contract `contract_id`: it must
	/// be for node `node_id`, of twin `twin_id`, with deployment hash `deployment_hash`.
	pub fn check_deployment(
		node_id: NodeId,
		contract_id: ContractId,
		twin_id: TwinId,
		deployment_hash: DeploymentHash,
	) -> Result<(), DeploymentMismatch> {
		let contract =
			Contracts::<T>::get(contract_id).ok_or(DeploymentMismatch::ContractNotFound)?;
		if contract.node_id != node_id {
			return Err(DeploymentMismatch::WrongNode);
		}
		if contract.twin_id != twin_id {
			return Err(DeploymentMismatch::TwinMismatch);
		}
		if contract.deployment_hash != deployment_hash {
			return Err(DeploymentMismatch::HashMismatch);
		}
		Ok(())
	}

	/// The live contracts of node `node_id` with their deployment hashes, at most `limit` (and
	/// never more than [`MAX_NODE_CONTRACTS_PAGE`]) of them, starting after the contract with
	/// deployment hash `after` (the last hash of the previous page), or from the first.
	pub fn node_contracts(
		node_id: NodeId,
		after: Option<DeploymentHash>,
		limit: u32,
	) -> alloc::vec::Vec<(ContractId, DeploymentHash)> {
		let limit = limit.min(MAX_NODE_CONTRACTS_PAGE) as usize;
		let page = match after {
			Some(hash) => NodeContracts::<T>::iter_prefix_from(
				node_id,
				NodeContracts::<T>::hashed_key_for(node_id, hash),
			),
			None => NodeContracts::<T>::iter_prefix(node_id),
		};
		page.take(limit).map(|(hash, contract_id)| (contract_id, hash)).collect()
	}

	/// What `resources` and `ips` public IPs cost for an hour, in plancks; `None` while no
	/// pricing policy or TFT price is set.
	pub fn hourly_quote(resources: Resources, ips: u32) -> Option<BalanceOf<T>> {
		let (policy, tft_price) = Self::prices()?;
		let usage = Usage { resources, ips, nru: 0, seconds: 3_600 };
		Some(Self::price(&usage, &policy, tft_price))
	}
}
