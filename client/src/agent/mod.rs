//! The node's agent: the node's side of the spec against a live chain.
//!
//! - It takes deployment requests on a loopback endpoint that stands in for the message bus
//!   ([`crate::request`]): it checks the request's signature, the signer's twin and the
//!   deployment's hash against the contract (runtime API `checkDeployment`), deploys through
//!   its [`Provisioner`] and confirms (`confirmDeployment`). Anything else is refused, logged,
//!   and not confirmed.
//! - Every report period it reports the consumption of each deployment, in batches, from the
//!   contract's `billedUntil` to the last finalized block's time, so that after downtime it
//!   catches up in windows the chain takes ([`ledger`]).
//! - It follows the finalized blocks' events: a cancelled contract's deployment is removed, a
//!   contract in its grace period is paused until its debt is paid. Every reconcile period
//!   (and on each connection) it compares its deployments with `nodeContracts`.
//! - When the connection fails, or the runtime is upgraded, it connects again, to the next of
//!   its endpoints, waiting longer after each failure (1 s, doubling, at most 30 s).

pub mod ledger;
pub mod provisioner;

use crate::{
	chain::{Client, Contract},
	request::{DeploymentRequest, DeploymentResponse},
	runtime::{
		self,
		runtime_types::{
			grid_primitives::Resources,
			pallet_smart_contract::types::{ConsumptionReport, ContractState},
		},
	},
	Error, Wait,
};
use ledger::{Ledger, Limits};
use provisioner::{Provisioner, Reservation};
use std::{path::PathBuf, sync::Arc, time::Duration};
use subxt_signer::sr25519::Keypair;
use tokio::{
	io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
	net::TcpListener,
	sync::{mpsc, oneshot},
};

/// The largest request line the endpoint reads: a deployment of up to 1 MiB, in hex.
const MAX_REQUEST: u64 = 2 * 1024 * 1024 + 4096;
/// The longest wait between two connection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How an agent runs.
pub struct Settings {
	/// The chain's endpoints, tried in turn.
	pub urls: Vec<String>,
	/// The node's account: its twin runs the node.
	pub signer: Keypair,
	/// Where the agent keeps its ledger.
	pub ledger: PathBuf,
	/// The loopback address requests come to.
	pub listen: std::net::SocketAddr,
	/// How often it reports each deployment's consumption.
	pub report_every: Duration,
	/// How often it compares its deployments with the chain's contracts.
	pub reconcile_every: Duration,
}

/// A request waiting for the agent, with where its answer goes.
type Pending = (DeploymentRequest, oneshot::Sender<DeploymentResponse>);

/// Logs one line of what the agent did or refused.
fn log(line: impl AsRef<str>) {
	eprintln!("agent: {}", line.as_ref());
}

/// Runs the agent until the process is stopped.
pub async fn run(settings: Settings, provisioner: Arc<dyn Provisioner>) -> Result<(), Error> {
	if !settings.listen.ip().is_loopback() {
		return Err(Error::Usage(format!(
			"{} is not a loopback address: the endpoint stands in for the message bus on this machine only",
			settings.listen
		)));
	}
	let listener = TcpListener::bind(settings.listen).await?;
	log(format!("listening on {}", listener.local_addr()?));
	let (requests, mut incoming) = mpsc::channel::<Pending>(64);
	tokio::spawn(accept(listener, requests));

	let mut ledger = Ledger::load(&settings.ledger).map_err(Error::Usage)?;
	let mut backoff = Duration::from_secs(1);
	let mut next_url = 0;
	loop {
		let urls: Vec<String> = settings
			.urls
			.iter()
			.cycle()
			.skip(next_url)
			.take(settings.urls.len())
			.cloned()
			.collect();
		match Client::connect(&urls).await {
			Ok(client) => {
				next_url = settings.urls.iter().position(|url| url == client.url()).unwrap_or(0);
				log(format!("connected to {}", client.url()));
				let mut agent = Agent {
					client: client.wait_for(Wait::InBlock),
					settings: &settings,
					provisioner: provisioner.as_ref(),
					ledger: &mut ledger,
					node_id: 0,
				};
				match agent.serve(&mut incoming).await {
					Ok(()) => backoff = Duration::from_secs(1),
					Err(error) => log(format!("lost the chain: {error}")),
				}
			}
			Err(error) => log(error.to_string()),
		}
		next_url = (next_url + 1) % settings.urls.len().max(1);
		log(format!("connecting again in {} s", backoff.as_secs()));
		tokio::time::sleep(backoff).await;
		backoff = (backoff * 2).min(MAX_BACKOFF);
	}
}

/// Takes requests, one JSON line per connection, and answers each with one JSON line.
async fn accept(listener: TcpListener, requests: mpsc::Sender<Pending>) {
	loop {
		let Ok((stream, peer)) = listener.accept().await else { continue };
		let requests = requests.clone();
		tokio::spawn(async move {
			let (reader, mut writer) = stream.into_split();
			let mut line = String::new();
			let read = BufReader::new(reader.take(MAX_REQUEST)).read_line(&mut line).await;
			let response = match read.map_err(|error| error.to_string()).and_then(|_| {
				serde_json::from_str::<DeploymentRequest>(&line).map_err(|error| error.to_string())
			}) {
				Ok(request) => {
					let (answer, response) = oneshot::channel();
					if requests.send((request, answer)).await.is_err() {
						return;
					}
					response
						.await
						.unwrap_or_else(|_| refusal("Stopped", "the agent stopped".into()))
				}
				Err(error) => {
					log(format!(
						"refused a request from {peer}: not a deployment request ({error})"
					));
					refusal("Malformed", format!("not a deployment request: {error}"))
				}
			};
			if let Ok(mut json) = serde_json::to_vec(&response) {
				json.push(b'\n');
				let _ = writer.write_all(&json).await;
			}
		});
	}
}

fn refusal(reason: &str, message: String) -> DeploymentResponse {
	DeploymentResponse { deployed: false, refused: Some(reason.into()), message }
}

fn reservation(resources: &Resources) -> Reservation {
	Reservation { cru: resources.cru, sru: resources.sru, hru: resources.hru, mru: resources.mru }
}

/// The agent while connected.
struct Agent<'a> {
	client: Client,
	settings: &'a Settings,
	provisioner: &'a dyn Provisioner,
	ledger: &'a mut Ledger,
	node_id: u32,
}

impl Agent<'_> {
	/// Serves until the connection fails (an error) or the runtime is upgraded (`Ok`).
	async fn serve(&mut self, incoming: &mut mpsc::Receiver<Pending>) -> Result<(), Error> {
		let account = self.settings.signer.public_key().0;
		let twin_id = self.client.twin_id_of(account).await?.ok_or_else(|| {
			Error::Usage("the agent's account has no twin: run `gridchain twin create`".into())
		})?;
		self.node_id = self.client.node_id_of_twin(twin_id).await?.ok_or_else(|| {
			Error::Usage("the agent's twin runs no node: run `gridchain node create`".into())
		})?;
		log(format!("node {} (twin {twin_id})", self.node_id));
		self.reconcile().await?;

		let mut blocks = self.client.api().stream_blocks().await?;
		let mut report = tokio::time::interval(self.settings.report_every);
		let mut reconcile = tokio::time::interval(self.settings.reconcile_every);
		reconcile.tick().await;
		loop {
			tokio::select! {
				block = blocks.next() => {
					let block = block.ok_or_else(|| Error::Chain("the block stream ended".into()))??;
					if self.follow(block).await? {
						return Ok(());
					}
				},
				Some((request, answer)) = incoming.recv() => {
					let response = match self.deploy(request).await {
						Ok(response) => response,
						Err(error) if lost(&error) => {
							let _ = answer.send(refusal("Unavailable", format!("the agent lost the chain: {error}")));
							return Err(error);
						},
						Err(error) => refusal("ChainRefused", error.to_string()),
					};
					let _ = answer.send(response);
				},
				_ = report.tick() => match self.report().await {
					Err(error) if lost(&error) => return Err(error),
					Err(error) => log(format!("the reports were not taken: {error}")),
					Ok(()) => (),
				},
				_ = reconcile.tick() => self.reconcile().await?,
			}
		}
	}

	/// Acts on a finalized block's events for this node's contracts. `true` if the runtime was
	/// upgraded in it: the agent then connects again.
	async fn follow(
		&mut self,
		block: subxt::client::Block<crate::chain::Config>,
	) -> Result<bool, Error> {
		use runtime::smart_contract_module::events::{
			ContractCanceled, GracePeriodEnded, GracePeriodStarted,
		};
		let events = block.at().await?.events().fetch().await?;
		let deployed = self.provisioner.deployed().map_err(Error::Usage)?;
		for canceled in events.find::<ContractCanceled>() {
			let canceled = canceled?;
			if canceled.node_id == self.node_id && deployed.contains(&canceled.contract_id) {
				self.remove(canceled.contract_id, &format!("cancelled ({:?})", canceled.reason));
			}
		}
		for started in events.find::<GracePeriodStarted>() {
			let started = started?;
			if deployed.contains(&started.contract_id) {
				self.act(started.contract_id, "paused: its owner is in a grace period", |p, id| {
					p.pause(id)
				});
			}
		}
		for ended in events.find::<GracePeriodEnded>() {
			let ended = ended?;
			if deployed.contains(&ended.contract_id) {
				self.act(ended.contract_id, "resumed: its debt is paid", |p, id| p.resume(id));
			}
		}
		let upgraded = events.has::<runtime::system::events::CodeUpdated>();
		if upgraded {
			log(format!("the runtime was upgraded in block #{}: connecting again", block.number()));
		}
		Ok(upgraded)
	}

	fn act(
		&self,
		contract_id: u64,
		what: &str,
		action: impl Fn(&dyn Provisioner, u64) -> Result<(), String>,
	) {
		match action(self.provisioner, contract_id) {
			Ok(()) => log(format!("contract {contract_id}: {what}")),
			Err(error) => log(format!("contract {contract_id}: could not be {what}: {error}")),
		}
	}

	fn remove(&mut self, contract_id: u64, why: &str) {
		self.act(contract_id, &format!("removed, {why}"), |p, id| p.remove(id));
		self.ledger.forget(contract_id);
		self.save_ledger();
	}

	fn save_ledger(&self) {
		if let Err(error) = self.ledger.save(&self.settings.ledger) {
			log(format!("could not save the ledger: {error}"));
		}
	}

	/// Checks a request, deploys it and confirms it; refuses it with its reason otherwise.
	async fn deploy(&mut self, request: DeploymentRequest) -> Result<DeploymentResponse, Error> {
		let contract_id = request.contract_id;
		let refuse = |reason: &str, message: String| {
			log(format!(
				"refused the deployment of contract {contract_id} from {}: {message}",
				request.account
			));
			refusal(reason, message)
		};
		let account = match request.verify(&self.client.genesis_hash(), self.node_id) {
			Ok(account) => account,
			Err(error) => {
				return Ok(refuse(
					"BadSignature",
					format!("{error:?}: the request is not signed by its account for this node"),
				))
			}
		};
		let Some(twin_id) = self.client.twin_id_of(account).await? else {
			return Ok(refuse("NoTwin", "the signing account has no twin".into()));
		};
		let hash = crate::deployment::deployment_hash(&request.deployment);
		if let Err(mismatch) =
			self.client.check_deployment(self.node_id, contract_id, twin_id, hash).await?
		{
			let reason = format!("{mismatch:?}");
			return Ok(refuse(&reason, format!("the chain's contract does not match: {reason}")));
		}
		let Some(contract) = self.client.contract(contract_id).await? else {
			return Ok(refuse("ContractNotFound", "the contract ended".into()));
		};
		if let Err(error) = self.provisioner.deploy(
			contract_id,
			&request.deployment,
			reservation(&contract.resources),
		) {
			return Ok(refuse("ProvisionerFailed", error));
		}
		if !needs_confirmation(&contract) {
			log(format!("contract {contract_id}: deployed again, already confirmed"));
			return Ok(DeploymentResponse {
				deployed: true,
				refused: None,
				message: "deployed; already confirmed".into(),
			});
		}
		self.client.confirm_deployment(&self.settings.signer, contract_id, hash).await?;
		log(format!("contract {contract_id}: deployed and confirmed for twin {twin_id}"));
		Ok(DeploymentResponse {
			deployed: true,
			refused: None,
			message: "deployed and confirmed".into(),
		})
	}

	/// Reports the consumption of every deployment since its contract's `billedUntil`.
	async fn report(&mut self) -> Result<(), Error> {
		let now = self.client.now().await?;
		let limits = Limits {
			max_window: self.client.max_report_window().await?,
			max_traffic_per_second: self.client.max_traffic_per_second().await?,
		};
		let mut reports = Vec::new();
		for contract_id in self.provisioner.deployed().map_err(Error::Usage)? {
			let Some(contract) = self.client.contract(contract_id).await? else { continue };
			if contract.node_id != self.node_id
				|| matches!(contract.state, ContractState::Created { .. })
			{
				continue;
			}
			self.ledger.settle(contract_id, contract.billed_until);
			let usage = match self.provisioner.usage(contract_id) {
				Ok(usage) => usage,
				Err(error) => {
					log(format!("contract {contract_id}: no usage to report: {error}"));
					continue;
				}
			};
			let planned = self.ledger.plan(
				contract_id,
				(contract.billed_until, now),
				limits,
				usage,
				reservation(&contract.resources),
			);
			reports.extend(planned.into_iter().map(|report| ConsumptionReport {
				contract_id,
				timestamp: report.timestamp,
				cru: report.usage.cru,
				sru: report.usage.sru,
				hru: report.usage.hru,
				mru: report.usage.mru,
				nru: report.nru,
			}));
		}
		if reports.is_empty() {
			return Ok(());
		}
		// Pending before sending: a restart in between settles them against the chain.
		self.save_ledger();
		let batch = self.client.max_reports().await?.max(1) as usize;
		while !reports.is_empty() {
			let chunk: Vec<ConsumptionReport> = reports.drain(..batch.min(reports.len())).collect();
			let windows = chunk.len();
			let included =
				self.client.add_consumption_reports(&self.settings.signer, chunk).await?;
			let billed = included
				.events
				.find::<runtime::smart_contract_module::events::ContractBilled>()
				.count();
			log(format!(
				"reported {windows} windows in block #{}: {billed} billed",
				included.block_number
			));
			for rejected in included
				.events
				.find::<runtime::smart_contract_module::events::ConsumptionReportRejected>(
			) {
				let rejected = rejected?;
				log(format!(
					"contract {}: report rejected: {:?}",
					rejected.contract_id, rejected.reason
				));
			}
		}
		Ok(())
	}

	/// Compares the deployments with the node's live contracts: removes those that ended,
	/// pauses those in a grace period and resumes the others.
	async fn reconcile(&mut self) -> Result<(), Error> {
		let live: Vec<u64> =
			self.client.node_contracts(self.node_id).await?.into_iter().map(|(id, _)| id).collect();
		let deployed = self.provisioner.deployed().map_err(Error::Usage)?;
		for contract_id in &deployed {
			if !live.contains(contract_id) {
				self.remove(*contract_id, "its contract ended");
				continue;
			}
			let Some(contract) = self.client.contract(*contract_id).await? else { continue };
			let result = match contract.state {
				ContractState::GracePeriod { .. } => self.provisioner.pause(*contract_id),
				_ => self.provisioner.resume(*contract_id),
			};
			if let Err(error) = result {
				log(format!("contract {contract_id}: {error}"));
			}
		}
		let waiting = live.iter().filter(|id| !deployed.contains(id)).count();
		log(format!(
			"reconciled: {} deployments, {waiting} contracts waiting for their deployment",
			deployed.iter().filter(|id| live.contains(id)).count()
		));
		Ok(())
	}
}

/// Whether an error is the connection's (connect again) rather than the chain's answer.
fn lost(error: &Error) -> bool {
	matches!(error, Error::Chain(_) | Error::Io(_))
}

/// Whether the node must still confirm the contract's current deployment.
fn needs_confirmation(contract: &Contract) -> bool {
	match contract.state {
		ContractState::Created { .. } | ContractState::Updated => true,
		ContractState::GracePeriod { confirmed, .. } => !confirmed,
		ContractState::Deployed => false,
	}
}
