//! The contracts' genesis: the prices a chain starts with.

use crate::{pallet::*, pricing::MAX_TFT_PRICE, types::*};
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Sets the prices of `config`, which must be sane: a chain does not start with prices
	/// governance could not set.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		if let Some(policy) = config.pricing_policy {
			assert!(
				policy.is_sane(T::MaxPolicyPeriod::get()),
				"genesis pricing policy is not sane"
			);
		}
		assert!(config.tft_price <= MAX_TFT_PRICE, "genesis TFT price is not sane");
		CurrentPrices::<T>::put(PricesOf::<T> {
			policy: config.pricing_policy,
			tft_price: config.tft_price,
			since: 0,
		});
	}
}
