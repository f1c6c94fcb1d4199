//! Generates the chain's typed API (calls, storage, events, runtime API, constants and every
//! type they use) from the runtime this workspace builds: its metadata is read natively from
//! `gridchain_runtime`, so no node, network or checked-in metadata file is involved and the
//! client cannot drift from the runtime.

use std::{env, fs, path::PathBuf};

fn main() {
	// Format 16 lists everything the client uses, the runtime API's methods included.
	let bytes = gridchain_runtime::Runtime::metadata_at_version(16)
		.expect("the runtime provides metadata format 16");
	let metadata =
		subxt_metadata::Metadata::decode_from(&bytes[..]).expect("the runtime's metadata decodes");
	let mut codegen = subxt_codegen::CodegenBuilder::new();
	codegen.set_target_module(syn_module());
	let code = codegen.generate(metadata).expect("subxt generates the API from the metadata");
	let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("runtime.rs");
	fs::write(&out, code.to_string()).expect("OUT_DIR is writable");
}

/// The module the generated API lives in: `gridchain_client::runtime`.
fn syn_module() -> subxt_codegen::syn::ItemMod {
	subxt_codegen::syn::parse_quote!(
		pub mod runtime {}
	)
}
