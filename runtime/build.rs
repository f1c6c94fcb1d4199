#[cfg(feature = "std")]
include!("src/token.rs");

fn main() {
	#[cfg(feature = "std")]
	{
		// The hash of the runtime's metadata, with the token's symbol and decimals, for the
		// CheckMetadataHash transaction extension: what offline signers (a Ledger) verify the
		// metadata they decode a transaction with against (RFC 78, docs/chain.md).
		let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash(TOKEN_SYMBOL, TOKEN_DECIMALS);
		// Built with `next-spec-version` (`cargo build -p gridchain-runtime --features
		// next-spec-version`, which the test command runs for the runtime-upgrade test), the
		// runtime is the same one `spec_version` later, and goes to a file of its own,
		// `wbuild/gridchain-runtime/next_spec_version.rs.compact.compressed.wasm`, so that the
		// real runtime's wasm is left as it is.
		#[cfg(feature = "next-spec-version")]
		let builder = builder.set_file_name("next_spec_version.rs");
		builder.build();
	}
}
