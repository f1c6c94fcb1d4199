fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		// The same runtime one `spec_version` later, as
		// `wbuild/gridchain-runtime/next_spec_version.rs.compact.compressed.wasm`: the runtime
		// upgrade end-to-end test sets it on a live chain.
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("next-spec-version")
			.set_file_name("next_spec_version.rs")
			.build();
	}
}
