//! Amounts a person types and reads: sizes in bytes with binary units, TFT with 7 decimals,
//! prices in USD and shares in percent.

/// Plancks in one TFT (the token has 7 decimals).
pub const PLANCKS_PER_TFT: u128 = 10_000_000;

/// A size in bytes, as a number with an optional binary unit: `4G` (4 GiB), `100GiB`, `512M`,
/// `1T`, `4096`.
pub fn parse_size(text: &str) -> Result<u64, String> {
	let text = text.trim();
	let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
	let (number, unit) = text.split_at(digits);
	let number: u64 =
		number.parse().map_err(|_| format!("`{text}` is not a size (e.g. 4G, 100GiB, 4096)"))?;
	let shift = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B')
	{
		"" => 0,
		"K" => 10,
		"M" => 20,
		"G" => 30,
		"T" => 40,
		_ => return Err(format!("`{unit}` is not a unit: K, M, G or T (binary)")),
	};
	number.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))
}

/// A size in bytes as a person reads it: `4 GiB`, `100 GiB`, `1536 MiB`, `7 B`.
pub fn format_size(bytes: u64) -> String {
	for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
		if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
			return format!("{} {unit}", bytes >> shift);
		}
	}
	format!("{bytes} B")
}

/// An amount in plancks as TFT: `3.625 TFT`, `0.0000001 TFT`.
pub fn format_tft(plancks: u128) -> String {
	let whole = plancks / PLANCKS_PER_TFT;
	let fraction = plancks % PLANCKS_PER_TFT;
	if fraction == 0 {
		return format!("{whole} TFT");
	}
	let digits = format!("{fraction:07}");
	format!("{whole}.{} TFT", digits.trim_end_matches('0'))
}

/// A price in USD (`0.05`, `12`) in micro-USD, the chain's unit of prices.
pub fn parse_usd(text: &str) -> Result<u64, String> {
	parse_decimal(text, 6).map_err(|error| format!("{error} (a price in USD, e.g. 0.05)"))
}

/// A share in percent (`50`, `12.5`) in parts per billion, the chain's `Perbill`.
pub fn parse_percent(text: &str) -> Result<u32, String> {
	let parts =
		parse_decimal(text, 7).map_err(|error| format!("{error} (a percentage, e.g. 12.5)"))?;
	u32::try_from(parts)
		.ok()
		.filter(|parts| *parts <= 1_000_000_000)
		.ok_or_else(|| format!("`{text}` is more than 100%"))
}

/// A decimal number with at most `decimals` digits after the point, scaled by 10^`decimals`.
fn parse_decimal(text: &str, decimals: u32) -> Result<u64, String> {
	let text = text.trim();
	let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
	let (whole, fraction, valid) = match text.split_once('.') {
		Some((whole, fraction)) => (whole, fraction, digits(whole) && digits(fraction)),
		None => (text, "", digits(text)),
	};
	if !valid {
		return Err(format!("`{text}` is not a number"));
	}
	if fraction.len() > decimals as usize {
		return Err(format!("`{text}` has more than {decimals} decimals"));
	}
	let scaled = format!("{whole}{fraction:0<width$}", width = decimals as usize);
	scaled.parse().map_err(|_| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sizes_read_with_binary_units() {
		assert_eq!(parse_size("4096"), Ok(4096));
		assert_eq!(parse_size("4G"), Ok(4 << 30));
		assert_eq!(parse_size("100GiB"), Ok(100 << 30));
		assert_eq!(parse_size("512 MB"), Ok(512 << 20));
		assert!(parse_size("4X").is_err());
		assert!(parse_size("G").is_err());
		assert!(parse_size("99999999T").is_err());
	}

	#[test]
	fn sizes_and_amounts_print_for_a_person() {
		assert_eq!(format_size(100 << 30), "100 GiB");
		assert_eq!(format_size(1536 << 20), "1536 MiB");
		assert_eq!(format_size(7), "7 B");
		assert_eq!(format_tft(36_250_000), "3.625 TFT");
		assert_eq!(format_tft(1), "0.0000001 TFT");
		assert_eq!(format_tft(20_000_000), "2 TFT");
	}

	#[test]
	fn prices_and_shares_read_as_decimals() {
		assert_eq!(parse_usd("0.05"), Ok(50_000));
		assert_eq!(parse_usd("12"), Ok(12_000_000));
		assert_eq!(parse_usd("0.000001"), Ok(1));
		assert!(parse_usd("0.0000001").is_err());
		assert!(parse_usd("-1").is_err());
		assert!(parse_usd("1.").is_err());
		assert!(parse_usd(".5").is_err());
		assert!(parse_usd("99999999999999999999").is_err());
		assert_eq!(parse_percent("50"), Ok(500_000_000));
		assert_eq!(parse_percent("12.5"), Ok(125_000_000));
		assert_eq!(parse_percent("100"), Ok(1_000_000_000));
		assert!(parse_percent("100.1").is_err());
	}
}
