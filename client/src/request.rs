//! A user's deployment request to a node's agent, signed by the user's account key.
//!
//! The spec's peer-to-peer message bus carries the contract id and the deployment from the user
//! to the node. The agent (`gridchain agent`) stands it in with a loopback endpoint that takes
//! one JSON request per line:
//!
//! ```json
//! {"contractId": 7, "deployment": "0x…", "account": "5Grw…", "signature": "0x…"}
//! ```
//!
//! The signature is the account's sr25519 signature of [`signed_message`]: a fixed tag, the
//! chain's genesis hash, the node id, the contract id and the deployment's hash. So a request
//! cannot be replayed on another chain or to another node, nor carry another deployment than
//! the one signed. The agent checks the signature against the account, and the account's twin
//! against the contract's owner through the runtime API.

use serde::{Deserialize, Serialize};
use subxt_signer::sr25519::{self, Keypair, PublicKey, Signature};

/// What the signature's message starts with: this scheme's name and version.
const TAG: &[u8] = b"gridchain deployment request v1";

/// A deployment sent to a node, as the agent receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentRequest {
	/// The contract the deployment is for.
	pub contract_id: u64,
	/// The deployment's bytes, as `0x` and hex: what the contract's deployment hash is over.
	#[serde(with = "hex_bytes")]
	pub deployment: Vec<u8>,
	/// The account that signed the request (SS58, any prefix).
	pub account: String,
	/// Its sr25519 signature of [`signed_message`], as `0x` and hex.
	#[serde(with = "hex_bytes")]
	pub signature: Vec<u8>,
}

/// The agent's answer to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentResponse {
	/// Whether the node deployed the request and its confirmation is on chain.
	pub deployed: bool,
	/// Why it refused, when it did: e.g. `HashMismatch`, `TwinMismatch`, `BadSignature`.
	#[serde(skip_serializing_if = "Option::is_none", default)]
	pub refused: Option<String>,
	/// Details for a person.
	pub message: String,
}

/// Why a request's signature does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
	/// The account is not an SS58 address.
	BadAccount,
	/// The signature is not 64 bytes, or not the account's signature of this request.
	BadSignature,
}

/// The bytes the user signs: [`TAG`] ‖ genesis hash ‖ node id (u32, little endian) ‖ contract
/// id (u64, little endian) ‖ deployment hash.
pub fn signed_message(
	genesis_hash: &[u8; 32],
	node_id: u32,
	contract_id: u64,
	deployment_hash: &[u8; 32],
) -> Vec<u8> {
	[
		TAG,
		&genesis_hash[..],
		&node_id.to_le_bytes()[..],
		&contract_id.to_le_bytes()[..],
		&deployment_hash[..],
	]
	.concat()
}

impl DeploymentRequest {
	/// A request for `deployment` on `contract_id`, at node `node_id` of the chain whose genesis
	/// hash is `genesis_hash`, signed by `signer`.
	pub fn sign(
		signer: &Keypair,
		genesis_hash: &[u8; 32],
		node_id: u32,
		contract_id: u64,
		deployment: Vec<u8>,
	) -> Self {
		let hash = crate::deployment::deployment_hash(&deployment);
		let message = signed_message(genesis_hash, node_id, contract_id, &hash);
		let account = crate::ss58::encode(&signer.public_key().0);
		Self { contract_id, deployment, account, signature: signer.sign(&message).0.to_vec() }
	}

	/// The signing account if the signature is its signature of this request for
	/// `node_id` on the chain of `genesis_hash`.
	pub fn verify(
		&self,
		genesis_hash: &[u8; 32],
		node_id: u32,
	) -> Result<[u8; 32], SignatureError> {
		let account = crate::ss58::decode(&self.account).ok_or(SignatureError::BadAccount)?;
		let signature: [u8; 64] =
			self.signature.as_slice().try_into().map_err(|_| SignatureError::BadSignature)?;
		let hash = crate::deployment::deployment_hash(&self.deployment);
		let message = signed_message(genesis_hash, node_id, self.contract_id, &hash);
		sr25519::verify(&Signature(signature), message, &PublicKey(account))
			.then_some(account)
			.ok_or(SignatureError::BadSignature)
	}
}

/// `0x`-prefixed hex for byte strings in JSON.
pub(crate) mod hex_bytes {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&format!("0x{}", hex::encode(bytes)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
		let text = String::deserialize(deserializer)?;
		let digits =
			text.strip_prefix("0x").ok_or_else(|| D::Error::custom("expected 0x and hex"))?;
		hex::decode(digits).map_err(D::Error::custom)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt_signer::sr25519::dev;

	const GENESIS: [u8; 32] = [7; 32];

	fn request() -> DeploymentRequest {
		DeploymentRequest::sign(&dev::bob(), &GENESIS, 1, 5, b"deployment".to_vec())
	}

	#[test]
	fn a_signed_request_verifies_as_its_signer() {
		assert_eq!(request().verify(&GENESIS, 1), Ok(dev::bob().public_key().0));
	}

	#[test]
	fn a_request_travels_as_json_and_still_verifies() {
		let json = serde_json::to_string(&request()).expect("serializes");
		assert!(json.contains("\"contractId\":5") && json.contains("\"deployment\":\"0x"));
		let back: DeploymentRequest = serde_json::from_str(&json).expect("deserializes");
		assert_eq!(back.verify(&GENESIS, 1), Ok(dev::bob().public_key().0));
	}

	#[test]
	fn tampered_deployment_is_refused() {
		let mut tampered = request();
		tampered.deployment = b"another deployment".to_vec();
		assert_eq!(tampered.verify(&GENESIS, 1), Err(SignatureError::BadSignature));
	}

	#[test]
	fn other_contract_is_refused() {
		let mut moved = request();
		moved.contract_id = 6;
		assert_eq!(moved.verify(&GENESIS, 1), Err(SignatureError::BadSignature));
	}

	#[test]
	fn replay_to_another_node_or_chain_is_refused() {
		assert_eq!(request().verify(&GENESIS, 2), Err(SignatureError::BadSignature));
		assert_eq!(request().verify(&[8; 32], 1), Err(SignatureError::BadSignature));
	}

	#[test]
	fn impersonation_with_another_account_is_refused() {
		let mut forged = request();
		forged.account = crate::ss58::encode(&dev::charlie().public_key().0);
		assert_eq!(forged.verify(&GENESIS, 1), Err(SignatureError::BadSignature));
	}

	#[test]
	fn malformed_account_or_signature_is_refused() {
		let mut bad = request();
		bad.account = "not an address".into();
		assert_eq!(bad.verify(&GENESIS, 1), Err(SignatureError::BadAccount));
		let mut short = request();
		short.signature.truncate(63);
		assert_eq!(short.verify(&GENESIS, 1), Err(SignatureError::BadSignature));
	}
}
