//! Council motions: the calls only governance may make (prices, validators), proposed, voted
//! and closed by the council's members (docs/governance.md).
//!
//! A member proposes a [`GovernanceCall`] with [`Client::propose`], which asks for as many ayes
//! as the call's origin requires of the council as it is now; members vote with
//! [`Client::vote`]; anyone closes it with [`Client::close`], which dispatches the call once it
//! has its ayes and says whether the call itself succeeded.

use crate::{
	chain::{event, fetch, AtBlock, Included},
	error::lower_camel,
	runtime::{
		self,
		runtime_types::{
			gridchain_runtime::RuntimeCall,
			pallet_collective::Votes,
			pallet_smart_contract::{pallet::Call as SmartContractCall, pricing::PricingPolicy},
			pallet_validator_set::pallet::Call as ValidatorSetCall,
		},
	},
	Client, Error,
};
use subxt::{
	utils::{AccountId32, H256},
	ArcMetadata, Metadata,
};
use subxt_signer::sr25519::Keypair;

/// A call that needs the council's origin.
#[derive(Debug)]
pub enum GovernanceCall {
	/// `smartContractModule.setPricingPolicy`.
	PricingPolicy(PricingPolicy<u32>),
	/// `smartContractModule.setTftPrice`, in micro-USD.
	TftPrice(u64),
	/// `validatorSet.addValidator`.
	AddValidator([u8; 32]),
	/// `validatorSet.removeValidator`.
	RemoveValidator([u8; 32]),
}

/// The share of the council's members a call requires (`runtime/src/configs.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
	/// More than half (`CouncilMajority`).
	MoreThanHalf,
	/// At least two thirds (`CouncilTwoThirds`).
	TwoThirds,
}

impl Share {
	/// The fewest ayes out of `members` that make this share.
	pub fn ayes_needed(self, members: u32) -> u32 {
		match self {
			Self::MoreThanHalf => members / 2 + 1,
			Self::TwoThirds => (2 * members).div_ceil(3),
		}
	}
}

impl GovernanceCall {
	/// The share of the council the call's origin requires.
	pub fn share(&self) -> Share {
		match self {
			Self::PricingPolicy(_) | Self::TftPrice(_) => Share::MoreThanHalf,
			Self::AddValidator(_) | Self::RemoveValidator(_) => Share::TwoThirds,
		}
	}

	/// The call, as a motion carries it.
	pub fn runtime_call(self) -> RuntimeCall {
		match self {
			Self::PricingPolicy(policy) => {
				RuntimeCall::SmartContractModule(SmartContractCall::set_pricing_policy { policy })
			}
			Self::TftPrice(price) => {
				RuntimeCall::SmartContractModule(SmartContractCall::set_tft_price { price })
			}
			Self::AddValidator(account) => {
				RuntimeCall::ValidatorSet(ValidatorSetCall::add_validator {
					validator: AccountId32(account),
				})
			}
			Self::RemoveValidator(account) => {
				RuntimeCall::ValidatorSet(ValidatorSetCall::remove_validator {
					validator: AccountId32(account),
				})
			}
		}
	}
}

/// A motion being voted on.
#[derive(Clone, Debug)]
pub struct Motion {
	/// Its index: what votes and closing name it by.
	pub index: u32,
	/// The BLAKE2-256 hash of its call.
	pub hash: H256,
	/// Its call, `pallet.call` as apps names it.
	pub call: String,
	/// The ayes it needs.
	pub threshold: u32,
	/// Who voted aye.
	pub ayes: Vec<[u8; 32]>,
	/// Who voted nay.
	pub nays: Vec<[u8; 32]>,
	/// The block after which it can be closed whatever the votes.
	pub end: u32,
}

/// How a motion ended when it was closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
	/// It had its ayes, and its call succeeded.
	Executed,
	/// It had too few ayes; its call was not made.
	Disapproved,
}

impl Client {
	/// `council.members`: who may propose and vote.
	pub async fn council_members(&self) -> Result<Vec<[u8; 32]>, Error> {
		let members = self.get(runtime::storage().council().members(), ()).await?;
		Ok(members.unwrap_or_default().into_iter().map(|account| account.0).collect())
	}

	/// `council.propose`: the signer, a member, proposes `call` with as many ayes as its origin
	/// requires of the council now. Returns the motion's index, or `None` when a council of
	/// one executed it at once.
	pub async fn propose(
		&self,
		signer: &Keypair,
		call: GovernanceCall,
	) -> Result<Option<u32>, Error> {
		let members = u32::try_from(self.council_members().await?.len()).unwrap_or(u32::MAX);
		let threshold = call.share().ayes_needed(members);
		let call = call.runtime_call();
		let metadata = self.at_finalized().await?.metadata();
		let length = encoded_length(&metadata, &call)?;
		let included =
			self.submit(runtime::tx().council().propose(threshold, call, length), signer).await?;
		if threshold < 2 {
			outcome(metadata, &included)?;
			return Ok(None);
		}
		Ok(Some(event::<runtime::council::events::Proposed>(&included)?.proposal_index))
	}

	/// `council.vote`: the signer, a member, votes on the motion `index`.
	pub async fn vote(&self, signer: &Keypair, index: u32, approve: bool) -> Result<(), Error> {
		let (hash, ..) = find_motion(&self.at_finalized().await?, index).await?;
		self.submit(runtime::tx().council().vote(hash, index, approve), signer).await?;
		Ok(())
	}

	/// `council.close`: closes the motion `index`, which has enough votes either way or has
	/// passed its end. A call that the motion passed but that failed is an error, with the
	/// call's own pallet error.
	pub async fn close(&self, signer: &Keypair, index: u32) -> Result<Closed, Error> {
		let at = self.at_finalized().await?;
		let (hash, _, call) = find_motion(&at, index).await?;
		let length = encoded_length(&at.metadata(), &call)?;
		let info = at
			.runtime_apis()
			.call(
				runtime::runtime_apis()
					.transaction_payment_call_api()
					.query_call_info(call, length),
			)
			.await?;
		let included = self
			.submit(runtime::tx().council().close(hash, index, info.weight, length), signer)
			.await?;
		if included.events.has::<runtime::council::events::Disapproved>() {
			return Ok(Closed::Disapproved);
		}
		outcome(at.metadata(), &included)?;
		Ok(Closed::Executed)
	}

	/// The motions being voted on, as the last finalized block has them.
	pub async fn motions(&self) -> Result<Vec<Motion>, Error> {
		let at = self.at_finalized().await?;
		let metadata = at.metadata();
		let mut motions = Vec::new();
		for (hash, votes) in votes(&at).await? {
			let call = fetch(&at, runtime::storage().council().proposal_of(), (hash,)).await?;
			motions.push(motion(&metadata, hash, votes, call.as_ref())?);
		}
		Ok(motions)
	}

	/// The motion `index`, if the last finalized block has it being voted on.
	pub async fn motion(&self, index: u32) -> Result<Motion, Error> {
		let at = self.at_finalized().await?;
		let (hash, votes, call) = find_motion(&at, index).await?;
		motion(&at.metadata(), hash, votes, Some(&call))
	}
}

/// The motions being voted on at block `at`: each one's hash and votes.
async fn votes(at: &AtBlock) -> Result<Vec<(H256, Votes<AccountId32, u32>)>, Error> {
	let hashes = fetch(at, runtime::storage().council().proposals(), ()).await?;
	let mut motions = Vec::new();
	for hash in hashes.map(|hashes| hashes.0).unwrap_or_default() {
		if let Some(votes) = fetch(at, runtime::storage().council().voting(), (hash,)).await? {
			motions.push((hash, votes));
		}
	}
	Ok(motions)
}

/// The motion `index` at block `at`: its hash, its votes and its call.
async fn find_motion(
	at: &AtBlock,
	index: u32,
) -> Result<(H256, Votes<AccountId32, u32>, RuntimeCall), Error> {
	let not_found = || Error::NotFound(format!("no motion {index} is being voted on"));
	let (hash, votes) = votes(at)
		.await?
		.into_iter()
		.find(|(_, votes)| votes.index == index)
		.ok_or_else(not_found)?;
	let call = fetch(at, runtime::storage().council().proposal_of(), (hash,)).await?;
	Ok((hash, votes, call.ok_or_else(not_found)?))
}

/// A motion from its hash, its votes and its call (when the chain still has it).
fn motion(
	metadata: &Metadata,
	hash: H256,
	votes: Votes<AccountId32, u32>,
	call: Option<&RuntimeCall>,
) -> Result<Motion, Error> {
	Ok(Motion {
		index: votes.index,
		hash,
		call: call.map(|call| call_name(metadata, call)).transpose()?.unwrap_or_default(),
		threshold: votes.threshold,
		ayes: votes.ayes.into_iter().map(|account| account.0).collect(),
		nays: votes.nays.into_iter().map(|account| account.0).collect(),
		end: votes.end,
	})
}

/// A call's SCALE encoding, as the runtime's call type has it.
fn encode(metadata: &Metadata, call: &RuntimeCall) -> Result<Vec<u8>, Error> {
	use subxt::ext::scale_encode::EncodeAsType;
	call.encode_as_type(metadata.outer_enums().call_enum_ty(), metadata.types())
		.map_err(|error| Error::Chain(error.to_string()))
}

/// The length of a call's encoding: what bounds a motion's size.
fn encoded_length(metadata: &Metadata, call: &RuntimeCall) -> Result<u32, Error> {
	Ok(u32::try_from(encode(metadata, call)?.len()).unwrap_or(u32::MAX))
}

/// `smartContractModule.setTftPrice`: a call's pallet and name as apps shows them, read from
/// its first two bytes (the pallet's and the call's index) and the metadata.
fn call_name(metadata: &Metadata, call: &RuntimeCall) -> Result<String, Error> {
	let encoded = encode(metadata, call)?;
	let name = match encoded[..] {
		[pallet, call, ..] => metadata.pallet_by_call_index(pallet).and_then(|pallet| {
			let call = pallet.call_variant_by_index(call)?;
			Some(format!(
				"{}.{}",
				lower_camel(pallet.name()),
				lower_camel(&snake_to_camel(&call.name))
			))
		}),
		_ => None,
	};
	name.ok_or_else(|| Error::Chain("a motion's call is not in the metadata".into()))
}

/// The result of the call a motion dispatched (`council.Executed`), as this client's error when
/// it failed.
fn outcome(metadata: ArcMetadata, included: &Included) -> Result<(), Error> {
	let mut executed = None;
	for event in included.events.iter() {
		let event = event?;
		if event.pallet_name() == "Council" && event.event_name() == "Executed" {
			executed = Some(event);
			break;
		}
	}
	let executed =
		executed.ok_or_else(|| Error::Chain("the motion's call was not executed".into()))?;
	// The fields: the proposal's hash (32 bytes), then `Result<(), DispatchError>`.
	match executed.field_bytes().get(32..) {
		Some([0, ..]) => Ok(()),
		Some([1, error @ ..]) => {
			Err(subxt::error::DispatchError::decode_from(error.to_vec(), metadata)
				.map_err(|error| Error::Chain(error.to_string()))?
				.into())
		}
		_ => Err(Error::Chain("council.Executed has no result".into())),
	}
}

/// `set_tft_price` → `SetTftPrice`.
fn snake_to_camel(name: &str) -> String {
	name.split('_')
		.map(|word| {
			let mut chars = word.chars();
			chars
				.next()
				.map(|first| first.to_uppercase().chain(chars).collect::<String>())
				.unwrap_or_default()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ayes_needed_match_the_runtime_origins() {
		// EnsureProportionMoreThan<1, 2>: ayes * 2 > members.
		assert_eq!(Share::MoreThanHalf.ayes_needed(1), 1);
		assert_eq!(Share::MoreThanHalf.ayes_needed(3), 2);
		assert_eq!(Share::MoreThanHalf.ayes_needed(4), 3);
		// EnsureProportionAtLeast<2, 3>: ayes * 3 >= members * 2.
		assert_eq!(Share::TwoThirds.ayes_needed(3), 2);
		assert_eq!(Share::TwoThirds.ayes_needed(4), 3);
		assert_eq!(Share::TwoThirds.ayes_needed(6), 4);
		for members in 1..=32u32 {
			let more_than_half = Share::MoreThanHalf.ayes_needed(members);
			assert!(more_than_half * 2 > members && (more_than_half - 1) * 2 <= members);
			let two_thirds = Share::TwoThirds.ayes_needed(members);
			assert!(two_thirds * 3 >= members * 2 && (two_thirds - 1) * 3 < members * 2);
		}
	}

	#[test]
	fn call_names_are_camel_case() {
		assert_eq!(lower_camel(&snake_to_camel("set_tft_price")), "setTftPrice");
		assert_eq!(lower_camel(&snake_to_camel("add_validator")), "addValidator");
	}
}
