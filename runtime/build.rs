fn main() {
	#[cfg(feature = "std")]
	{
		let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults();
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
