//! The TFT price following the oracle, bounded per update, and each report billed at the
//! prices in force when its window ended.

use super::reports::{deploy, report, send};
use crate::{mock::*, CurrentPrices, EarlierPrices, Event, EARLIER_PRICES};
use frame_support::assert_ok;

/// The amount billed by the last `ContractBilled` event.
fn last_bill() -> u64 {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::SmartContractModule(Event::ContractBilled { amount, .. }) => Some(amount),
			_ => None,
		})
		.expect("a bill")
}

/// What an hour of [`vm`] ending now costs, on a new contract: the TFT price in force now.
fn an_hour_billed_now() -> u64 {
	let id = deploy(USER, &format!("hour-{}", Clock::now()), 0);
	Clock::set(Clock::now() + 3_600);
	assert_ok!(send(NODE_OPERATOR, vec![report(id, Clock::now(), vm(), 0)]));
	last_bill()
}

/// Runs the chain to the next block at which the price follows the oracle.
fn next_price_update() {
	let now = System::block_number();
	run_to_block((now / TFT_PRICE_PERIOD + 1) * TFT_PRICE_PERIOD);
}

#[test]
fn the_tft_price_follows_a_fresh_oracle_price_within_a_step() {
	ExtBuilder::default().build_and_execute(|| {
		Oracle::offer(TFT_PRICE + 300, Clock::now());
		next_price_update();
		assert_eq!(CurrentPrices::<Test>::get().tft_price, TFT_PRICE + 300);
		System::assert_has_event(
			Event::TftPriceFollowed { price: TFT_PRICE + 300, oracle: TFT_PRICE + 300 }.into(),
		);
	});
}

#[test]
fn an_oracle_price_far_off_moves_the_price_one_step_per_update() {
	ExtBuilder::default().build_and_execute(|| {
		Oracle::offer(TFT_PRICE * 10, Clock::now());
		next_price_update();
		let step = MAX_TFT_PRICE_STEP.mul_ceil(TFT_PRICE);
		assert_eq!(CurrentPrices::<Test>::get().tft_price, TFT_PRICE + step);
		Oracle::offer(1, Clock::now());
		next_price_update();
		let up = TFT_PRICE + step;
		assert_eq!(CurrentPrices::<Test>::get().tft_price, up - MAX_TFT_PRICE_STEP.mul_ceil(up));
	});
}

#[test]
fn the_price_follows_the_oracle_only_once_a_period() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(TFT_PRICE_PERIOD + 1);
		Oracle::offer(TFT_PRICE + 100, Clock::now());
		run_to_block(2 * TFT_PRICE_PERIOD - 1);
		assert_eq!(CurrentPrices::<Test>::get().tft_price, TFT_PRICE);
		run_to_block(2 * TFT_PRICE_PERIOD);
		assert_eq!(CurrentPrices::<Test>::get().tft_price, TFT_PRICE + 100);
	});
}

#[test]
fn a_stale_oracle_price_leaves_billing_at_the_last_price() {
	ExtBuilder::default().build_and_execute(|| {
		Oracle::offer(TFT_PRICE / 2, Clock::now());
		Clock::set(Clock::now() + MAX_TFT_PRICE_AGE + 1);
		next_price_update();
		assert_eq!(CurrentPrices::<Test>::get().tft_price, TFT_PRICE);
		assert!(EarlierPrices::<Test>::get().is_empty());
	});
}

#[test]
fn a_report_is_not_billed_at_a_price_set_after_its_window_ended() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		let end = START + 3_600;
		// The window ends; the price of TFT halves a minute later, before the node reports.
		Clock::set(end + 60);
		assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), TFT_PRICE / 2));
		assert_ok!(send(NODE_OPERATOR, vec![report(id, end, vm(), 0)]));
		let at_old_price = last_bill();
		// The same hour, ending after the change, costs twice as many TFT.
		assert_eq!(an_hour_billed_now(), 2 * at_old_price);
	});
}

#[test]
fn a_window_across_a_change_is_billed_at_the_new_price_reaching_back_one_window_only() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		Clock::set(START + 3_600);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		let before = last_bill();
		Clock::set(START + 5_000);
		assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), TFT_PRICE / 2));
		Clock::set(START + 7_200);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 7_200, vm(), 0)]));
		assert_eq!(last_bill(), 2 * before);
	});
}

#[test]
fn a_late_report_is_billed_at_the_prices_of_its_window_among_many_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let id = deploy(USER, "web", 0);
		// The price is set at START + 100, + 200, …; the window ends at START + 3_600, while
		// the price of the change at START + 3_600 was in force.
		for i in 1..=40u64 {
			Clock::set(START + 100 * i);
			let price = if i == 36 { TFT_PRICE / 4 } else { TFT_PRICE };
			assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), price));
		}
		assert_eq!(EarlierPrices::<Test>::get().len() as u32, EARLIER_PRICES);
		assert_ok!(send(NODE_OPERATOR, vec![report(id, START + 3_600, vm(), 0)]));
		assert_eq!(last_bill(), 4 * an_hour_billed_now());
	});
}

#[test]
fn earlier_prices_keep_the_last_changes_only() {
	ExtBuilder::default().build_and_execute(|| {
		for i in 1..=(EARLIER_PRICES as u64 + 5) {
			Clock::set(START + i);
			assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), TFT_PRICE + i));
		}
		let earlier = EarlierPrices::<Test>::get();
		assert_eq!(earlier.len() as u32, EARLIER_PRICES);
		assert_eq!(
			earlier.last().map(|p| p.tft_price),
			Some(TFT_PRICE + EARLIER_PRICES as u64 + 4)
		);
		// Two changes in one second: the first billed nothing and is not kept.
		assert_ok!(SmartContractModule::set_tft_price(RuntimeOrigin::root(), 1));
		assert_eq!(EarlierPrices::<Test>::get(), earlier);
	});
}
