//! The runtime API nodes and user interfaces call to read contracts.

use crate::types::DeploymentMismatch;
use alloc::vec::Vec;
use codec::Codec;
use grid_primitives::{ContractId, DeploymentHash, NodeId, Resources, TwinId};

sp_api::decl_runtime_apis! {
	/// Read contracts, check a deployment a node received against its contract, and quote
	/// prices.
	pub trait SmartContractApi<Contract: Codec, Balance: Codec> {
		/// Live contract `contract_id`, if there is one.
		fn contract(contract_id: ContractId) -> Option<Contract>;

		/// Whether a deployment that node `node_id` received for contract `contract_id` from
		/// twin `twin_id`, with the hash `deployment_hash` the node computed, matches the contract
		/// on chain; if not, why not.
		fn check_deployment(
			node_id: NodeId,
			contract_id: ContractId,
			twin_id: TwinId,
			deployment_hash: DeploymentHash,
		) -> Result<(), DeploymentMismatch>;

		/// The live contracts of node `node_id` with their deployment hashes, one page of at
		/// most `limit` (1,000 at most). Pass `None` for the first page, then the last hash of
		/// the previous page.
		fn node_contracts(
			node_id: NodeId,
			after: Option<DeploymentHash>,
			limit: u32,
		) -> Vec<(ContractId, DeploymentHash)>;

		/// What a contract reserving `resources` with `ips` public IPs costs for one hour, in
		/// plancks of TFT, at the current pricing policy and TFT price; `None` while either is
		/// unset. This is the most its reports can bill an hour, traffic aside; traffic adds at
		/// most the constant `maxTrafficPerSecond` for each second, at the policy's price per
		/// GiB.
		fn hourly_quote(resources: Resources, ips: u32) -> Option<Balance>;
	}
}
