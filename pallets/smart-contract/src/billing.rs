//! Billing: consumption reports priced and charged, and the payment shared out.

use crate::{
	pallet::*,
	prices::PriceBook,
	pricing::{cost_usd, usd_to_plancks, MicroUsd, Usage},
	types::*,
	weights::WeightInfo,
};
use alloc::collections::BTreeMap;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, Inspect},
		tokens::{Fortitude, Precision, Preservation},
		Defensive, Imbalance, OnUnbalanced, UnixTime,
	},
};
use grid_primitives::{ContractId, FarmId, GridProvider, NodeId, Resources};
use sp_runtime::{
	traits::{Saturating, Zero},
	SaturatedConversion,
};

/// What a call charges owners, taken from them and shared out at the end by
/// [`Payout::deliver`]: an owner's account is read once when the call first charges it, and
/// written once, however many of its contracts the call bills.
pub(crate) struct Payout<T: Config> {
	/// Per owner charged: what they could spend when first charged, and what has been charged.
	owners: BTreeMap<T::AccountId, Owed<T>>,
	/// The farmer's share of all that was charged.
	farmer: BalanceOf<T>,
	/// The foundation's share of all that was charged.
	foundation: BalanceOf<T>,
}

/// What an owner could spend, keeping their account alive, and what a call has charged them.
struct Owed<T: Config> {
	spendable: BalanceOf<T>,
	charged: BalanceOf<T>,
}

impl<T: Config> Owed<T> {
	/// What the owner can still be charged.
	fn left(&self) -> BalanceOf<T> {
		self.spendable.saturating_sub(self.charged)
	}
}

impl<T: Config> Default for Payout<T> {
	fn default() -> Self {
		Self { owners: BTreeMap::new(), farmer: Zero::zero(), foundation: Zero::zero() }
	}
}

/// What a batch of reports did, for the call's fee and actual weight.
#[derive(Default)]
pub(crate) struct ReportsBilled {
	/// Reports billed.
	pub accepted: u32,
	/// Billed reports whose window was shorter than [`Config::MinFeeFreeWindow`].
	pub short_windows: u32,
	/// Reports refused.
	pub rejected: u32,
	/// Refused reports whose contract had ended ([`ReportRejection::ContractEnded`]).
	pub ended: u32,
	/// Refused reports whose contract is not in storage: it had ended, or never existed.
	pub missing: u32,
	/// Billed reports whose contract entered or left its grace period.
	pub grace_changes: u32,
	/// Billed reports whose contract did not enter or leave its grace period and that read
	/// no account: nothing was due, their bill was added up for a later charging time, or an
	/// earlier report of the batch had already read their owner's account.
	pub owner_read_before: u32,
	/// Billed reports whose contract entered or left its grace period and that read no
	/// account, as [`Self::owner_read_before`].
	pub grace_changes_owner_read_before: u32,
	/// Whether a report's window ended before the prices in force took effect, so that the
	/// earlier prices were read.
	pub earlier_prices_read: bool,
	/// Whether the node's billing was written: some report was billed.
	pub node_billing_written: bool,
}

impl ReportsBilled {
	/// Whether the batch is fee-free: every report billed a window of at least
	/// [`Config::MinFeeFreeWindow`], or was for a contract that ended meanwhile, and such
	/// reports are no more than the billed ones. So a node cannot use block space for free
	/// with empty windows or with reports for contracts that are gone, and an honest node whose
	/// batch crossed a cancellation still pays nothing. (A batch is never empty, so a fee-free
	/// one billed at least one report.)
	pub fn is_fee_free(&self) -> bool {
		self.short_windows == 0 && self.rejected == self.ended && self.ended <= self.accepted
	}

	/// The weight these reports took: the benchmark's `add_consumption_reports` for the
	/// reports that read their owner's account (a refused report counted as one of them),
	/// those that read no account ([`Self::owner_read_before`]), and those whose contract
	/// entered or left its grace period, less the storage reads and writes it counts but these
	/// reports did not make.
	pub fn weight<T: Config>(&self) -> Weight {
		let first_of_owner = self
			.accepted
			.saturating_sub(self.grace_changes)
			.saturating_sub(self.owner_read_before)
			.saturating_add(self.rejected);
		let (reads, writes) = self.unused_storage();
		T::WeightInfo::add_consumption_reports(
			first_of_owner,
			self.owner_read_before,
			self.grace_changes,
		)
		.saturating_sub(T::DbWeight::get().reads_writes(reads.into(), writes.into()))
	}

	/// Storage reads and writes the benchmark counts but these reports did not make, as
	/// `(reads, writes)`. Per batch it counts a read of the earlier prices, which only a
	/// report of a window that ended before the prices in force took effect needs, and a write
	/// of the node's billing, which only a batch that billed a report makes. Per report it
	/// counts a read of the contract, and but for a report that read no account
	/// ([`Self::owner_read_before`]), a read and a write of its owner's account; for a report
	/// whose contract enters or leaves its grace period also a write of the contract, a read
	/// and a write of the twin's count of contracts in grace, and a write of the grace
	/// schedule. A refused report writes nothing and reads only its contract, or, when that is
	/// not in storage, also the last contract id. The storage keeps what the batch has read,
	/// so an account that an earlier report of the batch read costs no read or write again.
	fn unused_storage(&self) -> (u32, u32) {
		let rejected_reads = self.rejected.saturating_sub(self.missing);
		(
			rejected_reads
				.saturating_add(self.grace_changes_owner_read_before)
				.saturating_add(u32::from(!self.earlier_prices_read)),
			self.rejected
				.saturating_add(self.grace_changes_owner_read_before)
				.saturating_add(u32::from(!self.node_billing_written)),
		)
	}
}

/// A billed report's window.
pub(crate) struct BilledWindow {
	/// Its length in seconds.
	seconds: u64,
	/// Whether its contract entered or left its grace period.
	grace_changed: bool,
}

impl<T: Config> Payout<T> {
	/// Charges `owner` `amount`, shared out under `policy`: the farmer's and foundation's
	/// shares rounded down, the burn gets the rest. `false`, charging nothing, if the owner
	/// cannot pay it on top of what the call has charged them already and keep their account
	/// alive. A zero `amount` reads no account (the weight of `add_consumption_reports` counts
	/// on it).
	#[must_use]
	pub(crate) fn charge(
		&mut self,
		owner: &T::AccountId,
		amount: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
	) -> bool {
		if amount.is_zero() {
			return true;
		}
		let owed = self.owed(owner);
		if owed.left() < amount {
			return false;
		}
		owed.charged.saturating_accrue(amount);
		self.share(amount, policy);
		true
	}

	/// Charges `owner` as much of `amount` as they can pay on top of what the call has charged
	/// them already and keep their account alive, shared out as by [`Self::charge`]; returns
	/// what was charged. A zero `amount` reads no account.
	pub(crate) fn charge_up_to(
		&mut self,
		owner: &T::AccountId,
		amount: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
	) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		let owed = self.owed(owner);
		let charged = amount.min(owed.left());
		owed.charged.saturating_accrue(charged);
		self.share(charged, policy);
		charged
	}

	/// What the call has charged `owner`, their account read when first charged.
	fn owed(&mut self, owner: &T::AccountId) -> &mut Owed<T> {
		self.owners.entry(owner.clone()).or_insert_with(|| Owed {
			spendable: T::Currency::reducible_balance(
				owner,
				Preservation::Preserve,
				Fortitude::Polite,
			),
			charged: Zero::zero(),
		})
	}

	/// Adds the farmer's and the foundation's shares of `amount`, charged under `policy`.
	fn share(&mut self, amount: BalanceOf<T>, policy: &PricingPolicyOf<T>) {
		self.farmer.saturating_accrue(policy.farmer_share.mul_floor(amount));
		self.foundation.saturating_accrue(policy.foundation_share.mul_floor(amount));
	}

	/// The owners' accounts read: one per owner the call tried to charge anything.
	pub(crate) fn accounts_read(&self) -> u32 {
		self.owners.len().saturated_into()
	}

	/// Takes from each owner what was charged to them (one `Withdraw` each), pays the farmer's
	/// share to the farmer of `farm_id` and hands the foundation's to
	/// [`Config::FoundationShare`], and the burned share to [`Config::OnBurn`], with a
	/// `SharesPaid` event when anything was paid. With no farmer account (the farm was
	/// deleted) the farmer's share goes to the foundation too. A farmer's share that cannot be
	/// paid (an amount too small to create the account) goes to [`Config::OnBurn`] instead,
	/// with a `ShareBurned` event. Adds all that went to [`Config::OnBurn`] to
	/// [`TotalBurned`].
	pub(crate) fn deliver(self, farm_id: FarmId) {
		let mut taken = CreditOf::<T>::zero();
		// An owner the call could not charge, at their first contract already, has nothing to
		// pay; the others pay no more than they could spend when first charged, and nothing
		// else took from them since.
		for (owner, Owed { charged, .. }) in self.owners {
			if charged.is_zero() {
				continue;
			}
			let withdrawn = T::Currency::withdraw(
				&owner,
				charged,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)
			.defensive_proof("an owner is charged no more than they can spend");
			if let Ok(credit) = withdrawn {
				taken.subsume(credit);
			}
		}
		let (to_farmer, rest) = taken.split(self.farmer);
		let (mut foundation, mut burned) = rest.split(self.foundation);
		let (farmer, to_foundation, to_burn) = (to_farmer.peek(), foundation.peek(), burned.peek());
		if !farmer.is_zero() || !to_foundation.is_zero() || !to_burn.is_zero() {
			Pallet::<T>::deposit_event(Event::SharesPaid {
				farm_id,
				farmer,
				foundation: to_foundation,
				burned: to_burn,
			});
		}
		match T::Grid::farmer_account(farm_id) {
			Some(account) if !to_farmer.peek().is_zero() => {
				if let Err(undelivered) = T::Currency::resolve(&account, to_farmer) {
					let amount = undelivered.peek();
					burned.subsume(undelivered);
					Pallet::<T>::deposit_event(Event::ShareBurned { account, amount });
				}
			}
			Some(_) => {}
			None => foundation.subsume(to_farmer),
		}
		T::FoundationShare::on_unbalanced(foundation);
		let amount = burned.peek();
		if !amount.is_zero() {
			TotalBurned::<T>::mutate(|total| total.saturating_accrue(amount));
		}
		T::OnBurn::on_unbalanced(burned);
	}
}

impl<T: Config> Pallet<T> {
	/// Bills `reports` from `who`'s node.
	pub(crate) fn do_add_consumption_reports(
		who: &T::AccountId,
		reports: ReportsOf<T>,
	) -> Result<ReportsBilled, DispatchError> {
		ensure!(!reports.is_empty(), Error::<T>::NoReports);
		let twin_id = T::Grid::twin_of(who).ok_or(Error::<T>::NotANode)?;
		let node_id = T::Grid::node_of_twin(twin_id).ok_or(Error::<T>::NotANode)?;
		let node = T::Grid::node(node_id).ok_or(Error::<T>::NotANode)?;
		let mut prices = PriceBook::<T>::load().ok_or(Error::<T>::PricingNotSet)?;

		let now = T::UnixTime::now().as_secs();
		let mut node_billing = NodeBilling::<T>::get(node_id).unwrap_or_default();
		let mut payout = Payout::<T>::default();
		let mut billed = ReportsBilled::default();
		for report in reports {
			let accounts_read = payout.accounts_read();
			let outcome = Self::bill_report(
				node_id,
				&report,
				now,
				&mut prices,
				&mut payout,
				&mut node_billing,
			);
			match outcome {
				Ok(BilledWindow { seconds, grace_changed }) => {
					billed.accepted.saturating_inc();
					if seconds < T::MinFeeFreeWindow::get() {
						billed.short_windows.saturating_inc();
					}
					let read_account = payout.accounts_read() > accounts_read;
					if grace_changed {
						billed.grace_changes.saturating_inc();
						if !read_account {
							billed.grace_changes_owner_read_before.saturating_inc();
						}
					} else if !read_account {
						billed.owner_read_before.saturating_inc();
					}
				}
				Err(reason) => {
					billed.rejected.saturating_inc();
					match reason {
						ReportRejection::ContractEnded => {
							billed.ended.saturating_inc();
							billed.missing.saturating_inc();
						}
						ReportRejection::ContractNotFound => billed.missing.saturating_inc(),
						_ => {}
					}
					Self::deposit_event(Event::ConsumptionReportRejected {
						contract_id: report.contract_id,
						reason,
					});
				}
			}
		}
		payout.deliver(node.farm_id);
		if billed.accepted > 0 {
			NodeBilling::<T>::insert(node_id, node_billing);
			billed.node_billing_written = true;
		}
		billed.earlier_prices_read = prices.read_earlier();
		Ok(billed)
	}

	/// Checks one report against its contract's reservation and the traffic limit, and bills
	/// its window at the prices in force when it ended, in `node_billing`, the billing of the
	/// node's contracts; a refused report changes nothing.
	fn bill_report(
		node_id: NodeId,
		report: &ConsumptionReport,
		now: u64,
		prices: &mut PriceBook<T>,
		payout: &mut Payout<T>,
		node_billing: &mut NodeBillingOf<T>,
	) -> Result<BilledWindow, ReportRejection> {
		let mut contract = Contracts::<T>::get(report.contract_id).ok_or_else(|| {
			if (1..=LastContractId::<T>::get()).contains(&report.contract_id) {
				ReportRejection::ContractEnded
			} else {
				ReportRejection::ContractNotFound
			}
		})?;
		if contract.node_id != node_id {
			return Err(ReportRejection::NotThisNodesContract);
		}
		if matches!(contract.state, ContractState::Created { .. }) {
			return Err(ReportRejection::NotDeployed);
		}
		let Some(billing) = node_billing.get_mut(&report.contract_id) else {
			frame_support::defensive!("a live contract without its billing");
			return Err(ReportRejection::NotThisNodesContract);
		};
		let start = billing.billed_until;
		if report.timestamp <= start {
			return Err(ReportRejection::NotAfterPreviousReport);
		}
		if report.timestamp > now.saturating_add(T::MaxReportDrift::get()) {
			return Err(ReportRejection::InTheFuture);
		}
		let seconds = report.timestamp.saturating_sub(start);
		if seconds > T::MaxReportWindow::get() {
			return Err(ReportRejection::WindowTooLong);
		}
		let used = Resources { cru: report.cru, sru: report.sru, hru: report.hru, mru: report.mru };
		if !used.fits_within(&contract.resources) {
			return Err(ReportRejection::AboveReservation);
		}
		if report.nru > seconds.saturating_mul(T::MaxTrafficPerSecond::get()) {
			return Err(ReportRejection::TrafficAboveLimit);
		}

		let ips = contract.public_ips;
		let usage = Usage { resources: used, ips, nru: report.nru, seconds };
		let (policy, tft_price) = prices.at(report.timestamp);
		let amount = Self::price(&usage, &policy, tft_price);
		let grace_changed =
			Self::charge_window(&mut contract, billing, report.timestamp, amount, &policy, payout);
		// Only a change of state is the contract's own to write; its billing is the node's.
		if grace_changed {
			Contracts::<T>::insert(contract.contract_id, contract);
		}
		Ok(BilledWindow { seconds, grace_changed })
	}

	/// Bills `contract` `amount` for the window from its `billed_until` to `end`, added to its
	/// debt. The owner pays the debt when the window reaches one of the contract's charging
	/// times ([`PricingPolicy::is_charge_due`](crate::pricing::PricingPolicy::is_charge_due)),
	/// and at every window of its grace period; an owner who cannot pay it all pays nothing,
	/// and the contract runs in debt in its grace period. Whether the contract entered or left
	/// its grace period.
	fn charge_window(
		contract: &mut ContractOf<T>,
		billing: &mut BillingOf<T>,
		end: u64,
		amount: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
		payout: &mut Payout<T>,
	) -> bool {
		let start = core::mem::replace(&mut billing.billed_until, end);
		let due = billing.debt.saturating_add(amount);
		let was_in_grace = matches!(contract.state, ContractState::GracePeriod { .. });
		let paid = if !was_in_grace && !policy.is_charge_due(contract.contract_id, start, end) {
			billing.debt = due;
			Zero::zero()
		} else if payout.charge(&contract.owner, due, policy) {
			billing.debt = Zero::zero();
			Self::leave_grace_period(contract);
			due
		} else {
			billing.debt = due;
			Self::start_grace_period(contract, due, policy);
			Zero::zero()
		};
		Self::deposit_event(Event::ContractBilled {
			contract_id: contract.contract_id,
			window_start: start,
			window_end: end,
			amount,
			paid,
		});
		was_in_grace != matches!(contract.state, ContractState::GracePeriod { .. })
	}

	/// Bills a contract its node has just confirmed for the first time for its public IPs
	/// since it was created, charged as a report's window is.
	pub(crate) fn bill_ips_since_creation(
		contract: &mut ContractOf<T>,
		billing: &mut BillingOf<T>,
	) {
		let now = T::UnixTime::now().as_secs();
		let Some(usage) = Self::ip_usage_until(contract, billing, now) else { return };
		let Some((policy, tft_price)) = Self::prices() else { return };
		let amount = Self::price(&usage, &policy, tft_price);
		let mut payout = Payout::<T>::default();
		Self::charge_window(contract, billing, now, amount, &policy, &mut payout);
		payout.deliver(contract.farm_id);
	}

	/// The use of `contract`'s public IPs from its `billed_until` to `now`; `None` if it has
	/// none, or no time has passed.
	fn ip_usage_until(contract: &ContractOf<T>, billing: &BillingOf<T>, now: u64) -> Option<Usage> {
		let seconds = now.checked_sub(billing.billed_until).filter(|s| *s > 0)?;
		(contract.public_ips > 0).then_some(Usage {
			resources: Resources::default(),
			ips: contract.public_ips,
			nru: 0,
			seconds,
		})
	}

	/// What `usage` costs in plancks (rounded down), at `tft_price` micro-USD per TFT. An
	/// amount beyond what a balance holds is the largest balance, never zero.
	pub(crate) fn price(
		usage: &Usage,
		policy: &PricingPolicyOf<T>,
		tft_price: MicroUsd,
	) -> BalanceOf<T> {
		let plancks_per_tft: u128 = T::PlancksPerTft::get().saturated_into();
		usd_to_plancks(cost_usd(usage, policy), tft_price, plancks_per_tft)
			.unwrap_or(u128::MAX)
			.saturated_into()
	}

	/// Bills a contract that is being cancelled for its public IPs since its last report, or
	/// since its creation if its node never confirmed it (the chain knows nothing of its other
	/// use since then); the bill is added to its debt.
	pub(crate) fn bill_public_ips_until_now(contract: &ContractOf<T>, billing: &mut BillingOf<T>) {
		let now = T::UnixTime::now().as_secs();
		let Some(usage) = Self::ip_usage_until(contract, billing, now) else { return };
		let Some((policy, tft_price)) = Self::prices() else { return };
		let amount = Self::price(&usage, &policy, tft_price);
		let start = core::mem::replace(&mut billing.billed_until, now);
		billing.debt.saturating_accrue(amount);
		Self::deposit_event(Event::ContractBilled {
			contract_id: contract.contract_id,
			window_start: start,
			window_end: now,
			amount,
			paid: Zero::zero(),
		});
	}
}

impl<T: Config> Pallet<T> {
	/// The billing of contract `contract_id` on node `node_id`, from the node's entry of
	/// [`NodeBilling`]; `None` if it has none (it is not live there).
	pub fn stored_billing(node_id: NodeId, contract_id: ContractId) -> Option<BillingOf<T>> {
		NodeBilling::<T>::get(node_id)?.get(&contract_id).copied()
	}

	/// Changes live contract `contract_id`'s billing, in node `node_id`'s entry of
	/// [`NodeBilling`], with `change`: the entry is decoded once and stored again only if
	/// `change` succeeds.
	pub(crate) fn try_mutate_billing<R>(
		node_id: NodeId,
		contract_id: ContractId,
		change: impl FnOnce(&mut BillingOf<T>) -> Result<R, Error<T>>,
	) -> Result<R, Error<T>> {
		NodeBilling::<T>::try_mutate(node_id, |node_billing| {
			let billing = node_billing
				.as_mut()
				.and_then(|entry| entry.get_mut(&contract_id))
				.ok_or_else(|| {
					frame_support::defensive!("a live contract without its billing");
					Error::<T>::ContractNotFound
				})?;
			change(billing)
		})
	}

	/// Takes contract `contract`'s billing out of its node's entry of [`NodeBilling`], which
	/// goes when it was the node's last contract; `None` if it had none.
	pub(crate) fn take_billing(contract: &ContractOf<T>) -> Option<BillingOf<T>> {
		NodeBilling::<T>::mutate_exists(contract.node_id, |node_billing| {
			let entry = node_billing.as_mut()?;
			let billing = entry.remove(&contract.contract_id);
			if entry.is_empty() {
				*node_billing = None;
			}
			billing
		})
	}
}
