//! What a user does with a deployment before it goes on chain: hash it, and encrypt it to
//! their own key so that only they can read it back (docs/users.md, step 3; the end-to-end
//! tests' `tests/e2e/lib/deployment.js` is the same in JavaScript, and both check the vectors
//! in `tests/vectors/deployment.json`).
//!
//! Encryption: ECIES over X25519. An ephemeral X25519 key agrees a secret with the recipient's
//! public key, HKDF-SHA256 (salt: ephemeral public key ‖ recipient's public key; info:
//! `gridchain deployment v1`) derives a 32-byte key, and NaCl secretbox (XSalsa20-Poly1305)
//! encrypts with a random 24-byte nonce. The sealed bytes are
//! `ephemeral public key (32) ‖ nonce (24) ‖ secretbox (16-byte tag ‖ ciphertext)`.

use crypto_secretbox::{aead::Aead, KeyInit, XSalsa20Poly1305};
use hkdf::Hkdf;
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

/// The HKDF info string of the scheme's first version.
const INFO: &[u8] = b"gridchain deployment v1";
/// Bytes before the secretbox in sealed data: the ephemeral public key and the nonce.
const HEADER: usize = 32 + 24;
/// Bytes the secretbox adds to the message: its Poly1305 tag.
pub const OVERHEAD: usize = HEADER + 16;

/// The deployment hash the chain stores: BLAKE2b-256 (no key) of the deployment's bytes.
pub fn deployment_hash(deployment: &[u8]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(deployment)
}

/// A user's X25519 key pair: the public key goes in their twin (`pk`), the secret key decrypts
/// their deployment data.
#[derive(Clone)]
pub struct EncryptionKey {
	secret: StaticSecret,
}

impl EncryptionKey {
	/// A new random key pair.
	pub fn generate() -> Result<Self, getrandom::Error> {
		Ok(Self::from_secret(random()?))
	}

	/// The key pair of a 32-byte secret key.
	pub fn from_secret(secret: [u8; 32]) -> Self {
		Self { secret: StaticSecret::from(secret) }
	}

	/// The secret key's bytes, to keep.
	pub fn secret_bytes(&self) -> [u8; 32] {
		self.secret.to_bytes()
	}

	/// The public key's bytes, for the twin.
	pub fn public_bytes(&self) -> [u8; 32] {
		PublicKey::from(&self.secret).to_bytes()
	}

	/// Decrypts what [`seal`] made for this key; `None` if it was not made for it or was
	/// changed since.
	pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
		if sealed.len() < OVERHEAD {
			return None;
		}
		let (ephemeral_public, rest) = sealed.split_at(32);
		let (nonce, boxed) = rest.split_at(24);
		let ephemeral_public: [u8; 32] = ephemeral_public.try_into().ok()?;
		let key =
			shared_key(&self.secret, &ephemeral_public, &ephemeral_public, &self.public_bytes());
		XSalsa20Poly1305::new(&key.into()).decrypt(nonce.into(), boxed).ok()
	}
}

/// Encrypts `message` so that only the holder of `recipient`'s secret key can read it, with a
/// fresh ephemeral key and nonce.
pub fn seal(message: &[u8], recipient: &[u8; 32]) -> Result<Vec<u8>, getrandom::Error> {
	Ok(seal_with(message, recipient, random()?, random()?))
}

/// [`seal`] with the ephemeral secret key and the nonce given: for test vectors only, as a
/// repeated ephemeral key or nonce gives away the message.
pub fn seal_with(
	message: &[u8],
	recipient: &[u8; 32],
	ephemeral_secret: [u8; 32],
	nonce: [u8; 24],
) -> Vec<u8> {
	let ephemeral = EncryptionKey::from_secret(ephemeral_secret);
	let ephemeral_public = ephemeral.public_bytes();
	let key = shared_key(&ephemeral.secret, recipient, &ephemeral_public, recipient);
	let boxed = XSalsa20Poly1305::new(&key.into())
		.encrypt(&nonce.into(), message)
		.expect("XSalsa20-Poly1305 encrypts any message that fits in memory");
	[&ephemeral_public[..], &nonce[..], &boxed[..]].concat()
}

/// The secretbox key both sides derive: HKDF-SHA256 of the X25519 agreement between `secret`
/// and `public`, salted with the ephemeral and the recipient's public keys.
fn shared_key(
	secret: &StaticSecret,
	public: &[u8; 32],
	ephemeral_public: &[u8; 32],
	recipient_public: &[u8; 32],
) -> [u8; 32] {
	let shared = secret.diffie_hellman(&PublicKey::from(*public));
	let salt = [&ephemeral_public[..], &recipient_public[..]].concat();
	let mut key = [0u8; 32];
	Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes())
		.expand(INFO, &mut key)
		.expect("32 bytes is a valid HKDF-SHA256 output length");
	key
}

fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
	let mut bytes = [0u8; N];
	getrandom::getrandom(&mut bytes)?;
	Ok(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::Value;

	/// The vectors the JavaScript of the end-to-end tests checks too.
	fn vectors() -> Value {
		serde_json::from_str(include_str!("../../tests/vectors/deployment.json"))
			.expect("the vectors are JSON")
	}

	fn bytes(value: &Value) -> Vec<u8> {
		let text = value.as_str().expect("a hex string");
		hex::decode(text.trim_start_matches("0x")).expect("hex")
	}

	fn array<const N: usize>(value: &Value) -> [u8; N] {
		bytes(value).try_into().expect("the right length")
	}

	#[test]
	fn hash_matches_the_shared_vectors() {
		for vector in vectors()["hash"].as_array().expect("hash vectors") {
			assert_eq!(deployment_hash(&bytes(&vector["deployment"])), array(&vector["hash"]));
		}
	}

	#[test]
	fn sealing_matches_the_shared_vectors() {
		for vector in vectors()["encryption"].as_array().expect("encryption vectors") {
			let recipient = EncryptionKey::from_secret(array(&vector["recipientSecret"]));
			assert_eq!(recipient.public_bytes(), array(&vector["recipientPublic"]));
			let message = bytes(&vector["message"]);
			let sealed = seal_with(
				&message,
				&recipient.public_bytes(),
				array(&vector["ephemeralSecret"]),
				array(&vector["nonce"]),
			);
			assert_eq!(sealed, bytes(&vector["sealed"]));
			assert_eq!(recipient.open(&sealed), Some(message));
		}
	}

	#[test]
	fn sealed_data_opens_only_with_the_recipients_key() {
		let me = EncryptionKey::generate().expect("randomness");
		let someone_else = EncryptionKey::generate().expect("randomness");
		let sealed = seal(b"deployment", &me.public_bytes()).expect("randomness");
		assert_eq!(me.open(&sealed).as_deref(), Some(&b"deployment"[..]));
		assert_eq!(someone_else.open(&sealed), None);
	}

	#[test]
	fn tampered_data_does_not_open() {
		let me = EncryptionKey::generate().expect("randomness");
		let sealed = seal(b"deployment", &me.public_bytes()).expect("randomness");
		for index in [0, 40, sealed.len() - 1] {
			let mut tampered = sealed.clone();
			tampered[index] ^= 1;
			assert_eq!(me.open(&tampered), None, "byte {index} changed");
		}
		assert_eq!(me.open(&sealed[..OVERHEAD - 1]), None);
	}

	#[test]
	fn each_seal_uses_a_new_ephemeral_key_and_nonce() {
		let me = EncryptionKey::generate().expect("randomness");
		let first = seal(b"deployment", &me.public_bytes()).expect("randomness");
		let second = seal(b"deployment", &me.public_bytes()).expect("randomness");
		assert_ne!(first[..HEADER], second[..HEADER]);
	}
}
