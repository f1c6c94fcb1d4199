//! The pricing policy and the TFT price: who sets them, their bounds, and billing without them.

use super::reports::{deploy, report, send};
use crate::{mock::*, CurrentPrices, Error, Event};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn nothing_is_billed_without_a_pricing_policy_or_tft_price() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 60);
		CurrentPrices::<Test>::mutate(|prices| prices.tft_price = 0);
		assert_noop!(
			send(NODE_OPERATOR, vec![report(id, START + 60, vm(), 0)]),
			Error::<Test>::PricingNotSet
		);
		CurrentPrices::<Test>::mutate(|prices| {
			prices.tft_price = TFT_PRICE;
			prices.policy = None;
		});
		assert_noop!(
			send(NODE_OPERATOR, vec![report(id, START + 60, vm(), 0)]),
			Error::<Test>::PricingNotSet
		);
		assert_eq!(SmartContractModule::hourly_quote(vm(), 0), None);
	});
}

#[test]
fn governance_sets_the_pricing_policy_and_the_oracle_the_tft_price() {
	ExtBuilder::default().build_and_execute(|| {
		let cheaper = crate::pricing::PricingPolicy { cu: 20_000, ..policy() };
		assert_ok!(SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), cheaper));
		System::assert_last_event(Event::PricingPolicySet { policy: cheaper }.into());
		assert_eq!(CurrentPrices::<Test>::get().policy, Some(cheaper));
		assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), 20_000));
		System::assert_last_event(Event::TftPriceSet { price: 20_000 }.into());
		// 1 CU at 0.02 + 0.5 SU at 0.0125 = 0.02625 USD an hour, at 0.02 USD per TFT.
		assert_eq!(SmartContractModule::hourly_quote(vm(), 0), Some(13_125_000));
	});
}

#[test]
fn prices_are_set_only_by_their_origins_and_only_when_sane() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			SmartContractModule::set_pricing_policy(RuntimeOrigin::signed(USER), policy()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			SmartContractModule::set_tft_price(RuntimeOrigin::signed(USER), 1),
			DispatchError::BadOrigin
		);
		let insane = crate::pricing::PricingPolicy { grace_period: 0, ..policy() };
		assert_noop!(
			SmartContractModule::set_pricing_policy(RuntimeOrigin::root(), insane),
			Error::<Test>::InsanePricingPolicy
		);
		for price in [0, crate::pricing::MAX_TFT_PRICE + 1] {
			assert_noop!(
				SmartContractModule::set_tft_price(RuntimeOrigin::root(), price),
				Error::<Test>::InsaneTftPrice
			);
		}
	});
}
