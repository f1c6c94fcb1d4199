//! Account addresses in SS58: this chain prints them with its prefix, 7171, and reads any
//! prefix (a `5…` address of the dev accounts is the same account).

/// The chain's SS58 prefix (`SS58_PREFIX` in the runtime, `ss58Format` in its properties).
pub const PREFIX: u16 = 7171;

const CHECKSUM_TAG: &[u8] = b"SS58PRE";

/// The address of a 32-byte account id with the chain's prefix.
pub fn encode(account: &[u8; 32]) -> String {
	// Prefixes from 64 take two bytes: the low six bits of the prefix's high byte go first.
	let prefix = [
		((PREFIX & 0b1111_1100) as u8 >> 2) | 0b0100_0000,
		((PREFIX >> 8) as u8) | (((PREFIX & 0b11) as u8) << 6),
	];
	let mut bytes = [&prefix[..], &account[..]].concat();
	let checksum = sp_crypto_hashing::blake2_512(&[CHECKSUM_TAG, &bytes].concat());
	bytes.extend_from_slice(&checksum[..2]);
	bs58::encode(bytes).into_string()
}

/// The account id of an SS58 address of 32-byte accounts, whatever its prefix; `None` if the
/// text is not one or its checksum is wrong.
pub fn decode(address: &str) -> Option<[u8; 32]> {
	let bytes = bs58::decode(address).into_vec().ok()?;
	let prefix_length = match bytes.first()? {
		0..=63 => 1,
		64..=127 => 2,
		_ => return None,
	};
	if bytes.len() != prefix_length + 32 + 2 {
		return None;
	}
	let (body, checksum) = bytes.split_at(prefix_length + 32);
	let expected = sp_crypto_hashing::blake2_512(&[CHECKSUM_TAG, body].concat());
	if checksum != &expected[..2] {
		return None;
	}
	body[prefix_length..].try_into().ok()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Alice's account in the generic form (prefix 42)…
	const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	/// …and with this chain's prefix, as `encodeAddress(ALICE, 7171)` of `@polkadot/util-crypto`
	/// prints it (and apps shows it).
	const ALICE_7171: &str = "VZq3iwdTgJZfMkGQxscXnir8E3PawDjnEUdr4gYzyK7G919WH";

	#[test]
	fn reads_any_prefix_and_prints_the_chains() {
		let alice = decode(ALICE).expect("a valid address");
		assert_eq!(encode(&alice), ALICE_7171);
		assert_eq!(decode(ALICE_7171), Some(alice));
	}

	#[test]
	fn refuses_a_wrong_checksum() {
		let mut bytes = bs58::decode(ALICE).into_vec().expect("base58");
		let last = bytes.len() - 1;
		bytes[last] ^= 1;
		assert_eq!(decode(&bs58::encode(bytes).into_string()), None);
		assert_eq!(decode("not an address"), None);
	}
}
