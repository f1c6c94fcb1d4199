//! The runtime API nodes and user interfaces call to read contracts.

use crate::types::DeploymentMismatch;
use alloc::vec::Vec;
use codec::Codec;
use grid_primitives::{ContractId, DeploymentHash, NodeId, Resources, TwinId};

sp_api::decl_runtime_apis! {
	/// Read contracts, check a deployment a node received against its contract, and quote
	/// prices.
	pub trait SmartContractApi<Contract: Codec, Balance: Codec> {
		/// The live contract with this id, if there is one.
		fn contract(contract_id: ContractId) -> Option<Contract>;

		/// Whether a deployment a node received matches its contract on chain; if not, why not.
		/// `node_id` is the node, `contract_id` the contract the deployment came for, `twin_id`
		/// the twin that sent it, and `deployment_hash` the hash the node computed from it.
		fn check_deployment(
			node_id: NodeId,
			contract_id: ContractId,
			twin_id: TwinId,
			deployment_hash: DeploymentHash,
		) -> Result<(), DeploymentMismatch>;

		/// A node's live contracts with their deployment hashes, a page at a time.
		/// `node_id` is the node; a page holds at most `limit` (1,000 at most). Pass `None` as
		/// `after` for the first page, then the last hash of the previous page.
		fn node_contracts(
			node_id: NodeId,
			after: Option<DeploymentHash>,
			limit: u32,
		) -> Vec<(ContractId, DeploymentHash)>;

		/// What an hour of a contract costs, in plancks of TFT (10^7 a TFT): one that reserves
		/// `resources` with `ips` public IPs, at the current pricing policy and TFT price; `None`
		/// while either is unset. This is the most its reports can bill an hour, traffic aside; traffic adds at
		/// most the constant `maxTrafficPerSecond` for each second, at the policy's price per
		/// GiB.
		fn hourly_quote(resources: Resources, ips: u32) -> Option<Balance>;
	}
}
