//! A typed connection to the chain: one function per call and query of the grid's pallets.
//!
//! Calls are signed by an sr25519 key pair and wait for their block to be finalized (or only
//! included: [`Client::wait_for`]); a refused call is an [`Error::Refused`] with the pallet's
//! error name and doc line. Queries read the last finalized block. The types come from the
//! runtime this workspace builds (`crate::runtime`, generated at build time).

use crate::{
	runtime::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			grid_primitives::Resources,
			pallet_smart_contract::types::{ConsumptionReport, DeploymentMismatch},
		},
	},
	Error,
};
use std::sync::Arc;
use subxt::{
	storage::Address,
	transactions::{Payload, TransactionStatus},
	utils::{AccountId32, H256},
	OnlineClient,
};
use subxt_signer::sr25519::Keypair;

/// The chain's configuration for subxt: Substrate's defaults (32-byte accounts, multi-address,
/// multi-signature, BLAKE2 hashes), which the runtime uses.
pub type Config = subxt::SubstrateConfig;
/// A client pinned at one block.
pub type AtBlock = subxt::OnlineClientAtBlock<Config>;
/// The events of one included transaction.
pub type Events = subxt::extrinsics::ExtrinsicEvents<Config>;
/// A contract with its deployment, as the runtime API returns it.
pub type Contract = runtime::runtime_types::pallet_smart_contract::types::ContractDetails<
	AccountId32,
	BoundedVec<u8>,
	BoundedVec<runtime::runtime_types::grid_primitives::ip::PublicIp>,
	u128,
	u32,
>;
/// A twin.
pub type Twin = runtime::runtime_types::pallet_tfgrid::types::Twin<
	AccountId32,
	BoundedVec<u8>,
	BoundedVec<u8>,
	u128,
>;
/// A farm.
pub type Farm =
	runtime::runtime_types::pallet_tfgrid::types::Farm<AccountId32, BoundedVec<u8>, u128>;
/// A node.
pub type Node = runtime::runtime_types::pallet_tfgrid::types::Node<AccountId32, u128>;

/// The node's own RPC methods, for what subxt reads at a block rather than from the node's pool.
type Rpc = subxt::rpcs::LegacyRpcMethods<subxt::config::RpcConfigFor<Config>>;

/// How long a call waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
	/// Until the call is in a block of the best chain (a few seconds; the block may still be
	/// replaced).
	InBlock,
	/// Until that block is finalized (the default).
	Finalized,
}

/// Where an included call is.
pub struct Included {
	/// The block's number.
	pub block_number: u64,
	/// The block's hash.
	pub block_hash: H256,
	/// The call's events.
	pub events: Events,
}

/// The value at a storage address of block `at`, if any.
pub async fn fetch<Addr: Address>(
	at: &AtBlock,
	address: Addr,
	key: Addr::KeyParts,
) -> Result<Option<Addr::Value>, Error> {
	let value = at.storage().try_fetch(address, key).await?;
	Ok(value.map(|value| value.decode()).transpose()?)
}

/// Told each step of a call's way: submitted, in a block, finalized.
pub type Progress = Arc<dyn Fn(&str) + Send + Sync>;

/// A connection to one node of the chain.
#[derive(Clone)]
pub struct Client {
	api: OnlineClient<Config>,
	rpc: Rpc,
	url: String,
	wait: Wait,
	progress: Progress,
}

impl Client {
	/// Connects to the first of `urls` that answers. Plain `ws://` is accepted only on the
	/// loopback interface; elsewhere use `wss://`.
	pub async fn connect(urls: &[String]) -> Result<Self, Error> {
		let mut failures = Vec::new();
		for url in urls {
			match Self::connect_to(url).await {
				Ok((api, rpc)) => {
					return Ok(Self {
						api,
						rpc,
						url: url.clone(),
						wait: Wait::Finalized,
						progress: Arc::new(|_| ()),
					})
				}
				Err(error) => failures.push(format!("{url}: {error}")),
			}
		}
		Err(Error::Chain(format!("no endpoint answered ({})", failures.join("; "))))
	}

	async fn connect_to(url: &str) -> Result<(OnlineClient<Config>, Rpc), Error> {
		let rpc = subxt::rpcs::RpcClient::from_url(url).await?;
		let api = OnlineClient::<Config>::from_rpc_client(rpc.clone()).await?;
		Ok((api, Rpc::new(rpc)))
	}

	/// This client, waiting for `wait` after each call.
	pub fn wait_for(mut self, wait: Wait) -> Self {
		self.wait = wait;
		self
	}

	/// This client, telling `progress` each step of its calls.
	pub fn with_progress(mut self, progress: Progress) -> Self {
		self.progress = progress;
		self
	}

	/// The endpoint this client is connected to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The subxt client, for what this library has no function for.
	pub fn api(&self) -> &OnlineClient<Config> {
		&self.api
	}

	/// The chain's genesis hash: what deployment requests sign.
	pub fn genesis_hash(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// The last finalized block, to read from.
	pub async fn at_finalized(&self) -> Result<AtBlock, Error> {
		Ok(self.api.at_current_block().await?)
	}

	/// Signs `call` with `signer`, submits it and waits for it as [`Client::wait_for`] says.
	pub async fn submit<Call: Payload>(
		&self,
		call: Call,
		signer: &Keypair,
	) -> Result<Included, Error> {
		// The next nonce as the node's pool knows it: the finalized block's state does not count
		// calls still waiting there or only in a best block.
		let nonce =
			self.rpc.system_account_next_index(&signer.public_key().to_account_id()).await?;
		let params =
			subxt::config::DefaultExtrinsicParamsBuilder::<Config>::new().nonce(nonce).build();
		let at = self.at_finalized().await?;
		let mut status =
			at.transactions().sign_and_submit_then_watch(&call, signer, params).await?;
		(self.progress)(&format!("submitted {:?}, waiting for a block", status.extrinsic_hash()));
		while let Some(step) = status.next().await {
			let block = match step? {
				TransactionStatus::InBestBlock(block) if self.wait == Wait::InBlock => block,
				TransactionStatus::InBestBlock(block) => {
					(self.progress)(&format!(
						"in block {:?}, waiting for finality",
						block.block_hash()
					));
					continue;
				}
				TransactionStatus::InFinalizedBlock(block) => block,
				TransactionStatus::NoLongerInBestBlock => {
					(self.progress)("its block was replaced, waiting for another");
					continue;
				}
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => return Err(Error::Transaction(message)),
				TransactionStatus::Validated | TransactionStatus::Broadcasted => continue,
			};
			let events = block.wait_for_success().await?;
			let block_number = block.at().await?.block_number();
			(self.progress)(&format!("included in block #{block_number}"));
			return Ok(Included { block_number, block_hash: block.block_hash(), events });
		}
		Err(Error::Chain("the node stopped telling the transaction's status".into()))
	}

	/// The value at a storage address of the last finalized block, if any.
	pub async fn get<Addr: Address>(
		&self,
		address: Addr,
		key: Addr::KeyParts,
	) -> Result<Option<Addr::Value>, Error> {
		fetch(&self.at_finalized().await?, address, key).await
	}

	// ---- tfgridModule: twins, farms, public IPs, nodes -------------------------------------

	/// `tfgridModule.createTwin`: the signer's twin, with its relay and X25519 public key.
	/// Returns the twin's id.
	pub async fn create_twin(
		&self,
		signer: &Keypair,
		relay: Option<Vec<u8>>,
		pk: Option<Vec<u8>>,
	) -> Result<u32, Error> {
		let call =
			runtime::tx().tfgrid_module().create_twin(relay.map(BoundedVec), pk.map(BoundedVec));
		let included = self.submit(call, signer).await?;
		event::<runtime::tfgrid_module::events::TwinCreated>(&included).map(|event| event.twin_id)
	}

	/// `tfgridModule.updateTwin`: a new relay and public key for the signer's twin.
	pub async fn update_twin(
		&self,
		signer: &Keypair,
		relay: Option<Vec<u8>>,
		pk: Option<Vec<u8>>,
	) -> Result<Included, Error> {
		let call =
			runtime::tx().tfgrid_module().update_twin(relay.map(BoundedVec), pk.map(BoundedVec));
		self.submit(call, signer).await
	}

	/// `tfgridModule.deleteTwin`: deletes the signer's twin; its deposit comes back.
	pub async fn delete_twin(&self, signer: &Keypair) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().delete_twin(), signer).await
	}

	/// `tfgridModule.createFarm`: a farm owned by the signer's twin. Returns the farm's id.
	pub async fn create_farm(&self, signer: &Keypair, name: &str) -> Result<u32, Error> {
		let call = runtime::tx().tfgrid_module().create_farm(BoundedVec(name.as_bytes().to_vec()));
		let included = self.submit(call, signer).await?;
		event::<runtime::tfgrid_module::events::FarmCreated>(&included).map(|event| event.farm_id)
	}

	/// `tfgridModule.deleteFarm`.
	pub async fn delete_farm(&self, signer: &Keypair, farm_id: u32) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().delete_farm(farm_id), signer).await
	}

	/// `tfgridModule.addFarmIp`: a public IP (`185.206.123.10/24`) and its gateway.
	pub async fn add_farm_ip(
		&self,
		signer: &Keypair,
		farm_id: u32,
		ip: &str,
		gateway: &str,
	) -> Result<Included, Error> {
		let call = runtime::tx().tfgrid_module().add_farm_ip(
			farm_id,
			BoundedVec(ip.as_bytes().to_vec()),
			BoundedVec(gateway.as_bytes().to_vec()),
		);
		self.submit(call, signer).await
	}

	/// `tfgridModule.removeFarmIp`: a free public IP of the farm (`185.206.123.10`).
	pub async fn remove_farm_ip(
		&self,
		signer: &Keypair,
		farm_id: u32,
		ip: &str,
	) -> Result<Included, Error> {
		let call = runtime::tx()
			.tfgrid_module()
			.remove_farm_ip(farm_id, BoundedVec(ip.as_bytes().to_vec()));
		self.submit(call, signer).await
	}

	/// `tfgridModule.inviteNode`: lets `twin_id` register a node on the farm.
	pub async fn invite_node(
		&self,
		signer: &Keypair,
		farm_id: u32,
		twin_id: u32,
	) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().invite_node(farm_id, twin_id), signer).await
	}

	/// `tfgridModule.revokeNodeInvite`.
	pub async fn revoke_node_invite(
		&self,
		signer: &Keypair,
		farm_id: u32,
		twin_id: u32,
	) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().revoke_node_invite(farm_id, twin_id), signer)
			.await
	}

	/// `tfgridModule.createNode`: the signer's twin's node on a farm that invited it, with its
	/// capacity. Returns the node's id.
	pub async fn create_node(
		&self,
		signer: &Keypair,
		farm_id: u32,
		resources: Resources,
	) -> Result<u32, Error> {
		let included = self
			.submit(runtime::tx().tfgrid_module().create_node(farm_id, resources), signer)
			.await?;
		event::<runtime::tfgrid_module::events::NodeCreated>(&included).map(|event| event.node_id)
	}

	/// `tfgridModule.updateNode`: the node's new capacity.
	pub async fn update_node(
		&self,
		signer: &Keypair,
		node_id: u32,
		resources: Resources,
	) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().update_node(node_id, resources), signer).await
	}

	/// `tfgridModule.deleteNode`.
	pub async fn delete_node(&self, signer: &Keypair, node_id: u32) -> Result<Included, Error> {
		self.submit(runtime::tx().tfgrid_module().delete_node(node_id), signer).await
	}

	/// `tfgridModule.twinIdByAccount`: the twin of an account.
	pub async fn twin_id_of(&self, account: [u8; 32]) -> Result<Option<u32>, Error> {
		self.get(runtime::storage().tfgrid_module().twin_id_by_account(), (AccountId32(account),))
			.await
	}

	/// `tfgridModule.twins`.
	pub async fn twin(&self, twin_id: u32) -> Result<Option<Twin>, Error> {
		self.get(runtime::storage().tfgrid_module().twins(), (twin_id,)).await
	}

	/// `tfgridModule.farms`.
	pub async fn farm(&self, farm_id: u32) -> Result<Option<Farm>, Error> {
		self.get(runtime::storage().tfgrid_module().farms(), (farm_id,)).await
	}

	/// `tfgridModule.farmIdByName`.
	pub async fn farm_id_by_name(&self, name: &str) -> Result<Option<u32>, Error> {
		let name = BoundedVec(name.as_bytes().to_vec());
		self.get(runtime::storage().tfgrid_module().farm_id_by_name(), (name,)).await
	}

	/// `tfgridModule.farmIps`: the farm's public IPs, each with its prefix, gateway and the
	/// contract holding it.
	pub async fn farm_ips(
		&self,
		farm_id: u32,
	) -> Result<
		Vec<(
			runtime::runtime_types::grid_primitives::ip::IpAddress,
			runtime::runtime_types::pallet_tfgrid::types::FarmIp,
		)>,
		Error,
	> {
		let at = self.at_finalized().await?;
		let mut entries =
			at.storage().iter(runtime::storage().tfgrid_module().farm_ips(), (farm_id,)).await?;
		let mut ips = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry?;
			let (_, ip) = entry.key()?.decode()?;
			ips.push((ip, entry.value().decode()?));
		}
		Ok(ips)
	}

	/// `tfgridModule.farmIpCounts`: how many public IPs the farm has, and how many are free.
	pub async fn farm_ip_counts(
		&self,
		farm_id: u32,
	) -> Result<Option<runtime::runtime_types::pallet_tfgrid::types::IpCounts>, Error> {
		self.get(runtime::storage().tfgrid_module().farm_ip_counts(), (farm_id,)).await
	}

	/// `tfgridModule.nodeInvites`: whether the farm invited the twin to register a node.
	pub async fn node_invited(&self, farm_id: u32, twin_id: u32) -> Result<bool, Error> {
		Ok(self
			.get(runtime::storage().tfgrid_module().node_invites(), (farm_id, twin_id))
			.await?
			.is_some())
	}

	/// `tfgridModule.nodes`.
	pub async fn node(&self, node_id: u32) -> Result<Option<Node>, Error> {
		self.get(runtime::storage().tfgrid_module().nodes(), (node_id,)).await
	}

	/// `tfgridModule.nodeIdByTwin`: the node a twin runs.
	pub async fn node_id_of_twin(&self, twin_id: u32) -> Result<Option<u32>, Error> {
		self.get(runtime::storage().tfgrid_module().node_id_by_twin(), (twin_id,)).await
	}

	// ---- smartContractModule: contracts, reports, debts --------------------------------------

	/// `smartContractModule.createNodeContract`. Returns the contract's id.
	pub async fn create_node_contract(
		&self,
		signer: &Keypair,
		node_id: u32,
		deployment_hash: [u8; 32],
		deployment_data: Vec<u8>,
		resources: Resources,
		public_ips: u32,
	) -> Result<u64, Error> {
		let call = runtime::tx().smart_contract_module().create_node_contract(
			node_id,
			H256(deployment_hash),
			BoundedVec(deployment_data),
			resources,
			public_ips,
		);
		let included = self.submit(call, signer).await?;
		event::<runtime::smart_contract_module::events::ContractCreated>(&included)
			.map(|event| event.contract_id)
	}

	/// `smartContractModule.updateNodeContract`: a new deployment and reservation.
	pub async fn update_node_contract(
		&self,
		signer: &Keypair,
		contract_id: u64,
		deployment_hash: [u8; 32],
		deployment_data: Vec<u8>,
		resources: Resources,
	) -> Result<Included, Error> {
		let call = runtime::tx().smart_contract_module().update_node_contract(
			contract_id,
			H256(deployment_hash),
			BoundedVec(deployment_data),
			resources,
		);
		self.submit(call, signer).await
	}

	/// `smartContractModule.confirmDeployment`, by the contract's node.
	pub async fn confirm_deployment(
		&self,
		signer: &Keypair,
		contract_id: u64,
		deployment_hash: [u8; 32],
	) -> Result<Included, Error> {
		let call = runtime::tx()
			.smart_contract_module()
			.confirm_deployment(contract_id, H256(deployment_hash));
		self.submit(call, signer).await
	}

	/// `smartContractModule.cancelContract`, by its owner or its node.
	pub async fn cancel_contract(
		&self,
		signer: &Keypair,
		contract_id: u64,
	) -> Result<Included, Error> {
		self.submit(runtime::tx().smart_contract_module().cancel_contract(contract_id), signer)
			.await
	}

	/// `smartContractModule.addConsumptionReports`, by a node: up to `maxReports` (256).
	pub async fn add_consumption_reports(
		&self,
		signer: &Keypair,
		reports: Vec<ConsumptionReport>,
	) -> Result<Included, Error> {
		let call =
			runtime::tx().smart_contract_module().add_consumption_reports(BoundedVec(reports));
		self.submit(call, signer).await
	}

	/// `smartContractModule.settleDebt`: pays a contract's debt from its owner's funds.
	pub async fn settle_debt(&self, signer: &Keypair, contract_id: u64) -> Result<Included, Error> {
		self.submit(runtime::tx().smart_contract_module().settle_debt(contract_id), signer).await
	}

	/// `smartContractModule.repayWrittenOffDebt`: what the signer's ended contracts left unpaid
	/// to a farm.
	pub async fn repay_written_off_debt(
		&self,
		signer: &Keypair,
		farm_id: u32,
	) -> Result<Included, Error> {
		self.submit(runtime::tx().smart_contract_module().repay_written_off_debt(farm_id), signer)
			.await
	}

	/// Runtime API `smartContractApi.contract`: a live contract.
	pub async fn contract(&self, contract_id: u64) -> Result<Option<Contract>, Error> {
		let at = self.at_finalized().await?;
		Ok(at
			.runtime_apis()
			.call(runtime::runtime_apis().smart_contract_api().contract(contract_id))
			.await?)
	}

	/// Runtime API `smartContractApi.checkDeployment`: whether `deployment_hash` is what the
	/// live contract `contract_id` of node `node_id`, owned by `twin_id`, deploys.
	pub async fn check_deployment(
		&self,
		node_id: u32,
		contract_id: u64,
		twin_id: u32,
		deployment_hash: [u8; 32],
	) -> Result<Result<(), DeploymentMismatch>, Error> {
		let at = self.at_finalized().await?;
		let call = runtime::runtime_apis().smart_contract_api().check_deployment(
			node_id,
			contract_id,
			twin_id,
			H256(deployment_hash),
		);
		Ok(at.runtime_apis().call(call).await?)
	}

	/// Runtime API `smartContractApi.nodeContracts`, every page: the live contracts of a node
	/// with their deployment hashes.
	pub async fn node_contracts(&self, node_id: u32) -> Result<Vec<(u64, [u8; 32])>, Error> {
		const PAGE: u32 = 1_000;
		let at = self.at_finalized().await?;
		let mut contracts: Vec<(u64, [u8; 32])> = Vec::new();
		loop {
			let after = contracts.last().map(|(_, hash)| H256(*hash));
			let call =
				runtime::runtime_apis().smart_contract_api().node_contracts(node_id, after, PAGE);
			let page = at.runtime_apis().call(call).await?;
			let full = page.len() as u32 == PAGE;
			contracts.extend(page.into_iter().map(|(id, hash)| (id, hash.0)));
			if !full {
				return Ok(contracts);
			}
		}
	}

	/// The live contracts a twin owns, found in `smartContractModule.contracts` (every
	/// contract: for a person's listing, not for a loop) and read with their deployments.
	pub async fn contracts_of_twin(&self, twin_id: u32) -> Result<Vec<Contract>, Error> {
		let at = self.at_finalized().await?;
		let mut entries =
			at.storage().iter(runtime::storage().smart_contract_module().contracts(), ()).await?;
		let mut ids = Vec::new();
		while let Some(entry) = entries.next().await {
			let record = entry?.value().decode()?;
			if record.twin_id == twin_id {
				ids.push(record.contract_id);
			}
		}
		ids.sort_unstable();
		let mut contracts = Vec::new();
		for id in ids {
			contracts.extend(self.contract(id).await?);
		}
		Ok(contracts)
	}

	/// Runtime API `smartContractApi.hourlyQuote`: the most an hour of `resources` and
	/// `ips` public IPs bills, in plancks; `None` if the prices are not set.
	pub async fn hourly_quote(
		&self,
		resources: Resources,
		ips: u32,
	) -> Result<Option<u128>, Error> {
		let at = self.at_finalized().await?;
		Ok(at
			.runtime_apis()
			.call(runtime::runtime_apis().smart_contract_api().hourly_quote(resources, ips))
			.await?)
	}

	/// `smartContractModule.nodeReserved`: what a node's live contracts reserve.
	pub async fn node_reserved(&self, node_id: u32) -> Result<Option<Resources>, Error> {
		self.get(runtime::storage().smart_contract_module().node_reserved(), (node_id,)).await
	}

	/// `smartContractModule.writtenOffDebts`: what a twin's ended contracts left unpaid to a farm.
	pub async fn written_off_debt(
		&self,
		twin_id: u32,
		farm_id: u32,
	) -> Result<Option<u128>, Error> {
		self.get(runtime::storage().smart_contract_module().written_off_debts(), (twin_id, farm_id))
			.await
	}

	/// `smartContractModule.twinContracts`: how many live contracts a twin owns.
	pub async fn twin_contract_count(&self, twin_id: u32) -> Result<u32, Error> {
		Ok(self
			.get(runtime::storage().smart_contract_module().twin_contracts(), (twin_id,))
			.await?
			.unwrap_or_default())
	}

	/// `smartContractModule.currentPrices`: the pricing policy and TFT price billing uses now.
	pub async fn current_prices(
		&self,
	) -> Result<Option<runtime::runtime_types::pallet_smart_contract::pricing::Prices<u32>>, Error>
	{
		self.get(runtime::storage().smart_contract_module().current_prices(), ()).await
	}

	/// `smartContractModule.totalBurned`: all TFT billing has burned, in plancks.
	pub async fn total_burned(&self) -> Result<u128, Error> {
		Ok(self
			.get(runtime::storage().smart_contract_module().total_burned(), ())
			.await?
			.unwrap_or_default())
	}

	/// The free balance of an account (`system.account`), in plancks.
	pub async fn free_balance(&self, account: [u8; 32]) -> Result<u128, Error> {
		let info = self.get(runtime::storage().system().account(), (AccountId32(account),)).await?;
		Ok(info.map(|info| info.data.free).unwrap_or_default())
	}

	/// The constant `smartContractModule.maxReportWindow`: the longest window one report bills.
	pub async fn max_report_window(&self) -> Result<u64, Error> {
		let at = self.at_finalized().await?;
		Ok(at
			.constants()
			.entry(runtime::constants().smart_contract_module().max_report_window())?)
	}

	/// The constant `smartContractModule.maxTrafficPerSecond`: the most traffic a report bills
	/// per second of its window, in bytes.
	pub async fn max_traffic_per_second(&self) -> Result<u64, Error> {
		let at = self.at_finalized().await?;
		Ok(at
			.constants()
			.entry(runtime::constants().smart_contract_module().max_traffic_per_second())?)
	}

	/// The constant `smartContractModule.maxReports`: the most reports one batch carries.
	pub async fn max_reports(&self) -> Result<u32, Error> {
		let at = self.at_finalized().await?;
		Ok(at.constants().entry(runtime::constants().smart_contract_module().max_reports())?)
	}

	/// The time of the last finalized block (`timestamp.now`), in Unix seconds.
	pub async fn now(&self) -> Result<u64, Error> {
		let millis = self.get(runtime::storage().timestamp().now(), ()).await?;
		Ok(millis.unwrap_or_default() / 1_000)
	}
}

/// The first event of type `E` of an included call: the one it emitted to say what it made.
pub fn event<E: subxt::events::DecodeAsEvent>(included: &Included) -> Result<E, Error> {
	included
		.events
		.find_first::<E>()
		.transpose()?
		.ok_or_else(|| Error::Chain("the call's block has not the event it emits".into()))
}
