//! `gridchain`: the grid from the command line, for users, farmers and node operators, and the
//! node's agent (`gridchain agent`). `gridchain --help` lists the commands; docs/users.md and
//! docs/node-operators.md walk through them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use gridchain_client::{
	agent::{self, provisioner::DirectoryProvisioner},
	chain::Contract,
	deployment::{self, EncryptionKey},
	governance::{Closed, GovernanceCall},
	request::{DeploymentRequest, DeploymentResponse},
	runtime::{
		self,
		runtime_types::{
			grid_primitives::{ip::IpAddress, Resources},
			pallet_smart_contract::types::ContractState,
			sp_arithmetic::per_things::Perbill,
		},
	},
	ss58,
	units::{format_size, format_tft, parse_percent, parse_size, parse_usd},
	Client, Error, Wait,
};
use serde_json::{json, Value};
use std::{fs, path::PathBuf, process::ExitCode, str::FromStr, sync::Arc, time::Duration};
use subxt_signer::{sr25519::Keypair, SecretUri};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Parser)]
#[command(
	name = "gridchain",
	version,
	about = "Grid chain from the command line: twins, farms, nodes, contracts and the node's agent"
)]
struct Cli {
	/// The chain's RPC endpoint; give several to fall back on the next (plain ws:// only on
	/// the loopback interface).
	#[arg(long = "url", global = true, default_value = "ws://127.0.0.1:9944")]
	urls: Vec<String>,
	/// The signing account's secret URI: a mnemonic, a hex seed or a dev account (`//Alice`),
	/// with derivations. Prefer --key-file: a command line is visible to other users.
	#[arg(long, global = true, env = "GRIDCHAIN_SURI", hide_env_values = true)]
	suri: Option<String>,
	/// A file holding the signing account's secret URI.
	#[arg(long, global = true, conflicts_with = "suri")]
	key_file: Option<PathBuf>,
	/// How results are printed.
	#[arg(long, global = true, value_enum, default_value_t = Output::Text)]
	output: Output,
	/// How long a call waits: until its block is finalized, or only included.
	#[arg(long, global = true, value_enum, default_value_t = WaitFor::Finalized)]
	wait: WaitFor,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
	/// For a person.
	Text,
	/// One JSON document, for scripts.
	Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum WaitFor {
	InBlock,
	Finalized,
}

#[derive(Subcommand)]
enum Command {
	/// The signing account: its address, balance and twin.
	Account,
	/// Your X25519 encryption key, which encrypts your deployment data to you.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Your twin: your identity on the grid.
	#[command(subcommand)]
	Twin(TwinCommand),
	/// Farms, their public IPs and the nodes they invite (farmers).
	#[command(subcommand)]
	Farm(FarmCommand),
	/// Nodes (node operators).
	#[command(subcommand)]
	Node(NodeCommand),
	/// The most an hour of these resources costs (runtime API hourlyQuote).
	Quote {
		#[command(flatten)]
		resources: ResourceArgs,
		/// Public IPv4 addresses.
		#[arg(long, default_value_t = 0)]
		ips: u32,
	},
	/// Contracts: create, update, show, list, cancel, settle a debt, decrypt your data.
	#[command(subcommand)]
	Contract(ContractCommand),
	/// Deployments: their hash, and sending one to its node.
	#[command(subcommand)]
	Deployment(DeploymentCommand),
	/// Runs the node's agent: takes deployments, confirms them, reports their consumption.
	Agent(AgentArgs),
	/// Council motions: prices and validators (council members).
	#[command(subcommand)]
	Council(CouncilCommand),
}

#[derive(Subcommand)]
enum CouncilCommand {
	/// The council's members and the motions being voted on.
	Show,
	/// Proposes a motion, asking for as many ayes as its call requires; then vote on it.
	#[command(subcommand)]
	Propose(Proposal),
	/// Votes on a motion.
	Vote {
		index: u32,
		#[arg(value_enum)]
		vote: Vote,
	},
	/// Closes a motion that has enough votes either way, or has ended: a passed motion makes
	/// its call.
	Close { index: u32 },
}

#[derive(Clone, Copy, ValueEnum)]
enum Vote {
	Aye,
	Nay,
}

#[derive(Subcommand)]
enum Proposal {
	/// Sets the price of one TFT (smartContractModule.setTftPrice).
	TftPrice {
		/// In USD, e.g. 0.05.
		#[arg(value_parser = parse_usd)]
		usd: u64,
	},
	/// Sets the pricing policy (smartContractModule.setPricingPolicy): what is not given stays
	/// as the chain has it.
	PricingPolicy(PolicyArgs),
	/// Adds a validator, which has registered its session keys (validatorSet.addValidator).
	AddValidator { account: String },
	/// Removes a validator (validatorSet.removeValidator).
	RemoveValidator { account: String },
}

#[derive(Args)]
struct PolicyArgs {
	/// A compute unit for an hour, in USD.
	#[arg(long, value_parser = parse_usd)]
	cu: Option<u64>,
	/// A storage unit for an hour, in USD.
	#[arg(long, value_parser = parse_usd)]
	su: Option<u64>,
	/// A public IPv4 address for an hour, in USD.
	#[arg(long, value_parser = parse_usd)]
	ipv4: Option<u64>,
	/// A GiB of network traffic, in USD.
	#[arg(long, value_parser = parse_usd)]
	nu: Option<u64>,
	/// The farmer's share of what contracts pay, in percent.
	#[arg(long, value_parser = parse_percent)]
	farmer_share: Option<u32>,
	/// The foundation's share of what contracts pay, in percent; the rest is burned.
	#[arg(long, value_parser = parse_percent)]
	foundation_share: Option<u32>,
	/// Blocks a contract that cannot pay may run in debt.
	#[arg(long)]
	grace_period: Option<u32>,
	/// Blocks a node has to confirm a new contract.
	#[arg(long)]
	deployment_timeout: Option<u32>,
	/// Seconds a contract's bills add up before its owner pays them (1: at once; at most a
	/// day).
	#[arg(long)]
	charge_interval: Option<u64>,
}

#[derive(Subcommand)]
enum KeyCommand {
	/// Writes a new key pair to FILE (JSON; keep it secret) and prints its public key.
	Generate { file: PathBuf },
}

#[derive(Subcommand)]
enum TwinCommand {
	/// Creates the signing account's twin (a deposit of 0.59 TFT on the presets).
	Create(TwinArgs),
	/// Changes its relay and public key.
	Update(TwinArgs),
	/// Shows a twin: the signing account's, or the one given.
	Show { twin_id: Option<u32> },
	/// Deletes the signing account's twin; its deposit comes back.
	Delete,
}

#[derive(Args)]
struct TwinArgs {
	/// Where peer-to-peer messages for the twin are delivered.
	#[arg(long)]
	relay: Option<String>,
	/// Your encryption key's file (`gridchain key generate`): its public key goes in the twin.
	#[arg(long)]
	encryption_key: Option<PathBuf>,
}

#[derive(Subcommand)]
enum FarmCommand {
	/// Creates a farm owned by your twin.
	Create { name: String },
	/// Shows a farm (by id or name) with its public IPs.
	Show { farm: String },
	/// Deletes a farm without nodes or IPs.
	Delete { farm_id: u32 },
	/// Adds a public IP (`185.206.123.10/24`) with its gateway.
	AddIp { farm_id: u32, ip: String, gateway: String },
	/// Removes a free public IP.
	RemoveIp { farm_id: u32, ip: String },
	/// Lets a twin register a node on the farm.
	Invite { farm_id: u32, twin_id: u32 },
	/// Withdraws an invitation.
	Revoke { farm_id: u32, twin_id: u32 },
}

#[derive(Subcommand)]
enum NodeCommand {
	/// Registers your twin's node on a farm that invited it, with its capacity.
	Create {
		#[arg(long)]
		farm: u32,
		#[command(flatten)]
		capacity: ResourceArgs,
	},
	/// Changes a node's capacity.
	Update {
		node_id: u32,
		#[command(flatten)]
		capacity: ResourceArgs,
	},
	/// Shows a node, with what its contracts reserve.
	Show { node_id: u32 },
	/// Deletes a node without contracts.
	Delete { node_id: u32 },
}

#[derive(Args, Clone, Copy)]
struct ResourceArgs {
	/// Virtual cores.
	#[arg(long, default_value_t = 0)]
	cru: u64,
	/// SSD storage (e.g. 100G).
	#[arg(long, value_parser = parse_size, default_value = "0")]
	sru: u64,
	/// HDD storage (e.g. 1T).
	#[arg(long, value_parser = parse_size, default_value = "0")]
	hru: u64,
	/// Memory (e.g. 4G).
	#[arg(long, value_parser = parse_size, default_value = "0")]
	mru: u64,
}

impl ResourceArgs {
	fn resources(self) -> Resources {
		Resources { cru: self.cru, sru: self.sru, hru: self.hru, mru: self.mru }
	}
}

#[derive(Subcommand)]
enum ContractCommand {
	/// Creates a contract for a deployment on a node.
	Create {
		#[arg(long)]
		node: u32,
		#[command(flatten)]
		deployment: DeploymentArgs,
		/// Public IPv4 addresses to reserve (0 to 16).
		#[arg(long, default_value_t = 0)]
		ips: u32,
	},
	/// Changes a contract's deployment and reservation.
	Update {
		contract_id: u64,
		#[command(flatten)]
		deployment: DeploymentArgs,
	},
	/// Shows a contract and its recent bills, or how it ended.
	Show {
		contract_id: u64,
		/// How many finalized blocks back to look for its bills (600: an hour).
		#[arg(long, default_value_t = 600)]
		blocks: u64,
	},
	/// Lists a twin's live contracts (yours by default).
	List {
		#[arg(long)]
		twin: Option<u32>,
	},
	/// Cancels a contract: its IPs are freed and its deposit comes back.
	Cancel { contract_id: u64 },
	/// Pays a contract's debt from your funds, ending its grace period.
	Settle { contract_id: u64 },
	/// Pays what your ended contracts left unpaid to a farm.
	Repay { farm_id: u32 },
	/// Decrypts a contract's deployment data with your encryption key.
	Decrypt {
		contract_id: u64,
		#[arg(long)]
		encryption_key: PathBuf,
	},
}

#[derive(Args)]
struct DeploymentArgs {
	/// The deployment's file: the contract holds its hash.
	#[arg(long)]
	file: PathBuf,
	/// Keep the deployment on chain, encrypted to this key (`gridchain key generate`).
	#[arg(long)]
	encryption_key: Option<PathBuf>,
	#[command(flatten)]
	resources: ResourceArgs,
}

#[derive(Subcommand)]
enum DeploymentCommand {
	/// Prints a file's deployment hash (BLAKE2b-256).
	Hash { file: PathBuf },
	/// Sends a deployment to its node's agent, signed by your account, and waits for its answer.
	Send {
		contract_id: u64,
		file: PathBuf,
		/// The agent's endpoint.
		#[arg(long, default_value = "127.0.0.1:9955")]
		agent: String,
	},
}

#[derive(Args)]
struct AgentArgs {
	/// Where the agent keeps its deployments (`deployments/`) and its ledger.
	#[arg(long)]
	data: PathBuf,
	/// The loopback address deployments come to.
	#[arg(long, default_value = "127.0.0.1:9955")]
	listen: std::net::SocketAddr,
	/// Seconds between two consumption reports of a deployment.
	#[arg(long, default_value_t = 3600)]
	report_every: u64,
	/// Seconds between two comparisons of the deployments with the chain's contracts.
	#[arg(long, default_value_t = 3600)]
	reconcile_every: u64,
}

/// What a command prints: a text for a person, a JSON document for scripts.
struct Printed {
	text: String,
	json: Value,
}

fn printed(text: impl Into<String>, json: Value) -> Result<Printed, Error> {
	Ok(Printed { text: text.into(), json })
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let output = cli.output;
	match run(cli).await {
		Ok(printed) => {
			match output {
				Output::Text => println!("{}", printed.text),
				Output::Json => println!("{}", printed.json),
			}
			ExitCode::SUCCESS
		}
		Err(error) => {
			match output {
				Output::Text => eprintln!("error: {error}"),
				Output::Json => println!("{}", json!({ "error": error.to_string() })),
			}
			ExitCode::FAILURE
		}
	}
}

/// The command line's context: the connection and the signer, made when a command needs them.
struct Context {
	cli_urls: Vec<String>,
	suri: Option<String>,
	key_file: Option<PathBuf>,
	wait: Wait,
	output: Output,
}

impl Context {
	async fn client(&self) -> Result<Client, Error> {
		let client = Client::connect(&self.cli_urls).await?.wait_for(self.wait);
		let text = self.output == Output::Text;
		Ok(client.with_progress(Arc::new(move |step| {
			if text {
				eprintln!("… {step}");
			}
		})))
	}

	fn signer(&self) -> Result<Keypair, Error> {
		let uri = match (&self.suri, &self.key_file) {
			(Some(suri), _) => suri.clone(),
			(None, Some(file)) => fs::read_to_string(file)
				.map_err(|error| Error::Usage(format!("{}: {error}", file.display())))?
				.trim()
				.to_owned(),
			(None, None) => {
				return Err(Error::Usage("this command signs: give --suri or --key-file".into()))
			}
		};
		let uri = SecretUri::from_str(&uri)
			.map_err(|error| Error::Usage(format!("not a secret URI: {error}")))?;
		Keypair::from_uri(&uri).map_err(|error| Error::Usage(format!("not a key: {error}")))
	}

	/// The signer and its twin; a clear error if it has none.
	async fn signer_with_twin(&self, client: &Client) -> Result<(Keypair, u32), Error> {
		let signer = self.signer()?;
		let twin_id = client.twin_id_of(signer.public_key().0).await?.ok_or_else(|| {
			Error::Usage("this account has no twin: run `gridchain twin create`".into())
		})?;
		Ok((signer, twin_id))
	}
}

async fn run(cli: Cli) -> Result<Printed, Error> {
	let context = Context {
		cli_urls: cli.urls,
		suri: cli.suri,
		key_file: cli.key_file,
		wait: match cli.wait {
			WaitFor::InBlock => Wait::InBlock,
			WaitFor::Finalized => Wait::Finalized,
		},
		output: cli.output,
	};
	match cli.command {
		Command::Key(KeyCommand::Generate { file }) => key_generate(&file),
		Command::Deployment(DeploymentCommand::Hash { file }) => {
			let hash = format!("0x{}", hex::encode(deployment::deployment_hash(&read(&file)?)));
			printed(hash.clone(), json!({ "deploymentHash": hash }))
		}
		Command::Agent(args) => run_agent(&context, args).await,
		command => {
			let client = context.client().await?;
			chain_command(&context, &client, command).await
		}
	}
}

async fn chain_command(
	context: &Context,
	client: &Client,
	command: Command,
) -> Result<Printed, Error> {
	match command {
		Command::Account => {
			let account = context.signer()?.public_key().0;
			let balance = client.free_balance(account).await?;
			let twin = client.twin_id_of(account).await?;
			printed(
				format!(
					"account {}\nfree balance {}\ntwin {}",
					ss58::encode(&account),
					format_tft(balance),
					twin.map_or("none: run `gridchain twin create`".into(), |id| id.to_string())
				),
				json!({ "account": ss58::encode(&account), "free": balance.to_string(), "twinId": twin }),
			)
		}
		Command::Twin(command) => twin_command(context, client, command).await,
		Command::Farm(command) => farm_command(context, client, command).await,
		Command::Node(command) => node_command(context, client, command).await,
		Command::Quote { resources, ips } => {
			let quote = client
				.hourly_quote(resources.resources(), ips)
				.await?
				.ok_or_else(|| Error::NotFound("the chain has no prices yet".into()))?;
			printed(
				format!("{} an hour", format_tft(quote)),
				json!({ "hourly": quote.to_string() }),
			)
		}
		Command::Contract(command) => contract_command(context, client, command).await,
		Command::Council(command) => council_command(context, client, command).await,
		Command::Deployment(DeploymentCommand::Send { contract_id, file, agent }) => {
			send_deployment(context, client, contract_id, &file, &agent).await
		}
		Command::Key(_)
		| Command::Agent(_)
		| Command::Deployment(DeploymentCommand::Hash { .. }) => {
			unreachable!("run() handles the commands that need no chain")
		}
	}
}

fn read(file: &PathBuf) -> Result<Vec<u8>, Error> {
	fs::read(file).map_err(|error| Error::Usage(format!("{}: {error}", file.display())))
}

/// Writes a new encryption key to `file`, readable by its owner only; never over an existing file.
fn key_generate(file: &PathBuf) -> Result<Printed, Error> {
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	let key = EncryptionKey::generate().map_err(|error| Error::Usage(error.to_string()))?;
	let public = format!("0x{}", hex::encode(key.public_bytes()));
	let json = json!({ "secretKey": format!("0x{}", hex::encode(key.secret_bytes())), "publicKey": public });
	fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(file)
		.and_then(|mut out| out.write_all(json.to_string().as_bytes()))
		.map_err(|error| {
			Error::Usage(format!(
				"{}: {error} (an existing key is never overwritten)",
				file.display()
			))
		})?;
	printed(
		format!("public key {public} (the secret key is in {})", file.display()),
		json!({ "publicKey": public }),
	)
}

fn load_key(file: &PathBuf) -> Result<EncryptionKey, Error> {
	let json: Value = serde_json::from_slice(&read(file)?)
		.map_err(|error| Error::Usage(format!("{}: not a key file: {error}", file.display())))?;
	let secret = json["secretKey"]
		.as_str()
		.and_then(|text| hex::decode(text.trim_start_matches("0x")).ok())
		.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
		.ok_or_else(|| Error::Usage(format!("{}: no 32-byte secretKey", file.display())))?;
	Ok(EncryptionKey::from_secret(secret))
}

async fn twin_command(
	context: &Context,
	client: &Client,
	command: TwinCommand,
) -> Result<Printed, Error> {
	match command {
		TwinCommand::Create(TwinArgs { relay, encryption_key }) => {
			let pk = encryption_key
				.as_ref()
				.map(load_key)
				.transpose()?
				.map(|key| key.public_bytes().to_vec());
			let twin_id =
				client.create_twin(&context.signer()?, relay.map(String::into_bytes), pk).await?;
			printed(format!("twin {twin_id} created"), json!({ "twinId": twin_id }))
		}
		TwinCommand::Update(TwinArgs { relay, encryption_key }) => {
			let pk = encryption_key
				.as_ref()
				.map(load_key)
				.transpose()?
				.map(|key| key.public_bytes().to_vec());
			let (signer, twin_id) = context.signer_with_twin(client).await?;
			client.update_twin(&signer, relay.map(String::into_bytes), pk).await?;
			printed(format!("twin {twin_id} updated"), json!({ "twinId": twin_id }))
		}
		TwinCommand::Show { twin_id } => {
			let twin_id = match twin_id {
				Some(id) => id,
				None => context.signer_with_twin(client).await?.1,
			};
			let twin = client
				.twin(twin_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("no twin {twin_id}")))?;
			let relay = twin.relay.map(|relay| String::from_utf8_lossy(&relay.0).into_owned());
			let pk = twin.pk.map(|pk| format!("0x{}", hex::encode(pk.0)));
			printed(
				format!(
					"twin {twin_id}\naccount {}\nrelay {}\npublic key {}\nfarms {}\ndeposit {}",
					ss58::encode(&twin.account.0),
					relay.as_deref().unwrap_or("none"),
					pk.as_deref().unwrap_or("none"),
					twin.farms,
					format_tft(twin.deposit)
				),
				json!({ "twinId": twin_id, "account": ss58::encode(&twin.account.0), "relay": relay, "pk": pk,
					"farms": twin.farms, "deposit": twin.deposit.to_string() }),
			)
		}
		TwinCommand::Delete => {
			let (signer, twin_id) = context.signer_with_twin(client).await?;
			client.delete_twin(&signer).await?;
			printed(format!("twin {twin_id} deleted"), json!({ "twinId": twin_id }))
		}
	}
}

fn ip_text(ip: &IpAddress) -> String {
	match ip {
		IpAddress::V4(bytes) => std::net::Ipv4Addr::from(*bytes).to_string(),
		IpAddress::V6(bytes) => std::net::Ipv6Addr::from(*bytes).to_string(),
	}
}

async fn farm_command(
	context: &Context,
	client: &Client,
	command: FarmCommand,
) -> Result<Printed, Error> {
	let done = |what: String, json: Value| printed(what, json);
	match command {
		FarmCommand::Create { name } => {
			let (signer, _) = context.signer_with_twin(client).await?;
			let farm_id = client.create_farm(&signer, &name).await?;
			done(format!("farm {farm_id} created"), json!({ "farmId": farm_id }))
		}
		FarmCommand::Show { farm } => {
			let farm_id = match farm.parse::<u32>() {
				Ok(id) => id,
				Err(_) => client
					.farm_id_by_name(&farm)
					.await?
					.ok_or_else(|| Error::NotFound(format!("no farm named {farm}")))?,
			};
			let record = client
				.farm(farm_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("no farm {farm_id}")))?;
			let ips: Vec<Value> = client
				.farm_ips(farm_id)
				.await?
				.into_iter()
				.map(|(ip, held)| json!({ "ip": format!("{}/{}", ip_text(&ip), held.prefix), "gateway": ip_text(&held.gateway), "contractId": held.contract_id }))
				.collect();
			let name = String::from_utf8_lossy(&record.name.0).into_owned();
			let mut text =
				format!("farm {farm_id} ({name}), twin {}, {} nodes", record.twin_id, record.nodes);
			for ip in &ips {
				text.push_str(&format!(
					"\n  {} via {}{}",
					ip["ip"].as_str().unwrap_or_default(),
					ip["gateway"].as_str().unwrap_or_default(),
					ip["contractId"]
						.as_u64()
						.map(|id| format!(", contract {id}"))
						.unwrap_or_default()
				));
			}
			done(
				text,
				json!({ "farmId": farm_id, "name": name, "twinId": record.twin_id, "nodes": record.nodes, "ips": ips }),
			)
		}
		FarmCommand::Delete { farm_id } => {
			client.delete_farm(&context.signer()?, farm_id).await?;
			done(format!("farm {farm_id} deleted"), json!({ "farmId": farm_id }))
		}
		FarmCommand::AddIp { farm_id, ip, gateway } => {
			client.add_farm_ip(&context.signer()?, farm_id, &ip, &gateway).await?;
			done(format!("{ip} added to farm {farm_id}"), json!({ "farmId": farm_id, "ip": ip }))
		}
		FarmCommand::RemoveIp { farm_id, ip } => {
			client.remove_farm_ip(&context.signer()?, farm_id, &ip).await?;
			done(
				format!("{ip} removed from farm {farm_id}"),
				json!({ "farmId": farm_id, "ip": ip }),
			)
		}
		FarmCommand::Invite { farm_id, twin_id } => {
			client.invite_node(&context.signer()?, farm_id, twin_id).await?;
			done(
				format!("twin {twin_id} may register a node on farm {farm_id}"),
				json!({ "farmId": farm_id, "twinId": twin_id }),
			)
		}
		FarmCommand::Revoke { farm_id, twin_id } => {
			client.revoke_node_invite(&context.signer()?, farm_id, twin_id).await?;
			done(
				format!("invitation of twin {twin_id} to farm {farm_id} withdrawn"),
				json!({ "farmId": farm_id, "twinId": twin_id }),
			)
		}
	}
}

fn resources_text(resources: &Resources) -> String {
	format!(
		"{} cores, {} SSD, {} HDD, {} memory",
		resources.cru,
		format_size(resources.sru),
		format_size(resources.hru),
		format_size(resources.mru)
	)
}

fn resources_json(resources: &Resources) -> Value {
	json!({ "cru": resources.cru, "sru": resources.sru, "hru": resources.hru, "mru": resources.mru })
}

async fn node_command(
	context: &Context,
	client: &Client,
	command: NodeCommand,
) -> Result<Printed, Error> {
	match command {
		NodeCommand::Create { farm, capacity } => {
			let (signer, _) = context.signer_with_twin(client).await?;
			let node_id = client.create_node(&signer, farm, capacity.resources()).await?;
			printed(format!("node {node_id} created on farm {farm}"), json!({ "nodeId": node_id }))
		}
		NodeCommand::Update { node_id, capacity } => {
			client.update_node(&context.signer()?, node_id, capacity.resources()).await?;
			printed(format!("node {node_id} updated"), json!({ "nodeId": node_id }))
		}
		NodeCommand::Show { node_id } => {
			let node = client
				.node(node_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("no node {node_id}")))?;
			let reserved = client.node_reserved(node_id).await?.unwrap_or(Resources {
				cru: 0,
				sru: 0,
				hru: 0,
				mru: 0,
			});
			let contracts = client.node_contracts(node_id).await?.len();
			printed(
				format!(
					"node {node_id} on farm {}, twin {}\ncapacity {}\nreserved {} by {contracts} contracts",
					node.farm_id,
					node.twin_id,
					resources_text(&node.resources),
					resources_text(&reserved)
				),
				json!({ "nodeId": node_id, "farmId": node.farm_id, "twinId": node.twin_id,
					"capacity": resources_json(&node.resources), "reserved": resources_json(&reserved), "contracts": contracts }),
			)
		}
		NodeCommand::Delete { node_id } => {
			client.delete_node(&context.signer()?, node_id).await?;
			printed(format!("node {node_id} deleted"), json!({ "nodeId": node_id }))
		}
	}
}

/// The deployment's hash and the data to keep on chain: the deployment encrypted to the key
/// given, or nothing.
fn prepare(args: &DeploymentArgs) -> Result<([u8; 32], Vec<u8>), Error> {
	let bytes = read(&args.file)?;
	let data = match &args.encryption_key {
		Some(file) => deployment::seal(&bytes, &load_key(file)?.public_bytes())
			.map_err(|error| Error::Usage(error.to_string()))?,
		None => Vec::new(),
	};
	Ok((deployment::deployment_hash(&bytes), data))
}

fn state_text(state: &ContractState<u32>) -> String {
	match state {
		ContractState::Created { expires } => {
			format!("Created (waiting for the node until block {expires})")
		}
		ContractState::Deployed => "Deployed".into(),
		ContractState::Updated => {
			"Updated (waiting for the node to confirm the new deployment)".into()
		}
		ContractState::GracePeriod { ends, .. } => {
			format!("GracePeriod (cancelled at block {ends} unless its debt is paid)")
		}
	}
}

/// The state's name, as the runtime names it: `Created`, `Deployed`, `Updated`, `GracePeriod`.
fn state_name(state: &ContractState<u32>) -> &'static str {
	match state {
		ContractState::Created { .. } => "Created",
		ContractState::Deployed => "Deployed",
		ContractState::Updated => "Updated",
		ContractState::GracePeriod { .. } => "GracePeriod",
	}
}

/// The state's fields, if it has any.
fn state_details(state: &ContractState<u32>) -> Value {
	match state {
		ContractState::Created { expires } => json!({ "expires": expires }),
		ContractState::Deployed | ContractState::Updated => Value::Null,
		ContractState::GracePeriod { since, ends, confirmed } => {
			json!({ "since": since, "ends": ends, "confirmed": confirmed })
		}
	}
}

fn contract_json(contract: &Contract) -> Value {
	json!({
		"contractId": contract.contract_id,
		"twinId": contract.twin_id,
		"nodeId": contract.node_id,
		"farmId": contract.farm_id,
		"state": state_name(&contract.state),
		"stateDetails": state_details(&contract.state),
		"resources": resources_json(&contract.resources),
		"deploymentHash": format!("0x{}", hex::encode(contract.deployment_hash.0)),
		"publicIps": contract.public_ips.0.iter().map(|ip| json!({ "ip": format!("{}/{}", ip_text(&ip.ip), ip.prefix), "gateway": ip_text(&ip.gateway) })).collect::<Vec<_>>(),
		"deposit": contract.deposit.to_string(),
		"billedUntil": contract.billed_until,
		"debt": contract.debt.to_string(),
	})
}

async fn contract_command(
	context: &Context,
	client: &Client,
	command: ContractCommand,
) -> Result<Printed, Error> {
	match command {
		ContractCommand::Create { node, deployment, ips } => {
			let (signer, _) = context.signer_with_twin(client).await?;
			let (hash, data) = prepare(&deployment)?;
			let contract_id = client
				.create_node_contract(
					&signer,
					node,
					hash,
					data,
					deployment.resources.resources(),
					ips,
				)
				.await?;
			printed(
				format!("contract {contract_id} created: send the deployment to node {node} (`gridchain deployment send {contract_id} FILE`)"),
				json!({ "contractId": contract_id, "deploymentHash": format!("0x{}", hex::encode(hash)) }),
			)
		}
		ContractCommand::Update { contract_id, deployment } => {
			let (signer, _) = context.signer_with_twin(client).await?;
			let (hash, data) = prepare(&deployment)?;
			client
				.update_node_contract(
					&signer,
					contract_id,
					hash,
					data,
					deployment.resources.resources(),
				)
				.await?;
			printed(
				format!("contract {contract_id} updated: send the new deployment to its node"),
				json!({ "contractId": contract_id }),
			)
		}
		ContractCommand::Show { contract_id, blocks } => {
			show_contract(client, contract_id, blocks).await
		}
		ContractCommand::List { twin } => {
			let twin_id = match twin {
				Some(id) => id,
				None => context.signer_with_twin(client).await?.1,
			};
			let contracts = client.contracts_of_twin(twin_id).await?;
			let text = if contracts.is_empty() {
				format!("twin {twin_id} has no live contract")
			} else {
				contracts
					.iter()
					.map(|c| {
						format!(
							"contract {} on node {}: {}",
							c.contract_id,
							c.node_id,
							state_text(&c.state)
						)
					})
					.collect::<Vec<_>>()
					.join("\n")
			};
			printed(text, Value::Array(contracts.iter().map(contract_json).collect()))
		}
		ContractCommand::Cancel { contract_id } => {
			client.cancel_contract(&context.signer()?, contract_id).await?;
			printed(
				format!("contract {contract_id} cancelled"),
				json!({ "contractId": contract_id }),
			)
		}
		ContractCommand::Settle { contract_id } => {
			client.settle_debt(&context.signer()?, contract_id).await?;
			printed(
				format!("contract {contract_id}: debt settled"),
				json!({ "contractId": contract_id }),
			)
		}
		ContractCommand::Repay { farm_id } => {
			let (signer, _) = context.signer_with_twin(client).await?;
			client.repay_written_off_debt(&signer, farm_id).await?;
			printed(
				format!("written-off debt to farm {farm_id} repaid"),
				json!({ "farmId": farm_id }),
			)
		}
		ContractCommand::Decrypt { contract_id, encryption_key } => {
			let contract = client
				.contract(contract_id)
				.await?
				.ok_or_else(|| Error::NotFound(format!("contract {contract_id} is not live")))?;
			if contract.deployment_data.0.is_empty() {
				return Err(Error::NotFound(format!(
					"contract {contract_id} keeps no deployment data"
				)));
			}
			let plain = load_key(&encryption_key)?.open(&contract.deployment_data.0).ok_or_else(|| {
				Error::Usage(format!("this key cannot decrypt contract {contract_id}'s data: it was encrypted to another key"))
			})?;
			printed(
				String::from_utf8_lossy(&plain).into_owned(),
				json!({ "deployment": format!("0x{}", hex::encode(&plain)) }),
			)
		}
	}
}

/// The contract (if live) and its bills and end among the last `blocks` finalized blocks.
async fn show_contract(client: &Client, contract_id: u64, blocks: u64) -> Result<Printed, Error> {
	use runtime::smart_contract_module::events::{ContractBilled, ContractCanceled};
	let contract = client.contract(contract_id).await?;
	let last = client.at_finalized().await?.block_number();
	let mut bills = Vec::new();
	let mut ended = None;
	for number in last.saturating_sub(blocks).max(1)..=last {
		let events = client.api().at_block(number).await?.events().fetch().await?;
		for billed in events.find::<ContractBilled>() {
			let billed = billed?;
			if billed.contract_id == contract_id {
				bills.push(
					json!({ "block": number, "windowStart": billed.window_start, "windowEnd": billed.window_end,
					"amount": billed.amount.to_string(), "paid": billed.paid.to_string() }),
				);
			}
		}
		for canceled in events.find::<ContractCanceled>() {
			let canceled = canceled?;
			if canceled.contract_id == contract_id {
				ended =
					Some(json!({ "block": number, "reason": format!("{:?}", canceled.reason) }));
			}
		}
	}
	let mut text = match &contract {
		Some(c) => format!(
			"contract {contract_id}: {}\nnode {}, twin {}\nreserves {}\ndeployment hash 0x{}\n{}billed until {} (Unix time), debt {}, deposit {}",
			state_text(&c.state),
			c.node_id,
			c.twin_id,
			resources_text(&c.resources),
			hex::encode(c.deployment_hash.0),
			c.public_ips.0.iter().map(|ip| format!("public IP {}/{} via {}\n", ip_text(&ip.ip), ip.prefix, ip_text(&ip.gateway))).collect::<String>(),
			c.billed_until,
			format_tft(c.debt),
			format_tft(c.deposit)
		),
		None => format!("contract {contract_id} is not live"),
	};
	if let Some(ended) = &ended {
		text.push_str(&format!(
			"\nended in block {}: {}",
			ended["block"],
			ended["reason"].as_str().unwrap_or_default()
		));
	}
	text.push_str(&format!("\n{} bills in the last {blocks} blocks", bills.len()));
	for bill in &bills {
		let amount: u128 = bill["amount"].as_str().and_then(|a| a.parse().ok()).unwrap_or_default();
		let paid: u128 = bill["paid"].as_str().and_then(|a| a.parse().ok()).unwrap_or_default();
		text.push_str(&format!(
			"\n  block {}: {} to {}, {} ({} paid)",
			bill["block"],
			bill["windowStart"],
			bill["windowEnd"],
			format_tft(amount),
			format_tft(paid)
		));
	}
	let json =
		json!({ "contract": contract.as_ref().map(contract_json), "bills": bills, "ended": ended });
	printed(text, json)
}

async fn send_deployment(
	context: &Context,
	client: &Client,
	contract_id: u64,
	file: &PathBuf,
	agent: &str,
) -> Result<Printed, Error> {
	let signer = context.signer()?;
	let contract = client
		.contract(contract_id)
		.await?
		.ok_or_else(|| Error::NotFound(format!("contract {contract_id} is not live")))?;
	let request = DeploymentRequest::sign(
		&signer,
		&client.genesis_hash(),
		contract.node_id,
		contract_id,
		read(file)?,
	);
	let stream = tokio::net::TcpStream::connect(agent)
		.await
		.map_err(|error| Error::Usage(format!("no agent at {agent}: {error}")))?;
	let (reader, mut writer) = stream.into_split();
	let mut line = serde_json::to_vec(&request).map_err(|error| Error::Usage(error.to_string()))?;
	line.push(b'\n');
	writer.write_all(&line).await?;
	let mut answer = String::new();
	tokio::time::timeout(Duration::from_secs(120), BufReader::new(reader).read_line(&mut answer))
		.await
		.map_err(|_| {
			Error::Usage(format!("the agent at {agent} did not answer within 2 minutes"))
		})??;
	let response: DeploymentResponse = serde_json::from_str(&answer)
		.map_err(|error| Error::Usage(format!("the agent's answer is not understood: {error}")))?;
	let json = serde_json::to_value(&response).unwrap_or_default();
	match &response.refused {
		None => printed(format!("node {}: {}", contract.node_id, response.message), json),
		Some(reason) => Err(Error::Usage(format!(
			"node {} refused the deployment: {reason}: {}",
			contract.node_id, response.message
		))),
	}
}

async fn run_agent(context: &Context, args: AgentArgs) -> Result<Printed, Error> {
	let provisioner =
		DirectoryProvisioner::new(args.data.join("deployments")).map_err(Error::Usage)?;
	let settings = agent::Settings {
		urls: context.cli_urls.clone(),
		signer: context.signer()?,
		ledger: args.data.join("ledger.json"),
		listen: args.listen,
		report_every: Duration::from_secs(args.report_every.max(1)),
		reconcile_every: Duration::from_secs(args.reconcile_every.max(1)),
	};
	agent::run(settings, Arc::new(provisioner)).await?;
	printed("the agent stopped", json!({}))
}

async fn council_command(
	context: &Context,
	client: &Client,
	command: CouncilCommand,
) -> Result<Printed, Error> {
	match command {
		CouncilCommand::Show => {
			let members = client.council_members().await?;
			let motions = client.motions().await?;
			let addresses =
				|accounts: &[[u8; 32]]| accounts.iter().map(ss58::encode).collect::<Vec<_>>();
			let mut text = format!("members {}", addresses(&members).join(", "));
			for motion in &motions {
				text.push_str(&format!(
					"\nmotion {} {}: {} of {} ayes, {} nays, ends at block {}",
					motion.index,
					motion.call,
					motion.ayes.len(),
					motion.threshold,
					motion.nays.len(),
					motion.end
				));
			}
			let json_motions: Vec<Value> = motions
				.iter()
				.map(|motion| {
					json!({ "index": motion.index, "hash": format!("{:?}", motion.hash), "call": motion.call,
						"threshold": motion.threshold, "ayes": addresses(&motion.ayes),
						"nays": addresses(&motion.nays), "end": motion.end })
				})
				.collect();
			printed(text, json!({ "members": addresses(&members), "motions": json_motions }))
		}
		CouncilCommand::Propose(proposal) => {
			let call = governance_call(client, proposal).await?;
			match client.propose(&context.signer()?, call).await? {
				Some(index) => printed(
					format!("motion {index} proposed: members vote with `gridchain council vote {index} aye`"),
					json!({ "index": index }),
				),
				None => printed("the council of one made the call", json!({ "index": null, "executed": true })),
			}
		}
		CouncilCommand::Vote { index, vote } => {
			let approve = matches!(vote, Vote::Aye);
			client.vote(&context.signer()?, index, approve).await?;
			let word = if approve { "aye" } else { "nay" };
			printed(
				format!("voted {word} on motion {index}"),
				json!({ "index": index, "approve": approve }),
			)
		}
		CouncilCommand::Close { index } => match client.close(&context.signer()?, index).await? {
			Closed::Executed => printed(
				format!("motion {index} passed and its call succeeded"),
				json!({ "index": index, "outcome": "executed" }),
			),
			Closed::Disapproved => printed(
				format!("motion {index} failed: too few ayes"),
				json!({ "index": index, "outcome": "disapproved" }),
			),
		},
	}
}

/// The call a proposal makes; a pricing policy starts from the one in force.
async fn governance_call(client: &Client, proposal: Proposal) -> Result<GovernanceCall, Error> {
	let account = |address: &str| {
		ss58::decode(address).ok_or_else(|| Error::Usage(format!("`{address}` is not an address")))
	};
	Ok(match proposal {
		Proposal::TftPrice { usd } => GovernanceCall::TftPrice(usd),
		Proposal::AddValidator { account: address } => {
			GovernanceCall::AddValidator(account(&address)?)
		}
		Proposal::RemoveValidator { account: address } => {
			GovernanceCall::RemoveValidator(account(&address)?)
		}
		Proposal::PricingPolicy(args) => {
			let current = client.current_prices().await?.and_then(|prices| prices.policy);
			let missing = |name: &str| {
				Error::Usage(format!("the chain has no pricing policy yet: give --{name} too"))
			};
			macro_rules! field {
				($arg:ident, $name:literal, $from:expr) => {
					match (args.$arg, &current) {
						(Some(value), _) => value,
						(None, Some(policy)) => $from(policy),
						(None, None) => return Err(missing($name)),
					}
				};
			}
			GovernanceCall::PricingPolicy(Policy {
				cu: field!(cu, "cu", |p: &Policy| p.cu),
				su: field!(su, "su", |p: &Policy| p.su),
				ipv4: field!(ipv4, "ipv4", |p: &Policy| p.ipv4),
				nu: field!(nu, "nu", |p: &Policy| p.nu),
				farmer_share: Perbill(field!(farmer_share, "farmer-share", |p: &Policy| {
					p.farmer_share.0
				})),
				foundation_share: Perbill(field!(
					foundation_share,
					"foundation-share",
					|p: &Policy| { p.foundation_share.0 }
				)),
				grace_period: field!(grace_period, "grace-period", |p: &Policy| p.grace_period),
				deployment_timeout: field!(
					deployment_timeout,
					"deployment-timeout",
					|p: &Policy| { p.deployment_timeout }
				),
				charge_interval: field!(charge_interval, "charge-interval", |p: &Policy| {
					p.charge_interval
				}),
			})
		}
	})
}

type Policy = runtime::runtime_types::pallet_smart_contract::pricing::PricingPolicy<u32>;
