//! Who may change what on a network without sudo: the council's motions pass the origins the
//! runtime states (docs/governance.md), and a smaller share of the council or a stranger is
//! refused by name.

use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
use gridchain_runtime::{
	configs::CouncilCollective, genesis_presets::PRICING_POLICY, AccountId, Council, Runtime,
	RuntimeCall, RuntimeOrigin, SmartContractModule, System, ValidatorSet, Whitelist,
};
use sp_keyring::Sr25519Keyring::{Alice, Eve};
use sp_runtime::{traits::Hash, DispatchError};

mod common;
use common::chain_of;

/// The origin of a council motion that `ayes` of the `members` approved.
fn motion(ayes: u32, members: u32) -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(ayes, members).into()
}

#[test]
fn more_than_half_of_the_council_sets_the_pricing_policy() {
	chain_of("local_testnet").execute_with(|| {
		let policy = pallet_smart_contract::pricing::PricingPolicy { cu: 30_000, ..PRICING_POLICY };
		assert_noop!(
			SmartContractModule::set_pricing_policy(motion(2, 4), policy),
			DispatchError::BadOrigin
		);
		assert_ok!(SmartContractModule::set_pricing_policy(motion(3, 4), policy));
		assert_ok!(SmartContractModule::set_tft_price(motion(3, 4), 12_000));
	});
}

#[test]
fn two_thirds_of_the_council_change_the_validators() {
	chain_of("local_testnet").execute_with(|| {
		let eve = Eve.to_account_id();
		assert_noop!(
			ValidatorSet::add_validator(motion(2, 4), eve.clone()),
			DispatchError::BadOrigin
		);
		// The motion passes the origin; Eve has no session keys.
		assert_noop!(
			ValidatorSet::add_validator(motion(3, 4), eve),
			pallet_validator_set::Error::<Runtime>::KeysNotSet
		);
		assert_noop!(
			ValidatorSet::remove_validator(motion(3, 4), Alice.to_account_id()),
			pallet_validator_set::Error::<Runtime>::TooFewValidators
		);
	});
}

#[test]
fn three_quarters_of_the_council_authorize_a_runtime_upgrade_through_the_whitelist() {
	chain_of("local_testnet").execute_with(|| {
		let code_hash = <Runtime as frame_system::Config>::Hashing::hash(b"a new runtime");
		let upgrade = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		let upgrade_hash = <Runtime as frame_system::Config>::Hashing::hash_of(&upgrade);
		assert_noop!(
			Whitelist::whitelist_call(motion(2, 4), upgrade_hash),
			DispatchError::BadOrigin
		);
		assert_ok!(Whitelist::whitelist_call(motion(3, 4), upgrade_hash));
		assert_ok!(Whitelist::dispatch_whitelisted_call_with_preimage(
			motion(3, 4),
			Box::new(upgrade)
		));
		System::assert_has_event(
			frame_system::Event::<Runtime>::UpgradeAuthorized { code_hash, check_version: true }
				.into(),
		);
	});
}

#[test]
fn stranger_cannot_propose_a_council_motion() {
	chain_of("local_testnet").execute_with(|| {
		let call = RuntimeCall::SmartContractModule(pallet_smart_contract::Call::set_tft_price {
			price: 1,
		});
		let length = call.encoded_size() as u32;
		assert_noop!(
			Council::propose(RuntimeOrigin::signed(Eve.to_account_id()), 3, Box::new(call), length),
			pallet_collective::Error::<Runtime, CouncilCollective>::NotMember
		);
	});
}

#[test]
fn council_motion_passes_with_three_of_four_ayes() {
	use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave};
	chain_of("local_testnet").execute_with(|| {
		let call = RuntimeCall::SmartContractModule(pallet_smart_contract::Call::set_tft_price {
			price: 12_345,
		});
		let length = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		assert_ok!(Council::propose(
			RuntimeOrigin::signed(Alice.to_account_id()),
			3,
			Box::new(call),
			length
		));
		for voter in [Alice, Bob] {
			assert_ok!(Council::vote(RuntimeOrigin::signed(voter.to_account_id()), hash, 0, true));
		}
		assert_noop!(
			Council::close(RuntimeOrigin::signed(Dave.to_account_id()), hash, 0, weight, length),
			pallet_collective::Error::<Runtime, CouncilCollective>::TooEarly
		);
		assert_ok!(Council::vote(RuntimeOrigin::signed(Charlie.to_account_id()), hash, 0, true));
		assert_ok!(Council::close(
			RuntimeOrigin::signed(Dave.to_account_id()),
			hash,
			0,
			weight,
			length
		));
		System::assert_has_event(
			pallet_smart_contract::Event::<Runtime>::TftPriceSet { price: 12_345 }.into(),
		);
	});
}

#[test]
fn three_oracle_members_submit_prices_and_billing_follows_their_median() {
	use frame_support::traits::Hooks;
	use gridchain_runtime::{configs::PriceFeed, Oracle, MINUTES};
	use sp_keyring::Sr25519Keyring::{Bob, Charlie};
	chain_of("local_testnet").execute_with(|| {
		let genesis_price = pallet_smart_contract::CurrentPrices::<Runtime>::get().tft_price;
		for (member, price) in [(Alice, 10_100), (Bob, 10_300), (Charlie, 10_200)] {
			let values = vec![(PriceFeed::TftUsd, price)].try_into().expect("one value");
			assert_ok!(Oracle::feed_values(RuntimeOrigin::signed(member.to_account_id()), values));
		}
		assert_eq!(
			pallet_oracle::Pallet::<Runtime>::get(&PriceFeed::TftUsd).map(|v| v.value),
			Some(10_200)
		);
		assert_eq!(genesis_price, 10_000);
		System::set_block_number(MINUTES);
		SmartContractModule::on_initialize(MINUTES);
		assert_eq!(pallet_smart_contract::CurrentPrices::<Runtime>::get().tft_price, 10_200);
	});
}

#[test]
fn a_stranger_cannot_submit_a_price_and_the_council_manages_the_oracle() {
	use gridchain_runtime::{configs::PriceFeed, Oracle, OracleMembership};
	chain_of("local_testnet").execute_with(|| {
		let values = vec![(PriceFeed::TftUsd, 1)].try_into().expect("one value");
		assert_noop!(
			Oracle::feed_values(RuntimeOrigin::signed(Eve.to_account_id()), values),
			pallet_oracle::Error::<Runtime>::NoPermission
		);
		assert_noop!(
			OracleMembership::add_member(motion(2, 4), Eve.to_account_id().into()),
			DispatchError::BadOrigin
		);
		assert_ok!(OracleMembership::add_member(motion(3, 4), Eve.to_account_id().into()));
	});
}
