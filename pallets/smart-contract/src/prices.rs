//! The prices in force: set by governance, the TFT price following the oracle, and the prices
//! each report's window is billed at.

use crate::{
	pallet::*,
	pricing::{MicroUsd, Prices, TftPriceFeed, MAX_TFT_PRICE},
	types::*,
	WeightInfo,
};
use frame_support::{defensive, pallet_prelude::*, traits::UnixTime};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::traits::{CheckedRem, Zero};

/// The policy and TFT price of `prices`, if both are set.
fn usable<BlockNumber: Copy>(
	prices: &Prices<BlockNumber>,
) -> Option<(crate::pricing::PricingPolicy<BlockNumber>, MicroUsd)> {
	let policy = prices.policy?;
	(prices.tft_price > 0).then_some((policy, prices.tft_price))
}

/// The prices a batch of reports is billed at: those in force, and the earlier ones, read
/// only for a report whose window ended before the prices in force took effect.
pub(crate) struct PriceBook<T: Config> {
	policy: PricingPolicyOf<T>,
	tft_price: MicroUsd,
	since: u64,
	earlier: Option<BoundedVec<PricesOf<T>, ConstU32<EARLIER_PRICES>>>,
}

impl<T: Config> PriceBook<T> {
	/// The prices in force; `None` until both the policy and the TFT price are set.
	pub(crate) fn load() -> Option<Self> {
		let current = CurrentPrices::<T>::get();
		let (policy, tft_price) = usable(&current)?;
		Some(Self { policy, tft_price, since: current.since, earlier: None })
	}

	/// The prices in force when a window ending at `end` (Unix seconds) ended. A window that
	/// ended before the oldest remembered change is billed at the oldest prices remembered.
	pub(crate) fn at(&mut self, end: u64) -> (PricingPolicyOf<T>, MicroUsd) {
		if end >= self.since {
			return (self.policy, self.tft_price);
		}
		let earlier = self.earlier.get_or_insert_with(EarlierPrices::<T>::get);
		earlier
			.iter()
			.rev()
			.find(|prices| prices.since <= end)
			.or_else(|| earlier.first())
			.and_then(usable)
			.unwrap_or((self.policy, self.tft_price))
	}

	/// Whether a report needed the earlier prices.
	pub(crate) fn read_earlier(&self) -> bool {
		self.earlier.is_some()
	}
}

impl<T: Config> Pallet<T> {
	/// The prices in force, once both the policy and the TFT price are set.
	pub(crate) fn prices() -> Option<(PricingPolicyOf<T>, MicroUsd)> {
		usable(&CurrentPrices::<T>::get())
	}

	/// Puts `policy` in force, if it is sane.
	pub(crate) fn do_set_pricing_policy(policy: PricingPolicyOf<T>) -> DispatchResult {
		ensure!(policy.is_sane(T::MaxPolicyPeriod::get()), Error::<T>::InsanePricingPolicy);
		Self::change_prices(|prices| prices.policy = Some(policy));
		Self::deposit_event(Event::PricingPolicySet { policy });
		Ok(())
	}

	/// Makes `price` micro-USD the price of one TFT, if it is within bounds.
	pub(crate) fn do_set_tft_price(price: MicroUsd) -> DispatchResult {
		ensure!((1..=MAX_TFT_PRICE).contains(&price), Error::<T>::InsaneTftPrice);
		Self::change_prices(|prices| prices.tft_price = price);
		Self::deposit_event(Event::TftPriceSet { price });
		Ok(())
	}

	/// At every [`Config::TftPricePeriod`]th block, moves the TFT price in force towards the
	/// oracle's; returns the weight used.
	pub(crate) fn follow_tft_price_feed(block: BlockNumberFor<T>) -> Weight {
		let due = block.checked_rem(&T::TftPricePeriod::get()).is_some_and(|rest| rest.is_zero());
		if !due {
			return Weight::zero();
		}
		Self::do_follow_tft_price_feed();
		T::WeightInfo::follow_tft_price_feed()
	}

	/// Moves the TFT price in force towards the oracle's by at most [`Config::MaxTftPriceStep`]
	/// of it, if the oracle's is fresh (at most [`Config::MaxTftPriceAge`] old). A stale or
	/// missing oracle price changes nothing: billing goes on at the last price. The oracle's
	/// first price, with none in force, is taken as it is.
	pub(crate) fn do_follow_tft_price_feed() {
		let Some((oracle, submitted)) = T::TftPriceFeed::latest() else { return };
		let now = T::UnixTime::now().as_secs();
		if now.saturating_sub(submitted) > T::MaxTftPriceAge::get() {
			return;
		}
		let current = CurrentPrices::<T>::get().tft_price;
		let price = if current.is_zero() {
			oracle
		} else {
			let step = T::MaxTftPriceStep::get().mul_ceil(current).max(1);
			oracle.clamp(current.saturating_sub(step), current.saturating_add(step))
		}
		.clamp(1, MAX_TFT_PRICE);
		if price == current {
			return;
		}
		Self::change_prices(|prices| prices.tft_price = price);
		Self::deposit_event(Event::TftPriceFollowed { price, oracle });
	}

	/// Changes the prices in force with `change`, from now on. The prices before are kept in
	/// [`EarlierPrices`] for reports whose window ended before now (the oldest dropped when it
	/// is full), unless they took effect this very second and so billed nothing.
	fn change_prices(change: impl FnOnce(&mut PricesOf<T>)) {
		let now = T::UnixTime::now().as_secs();
		let before = CurrentPrices::<T>::get();
		let mut after = before;
		change(&mut after);
		after.since = now;
		if before.since < now {
			EarlierPrices::<T>::mutate(|earlier| {
				if earlier.len() >= EARLIER_PRICES as usize {
					earlier.remove(0);
				}
				if earlier.try_push(before).is_err() {
					defensive!("room was made for the earlier prices");
				}
			});
		}
		CurrentPrices::<T>::put(after);
	}
}
