//! The price of what a contract uses: the grid's cloud units and their cost in TFT.
//!
//! Integer and fixed-point arithmetic only (`FixedU128`, 18 decimals). Memory and disk sizes
//! are counted in GiB (2^30 bytes), time in seconds.
//!
//! - compute units `CU = min(max(mru/4, cru/2), max(mru/8, cru), max(mru/2, cru/4))`;
//! - storage units `SU = hru/1200 + sru/200`;
//! - network units `NU = nru`;
//! - `cost_usd = hours * (CU * cu_price + SU * su_price + ips * ip_price) + NU * nu_price`;
//! - `tft = cost_usd / tft_price`.
//!
//! Rounding: every fixed-point step rounds down at 18 decimals, and the final amount of plancks
//! is rounded down, so a user is never charged a fraction of a planck they did not use.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use grid_primitives::{ContractId, Resources, GIB};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedDiv, Saturating, Zero},
	FixedPointNumber, FixedU128, Perbill, Rounding,
};

/// Seconds in an hour.
const HOUR: u64 = 3_600;

/// An amount of US dollars, in millionths of a dollar.
pub type MicroUsd = u64;

/// The prices of the grid and how revenue is shared, set by governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct PricingPolicy<BlockNumber> {
	/// Price of one compute unit for one hour, in micro-USD.
	pub cu: MicroUsd,
	/// Price of one storage unit for one hour, in micro-USD.
	pub su: MicroUsd,
	/// Price of one public IP for one hour, in micro-USD.
	pub ipv4: MicroUsd,
	/// Price of one GiB of network traffic, in micro-USD.
	pub nu: MicroUsd,
	/// The farmer's share of what a contract pays.
	pub farmer_share: Perbill,
	/// The foundation's share of what a contract pays; the rest is burned.
	pub foundation_share: Perbill,
	/// How many blocks a contract that cannot pay may run in debt before it is cancelled.
	pub grace_period: BlockNumber,
	/// How many blocks a node has to confirm a new contract before it expires, freeing its
	/// public IPs.
	pub deployment_timeout: BlockNumber,
	/// How many seconds of a contract's use its bills add up before its owner is charged for
	/// them, from 1 (every bill charged at once) to a day ([`MAX_CHARGE_INTERVAL`]). A bill
	/// is charged, with those added up before it, when its window reaches one of the
	/// contract's charging times, every `charge_interval` seconds and offset by the contract's
	/// id, so that a grid's charges spread over the interval ([`Self::is_charge_due`]).
	pub charge_interval: u64,
}

/// What every bill is priced with, kept in one storage item because every bill needs both:
/// the pricing policy, set by governance, and the price of TFT, which follows the oracle; and
/// from when they bill.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Prices<BlockNumber> {
	/// The pricing policy; `None` until governance sets one.
	pub policy: Option<PricingPolicy<BlockNumber>>,
	/// The price of one TFT in micro-USD; zero until it is set.
	pub tft_price: MicroUsd,
	/// When these prices took effect, Unix seconds: they bill the windows that end at or
	/// after it (and before the next prices took effect).
	pub since: u64,
}

/// The TFT price an oracle offers: the median of its members' fresh submissions.
pub trait TftPriceFeed {
	/// The oracle's price of one TFT in micro-USD, and when it was submitted (Unix seconds);
	/// `None` while it has none.
	fn latest() -> Option<(MicroUsd, u64)>;
}

/// No oracle: the TFT price changes only by governance.
impl TftPriceFeed for () {
	fn latest() -> Option<(MicroUsd, u64)> {
		None
	}
}

/// The highest price of one unit, in micro-USD: 1,000 USD.
pub const MAX_UNIT_PRICE: MicroUsd = 1_000_000_000;
/// The highest TFT price, in micro-USD: 1,000,000 USD.
pub const MAX_TFT_PRICE: MicroUsd = 1_000_000_000_000;
/// The longest a contract's bills may add up before its owner is charged: a day, in seconds.
pub const MAX_CHARGE_INTERVAL: u64 = 86_400;

impl<BlockNumber: Zero + PartialOrd> PricingPolicy<BlockNumber> {
	/// Whether the policy is sane: every price above zero and at most [`MAX_UNIT_PRICE`], the
	/// shares at most 100% together, the grace period and deployment timeout each from one
	/// block to `max_period`, and the charge interval from one second to
	/// [`MAX_CHARGE_INTERVAL`].
	pub fn is_sane(&self, max_period: BlockNumber) -> bool {
		let prices = [self.cu, self.su, self.ipv4, self.nu];
		prices.iter().all(|p| (1..=MAX_UNIT_PRICE).contains(p))
			&& self.farmer_share.deconstruct().saturating_add(self.foundation_share.deconstruct())
				<= Perbill::one().deconstruct()
			&& [&self.grace_period, &self.deployment_timeout]
				.iter()
				.all(|period| !period.is_zero() && **period <= max_period)
			&& (1..=MAX_CHARGE_INTERVAL).contains(&self.charge_interval)
	}

	/// Whether contract `contract_id`'s bill for the window from `start` to `end` (Unix
	/// seconds) is charged, with the bills added up before it: whether the window reaches one
	/// of the contract's charging times, the times `t` with `(t + contract_id)` a multiple of
	/// the charge interval, after `start` and up to `end`. The windows of a contract follow
	/// one another, so each charging time is reached by exactly one of them, and an interval
	/// of 1 charges every window (as would one of 0, which no sane policy has).
	pub fn is_charge_due(&self, contract_id: ContractId, start: u64, end: u64) -> bool {
		let interval = self.charge_interval;
		let Some(offset) = contract_id.checked_rem(interval) else { return true };
		let intervals_to = |time: u64| time.saturating_add(offset).checked_div(interval);
		intervals_to(end) != intervals_to(start)
	}
}

/// `bytes` in GiB.
fn gib(bytes: u64) -> FixedU128 {
	FixedU128::from_rational(bytes.into(), GIB.into())
}

fn int(n: u64) -> FixedU128 {
	FixedU128::saturating_from_integer(n)
}

/// `x / n`, for the formulas' constant, non-zero `n`.
fn div(x: FixedU128, n: u64) -> FixedU128 {
	x.checked_div(&int(n)).unwrap_or_default()
}

/// The compute units of `resources`.
pub fn compute_units(resources: &Resources) -> FixedU128 {
	let cru = int(resources.cru);
	let mru = gib(resources.mru);
	let a = div(mru, 4).max(div(cru, 2));
	let b = div(mru, 8).max(cru);
	let c = div(mru, 2).max(div(cru, 4));
	a.min(b).min(c)
}

/// The storage units of `resources`.
pub fn storage_units(resources: &Resources) -> FixedU128 {
	div(gib(resources.hru), 1_200).saturating_add(div(gib(resources.sru), 200))
}

/// What a contract used over a window.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Usage {
	/// The resources it used.
	pub resources: Resources,
	/// The public IPs it held.
	pub ips: u32,
	/// The network traffic over the window, in bytes.
	pub nru: u64,
	/// The length of the window, in seconds.
	pub seconds: u64,
}

/// What `usage` costs under `policy`, in micro-USD (fixed point).
pub fn cost_usd<B>(usage: &Usage, policy: &PricingPolicy<B>) -> FixedU128 {
	let hourly = compute_units(&usage.resources)
		.saturating_mul(int(policy.cu))
		.saturating_add(storage_units(&usage.resources).saturating_mul(int(policy.su)))
		.saturating_add(int(usage.ips.into()).saturating_mul(int(policy.ipv4)));
	let hours = FixedU128::from_rational(usage.seconds.into(), HOUR.into());
	hours.saturating_mul(hourly).saturating_add(gib(usage.nru).saturating_mul(int(policy.nu)))
}

/// `usd` micro-USD in plancks, at `tft_price` micro-USD per TFT of `plancks_per_tft` plancks;
/// rounded down. `None` if the TFT price is zero or the result does not fit in a `u128`.
pub fn usd_to_plancks(usd: FixedU128, tft_price: MicroUsd, plancks_per_tft: u128) -> Option<u128> {
	if tft_price == 0 {
		return None;
	}
	let denominator = u128::from(tft_price).checked_mul(FixedU128::DIV)?;
	multiply_by_rational_with_rounding(
		usd.into_inner(),
		plancks_per_tft,
		denominator,
		Rounding::Down,
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use grid_primitives::TIB;

	const TFT: u128 = 10_000_000;

	fn policy() -> PricingPolicy<u32> {
		PricingPolicy {
			cu: 25_000,
			su: 12_500,
			ipv4: 5_000,
			nu: 15_000,
			farmer_share: Perbill::from_percent(60),
			foundation_share: Perbill::from_percent(20),
			grace_period: 100,
			deployment_timeout: 50,
			charge_interval: 1,
		}
	}

	fn res(cru: u64, mru_gib: u64, sru_gib: u64, hru_gib: u64) -> Resources {
		Resources { cru, mru: mru_gib * GIB, sru: sru_gib * GIB, hru: hru_gib * GIB }
	}

	#[test]
	fn compute_units_take_the_smallest_of_the_three_profiles() {
		// 2 vCPU, 4 GiB: min(max(1, 1), max(0.5, 2), max(2, 0.5)) = 1.
		assert_eq!(compute_units(&res(2, 4, 0, 0)), int(1));
		// 4 vCPU, 2 GiB: min(max(0.5, 2), max(0.25, 4), max(1, 1)) = 1.
		assert_eq!(compute_units(&res(4, 2, 0, 0)), int(1));
		// 1 vCPU, 32 GiB: min(max(8, 0.5), max(4, 1), max(16, 0.25)) = 4.
		assert_eq!(compute_units(&res(1, 32, 0, 0)), int(4));
		// 16 vCPU, 64 GiB: min(max(16, 8), max(8, 16), max(32, 4)) = 16.
		assert_eq!(compute_units(&res(16, 64, 0, 0)), int(16));
		// 1 vCPU, 1 GiB: min(max(0.25, 0.5), max(0.125, 1), max(0.5, 0.25)) = 0.5.
		assert_eq!(compute_units(&res(1, 1, 0, 0)), FixedU128::from_rational(1, 2));
		assert_eq!(compute_units(&res(0, 0, 0, 0)), int(0));
	}

	#[test]
	fn storage_units_weigh_ssd_six_times_hdd() {
		// 100 GiB SSD = 0.5 SU; 1,200 GiB HDD = 1 SU.
		assert_eq!(storage_units(&res(0, 0, 100, 0)), FixedU128::from_rational(1, 2));
		assert_eq!(storage_units(&res(0, 0, 0, 1_200)), int(1));
		assert_eq!(storage_units(&res(0, 0, 200, 2_400)), int(3));
		// 1 TiB HDD = 1024/1200 SU, rounded down at 18 decimals.
		let tib = Resources { hru: TIB, ..Default::default() };
		assert_eq!(storage_units(&tib), FixedU128::from_inner(853_333_333_333_333_333));
	}

	#[test]
	fn an_hour_of_a_small_vm_with_an_ip_and_a_gib_of_traffic() {
		// CU 1 * 0.025 + SU 0.5 * 0.0125 + 1 IP * 0.005 = 0.03625 USD for the hour, plus
		// 1 GiB * 0.015 = 0.05125 USD; at 0.01 USD per TFT, 5.125 TFT.
		let usage = Usage { resources: res(2, 4, 100, 0), ips: 1, nru: GIB, seconds: 3_600 };
		let usd = cost_usd(&usage, &policy());
		assert_eq!(usd, int(51_250));
		assert_eq!(usd_to_plancks(usd, 10_000, TFT), Some(51_250_000));
	}

	#[test]
	fn windows_are_priced_by_the_second() {
		// Ten minutes of 1 CU: 25,000 / 6 = 4,166.666… micro-USD; at 0.01 USD/TFT that is
		// 0.41666… TFT = 4,166,666.6… plancks, rounded down.
		let usage = Usage { resources: res(2, 4, 0, 0), ips: 0, nru: 0, seconds: 600 };
		let usd = cost_usd(&usage, &policy());
		assert_eq!(usd_to_plancks(usd, 10_000, TFT), Some(4_166_666));
		// A second of it: 25,000 / 3,600 micro-USD = 6,944.4… plancks at 0.01 USD/TFT.
		let second = Usage { seconds: 1, ..usage };
		assert_eq!(usd_to_plancks(cost_usd(&second, &policy()), 10_000, TFT), Some(6_944));
	}

	#[test]
	fn nothing_used_costs_nothing() {
		let usage = Usage { resources: Resources::default(), ips: 0, nru: 0, seconds: 86_400 };
		assert_eq!(usd_to_plancks(cost_usd(&usage, &policy()), 10_000, TFT), Some(0));
	}

	#[test]
	fn a_zero_tft_price_prices_nothing() {
		assert_eq!(usd_to_plancks(int(1), 0, TFT), None);
	}

	#[test]
	fn the_largest_node_for_a_month_fits() {
		let largest = Resources {
			cru: Resources::MAX_CRU,
			sru: Resources::MAX_DISK,
			hru: Resources::MAX_DISK,
			mru: Resources::MAX_MRU,
		};
		let usage = Usage { resources: largest, ips: 16, nru: u64::MAX, seconds: 31 * 86_400 };
		let expensive = PricingPolicy {
			cu: MAX_UNIT_PRICE,
			su: MAX_UNIT_PRICE,
			ipv4: MAX_UNIT_PRICE,
			nu: MAX_UNIT_PRICE,
			..policy()
		};
		let usd = cost_usd(&usage, &expensive);
		assert!(usd > int(0) && usd < FixedU128::from_inner(u128::MAX));
		assert!(usd_to_plancks(usd, 1, TFT).is_some());
	}

	#[test]
	fn policies_are_checked_for_sanity() {
		assert!(policy().is_sane(1_000));
		assert!(!PricingPolicy { cu: 0, ..policy() }.is_sane(1_000));
		assert!(!PricingPolicy { nu: MAX_UNIT_PRICE + 1, ..policy() }.is_sane(1_000));
		assert!(
			!PricingPolicy { farmer_share: Perbill::from_percent(81), ..policy() }.is_sane(1_000)
		);
		assert!(!PricingPolicy { grace_period: 0, ..policy() }.is_sane(1_000));
		assert!(!PricingPolicy { grace_period: 1_001, ..policy() }.is_sane(1_000));
		assert!(!PricingPolicy { deployment_timeout: 0, ..policy() }.is_sane(1_000));
		assert!(!PricingPolicy { deployment_timeout: 1_001, ..policy() }.is_sane(1_000));
		assert!(!PricingPolicy { charge_interval: 0, ..policy() }.is_sane(1_000));
		assert!(PricingPolicy { charge_interval: MAX_CHARGE_INTERVAL, ..policy() }.is_sane(1_000));
		assert!(
			!PricingPolicy { charge_interval: MAX_CHARGE_INTERVAL + 1, ..policy() }.is_sane(1_000)
		);
	}

	#[test]
	fn an_interval_of_one_second_charges_every_window() {
		let policy = policy();
		assert!(policy.is_charge_due(7, 1_000, 1_001));
		assert!(policy.is_charge_due(7, 1_000, 4_600));
	}

	#[test]
	fn a_contract_is_charged_once_per_interval_at_a_time_set_by_its_id() {
		let daily = PricingPolicy { charge_interval: 86_400, ..policy() };
		// Contract 400's charging times are 86,000 and every day after it.
		let charged: Vec<u64> = (0..48u64)
			.map(|hour| (hour * 3_600, (hour + 1) * 3_600))
			.filter(|(start, end)| daily.is_charge_due(400, *start, *end))
			.map(|(_, end)| end)
			.collect();
		assert_eq!(charged, [86_400, 2 * 86_400]);
		// A window ending at a charging time reaches it; the next one, starting there, does not.
		assert!(daily.is_charge_due(400, 85_000, 86_000));
		assert!(!daily.is_charge_due(400, 86_000, 87_000));
		// Contract 401 is charged a second earlier, and an id a day apart at the same time.
		assert!(daily.is_charge_due(400, 85_999, 86_000));
		assert!(!daily.is_charge_due(401, 85_999, 86_000));
		assert!(daily.is_charge_due(401, 85_998, 85_999));
		assert!(daily.is_charge_due(400 + 86_400, 85_999, 86_000));
	}
}
