// The token as wallets show it. Included by the runtime (`lib.rs`) and by its build script,
// which builds the runtime with the hash of its metadata, symbol and decimals included.

/// The token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "TFT";
/// The number of decimals shown by wallets.
pub const TOKEN_DECIMALS: u8 = 7;
