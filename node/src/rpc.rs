//! The node's RPC methods beyond Substrate's defaults: account nonces (`system_accountNextIndex`)
//! and fee queries (`payment_queryInfo`, `payment_queryFeeDetails`).

use std::sync::Arc;

use gridchain_runtime::{
	opaque::{Block, Hash},
	AccountId, Balance, Nonce,
};
use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call the runtime.
	pub client: Arc<C>,
	/// The transaction pool, to account for pending transactions in nonces.
	pub pool: Arc<P>,
}

/// The node's RPC extensions.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: sp_block_builder::BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool } = deps;
	let mut module = RpcModule::new(());
	module.merge(<System<P, C, Block> as SystemApiServer<Hash, AccountId, Nonce>>::into_rpc(
		System::new(client.clone(), pool),
	))?;
	module.merge(<TransactionPayment<C, Block> as TransactionPaymentApiServer<
		Hash,
		pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance>,
	>>::into_rpc(TransactionPayment::new(client)))?;
	Ok(module)
}
