//! Grid chain node: a validator or full node of the Grid chain.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() {
	// Accounts printed by the node and its `key` subcommands use Grid chain addresses.
	sp_core::crypto::set_default_ss58_version(sp_core::crypto::Ss58AddressFormat::custom(
		gridchain_runtime::SS58_PREFIX,
	));
	if let Err(error) = command::run() {
		// A clear one-line message for bad input (an unreadable chain spec, a busy port, ...),
		// rather than the debug representation of the error.
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
