//! Billing: consumption reports priced and charged, debts, and the grace period.

use crate::{
	pallet::*,
	pricing::{cost_usd, usd_to_plancks, MicroUsd, Usage},
	types::*,
	weights::WeightInfo,
};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Balanced, Credit, Inspect},
		tokens::{Fortitude, Precision, Preservation},
		Imbalance, UnixTime,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use grid_primitives::{ContractId, FarmId, GridProvider, NodeId, Resources};
use sp_runtime::{
	traits::{One, Saturating, Zero},
	SaturatedConversion,
};

/// Money taken from owners, on its way to the farmer and the foundation, and what was burned.
pub(crate) struct Payout<T: Config> {
	farmer: Credit<T::AccountId, T::Currency>,
	foundation: Credit<T::AccountId, T::Currency>,
	burned: BalanceOf<T>,
}

impl<T: Config> Default for Payout<T> {
	fn default() -> Self {
		Self {
			farmer: Credit::<T::AccountId, T::Currency>::zero(),
			foundation: Credit::<T::AccountId, T::Currency>::zero(),
			burned: Zero::zero(),
		}
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
	/// Billed reports whose contract entered or left its grace period.
	pub grace_changes: u32,
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

	/// Storage writes the weight of `add_consumption_reports` charges for but these reports did
	/// not make: per report the benchmark counts three (the contract, the owner's account and
	/// the grace schedule); a refused report makes none, and a billed one touches the grace
	/// schedule only when its contract enters or leaves its grace period.
	pub fn unused_writes(&self) -> u32 {
		let accepted_without_grace = self.accepted.saturating_sub(self.grace_changes);
		self.rejected.saturating_mul(3).saturating_add(accepted_without_grace)
	}
}

/// A billed report's window.
pub(crate) struct BilledWindow {
	/// Its length in seconds.
	seconds: u64,
	/// Whether the contract entered or left its grace period.
	grace_changed: bool,
}

/// How one payment was shared.
#[derive(Default)]
pub(crate) struct Shares<Balance> {
	pub farmer: Balance,
	pub foundation: Balance,
	pub burned: Balance,
}

impl<T: Config> Payout<T> {
	/// Pays the farmer's share to `farmer` and the foundation's to the foundation account. A
	/// share that cannot be paid (no farmer account, or an amount too small to create the
	/// account) is burned, with a `ShareBurned` event. Adds what was burned to [`TotalBurned`].
	fn deliver(self, farmer: Option<T::AccountId>) {
		let mut burned = self.burned;
		for (receiver, credit) in
			[(farmer, self.farmer), (Some(T::FoundationAccount::get()), self.foundation)]
		{
			if credit.peek().is_zero() {
				continue;
			}
			let amount = credit.peek();
			let undelivered = match receiver.clone() {
				Some(account) => T::Currency::resolve(&account, credit).err(),
				None => {
					frame_support::defensive!("a node's farm has no owner account; share burned");
					Some(credit)
				}
			};
			if let Some(undelivered) = undelivered {
				drop(undelivered);
				burned.saturating_accrue(amount);
				if let Some(account) = receiver {
					Pallet::<T>::deposit_event(Event::ShareBurned { account, amount });
				}
			}
		}
		if !burned.is_zero() {
			TotalBurned::<T>::mutate(|total| total.saturating_accrue(burned));
		}
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
		let (policy, tft_price) = Self::prices().ok_or(Error::<T>::PricingNotSet)?;

		let now = T::UnixTime::now().as_secs();
		let mut payout = Payout::<T>::default();
		let mut billed = ReportsBilled::default();
		for report in reports {
			match Self::bill_report(node_id, &report, now, &policy, tft_price, &mut payout) {
				Ok(window) => {
					billed.accepted.saturating_inc();
					if window.seconds < T::MinFeeFreeWindow::get() {
						billed.short_windows.saturating_inc();
					}
					if window.grace_changed {
						billed.grace_changes.saturating_inc();
					}
				}
				Err(reason) => {
					billed.rejected.saturating_inc();
					if reason == ReportRejection::ContractEnded {
						billed.ended.saturating_inc();
					}
					Self::deposit_event(Event::ConsumptionReportRejected {
						contract_id: report.contract_id,
						reason,
					});
				}
			}
		}
		payout.deliver(T::Grid::farmer_account(node.farm_id));
		Ok(billed)
	}

	/// Checks one report against its contract's reservation and the traffic limit, and bills
	/// its window; a refused report changes nothing.
	fn bill_report(
		node_id: NodeId,
		report: &ConsumptionReport,
		now: u64,
		policy: &PricingPolicyOf<T>,
		tft_price: MicroUsd,
		payout: &mut Payout<T>,
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
		let start = contract.billed_until;
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

		let usage = Usage { resources: used, ips: contract.public_ips, nru: report.nru, seconds };
		let amount = Self::price(&usage, policy, tft_price);
		let grace_changed =
			Self::charge_window(&mut contract, report.timestamp, amount, policy, payout);
		Contracts::<T>::insert(contract.contract_id, contract);
		Ok(BilledWindow { seconds, grace_changed })
	}

	/// Bills `contract` `amount` for the window from its `billed_until` to `end`: the owner
	/// pays it and any debt at once, or the contract runs in debt in its grace period. Returns
	/// whether the contract entered or left its grace period.
	fn charge_window(
		contract: &mut ContractOf<T>,
		end: u64,
		amount: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
		payout: &mut Payout<T>,
	) -> bool {
		let start = core::mem::replace(&mut contract.billed_until, end);
		let due = contract.debt.saturating_add(amount);
		let shares = Self::collect(&contract.owner, due, policy, payout);
		let was_in_grace = matches!(contract.state, ContractState::GracePeriod { .. });
		let paid = if let Some(shares) = &shares {
			contract.debt = Zero::zero();
			Self::leave_grace_period(contract);
			shares.farmer.saturating_add(shares.foundation).saturating_add(shares.burned)
		} else {
			contract.debt = due;
			Self::start_grace_period(contract, policy);
			Zero::zero()
		};
		let shares = shares.unwrap_or_default();
		Self::deposit_event(Event::ContractBilled {
			contract_id: contract.contract_id,
			window_start: start,
			window_end: end,
			amount,
			paid,
			farmer: shares.farmer,
			foundation: shares.foundation,
			burned: shares.burned,
		});
		was_in_grace != matches!(contract.state, ContractState::GracePeriod { .. })
	}

	/// Bills a contract its node has just confirmed for the first time for its public IPs
	/// since it was created, charged at once; an owner who cannot pay enters the grace period.
	pub(crate) fn bill_ips_since_creation(contract: &mut ContractOf<T>) {
		let now = T::UnixTime::now().as_secs();
		let Some(usage) = Self::ip_usage_until(contract, now) else { return };
		let Some((policy, tft_price)) = Self::prices() else { return };
		let amount = Self::price(&usage, &policy, tft_price);
		let mut payout = Payout::<T>::default();
		Self::charge_window(contract, now, amount, &policy, &mut payout);
		payout.deliver(T::Grid::farmer_account(contract.farm_id));
	}

	/// The use of `contract`'s public IPs from its `billed_until` to `now`; `None` if it has
	/// none, or no time has passed.
	fn ip_usage_until(contract: &ContractOf<T>, now: u64) -> Option<Usage> {
		let seconds = now.checked_sub(contract.billed_until).filter(|s| *s > 0)?;
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

	/// The pricing policy and the TFT price, once both are set.
	pub(crate) fn prices() -> Option<(PricingPolicyOf<T>, MicroUsd)> {
		let prices = CurrentPrices::<T>::get();
		let policy = prices.policy?;
		(prices.tft_price > 0).then_some((policy, prices.tft_price))
	}

	/// What `resources` and `ips` public IPs cost for an hour, in plancks; `None` while no
	/// pricing policy or TFT price is set.
	pub fn hourly_quote(resources: Resources, ips: u32) -> Option<BalanceOf<T>> {
		let (policy, tft_price) = Self::prices()?;
		let usage = Usage { resources, ips, nru: 0, seconds: 3_600 };
		Some(Self::price(&usage, &policy, tft_price))
	}

	/// Takes `amount` from `owner` and shares it out under `policy`; `None`, taking nothing, if
	/// the owner cannot pay all of it and keep their account alive. The farmer's and
	/// foundation's shares are rounded down; the burn gets the rest.
	fn collect(
		owner: &T::AccountId,
		amount: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
		payout: &mut Payout<T>,
	) -> Option<Shares<BalanceOf<T>>> {
		if amount.is_zero() {
			return Some(Shares::default());
		}
		let credit = T::Currency::withdraw(
			owner,
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.ok()?;
		let farmer = policy.farmer_share.mul_floor(amount);
		let foundation = policy.foundation_share.mul_floor(amount);
		let (to_farmer, rest) = credit.split(farmer);
		let (to_foundation, to_burn) = rest.split(foundation);
		let burned = to_burn.peek();
		drop(to_burn);
		payout.burned.saturating_accrue(burned);
		payout.farmer.subsume(to_farmer);
		payout.foundation.subsume(to_foundation);
		Some(Shares { farmer, foundation, burned })
	}

	/// Puts `contract` in its grace period, unless it is in it already.
	fn start_grace_period(contract: &mut ContractOf<T>, policy: &PricingPolicyOf<T>) {
		if matches!(contract.state, ContractState::GracePeriod { .. }) {
			return;
		}
		let since = frame_system::Pallet::<T>::block_number();
		let ends = since.saturating_add(policy.grace_period);
		let confirmed = contract.state == ContractState::Deployed;
		contract.state = ContractState::GracePeriod { since, ends, confirmed };
		Deadlines::<T>::insert(ends, contract.contract_id, ());
		Self::count_grace(contract.twin_id, true);
		Self::deposit_event(Event::GracePeriodStarted {
			contract_id: contract.contract_id,
			debt: contract.debt,
			ends,
		});
	}

	pub(crate) fn do_settle_debt(contract_id: ContractId) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(!contract.debt.is_zero(), Error::<T>::NoDebt);
		Self::pay_debt(&mut contract).map_err(|_| Error::<T>::CannotPayDebt)?;
		Contracts::<T>::insert(contract_id, contract);
		Ok(())
	}

	/// Pays `contract`'s whole debt from its owner and ends its grace period; `Err` changing
	/// nothing if the owner cannot pay it all.
	fn pay_debt(contract: &mut ContractOf<T>) -> Result<(), ()> {
		let policy = CurrentPrices::<T>::get().policy.ok_or(())?;
		let mut payout = Payout::<T>::default();
		let shares =
			Self::collect(&contract.owner, contract.debt, &policy, &mut payout).ok_or(())?;
		payout.deliver(T::Grid::farmer_account(contract.farm_id));
		let paid = core::mem::replace(&mut contract.debt, Zero::zero());
		Self::deposit_debt_paid(contract.contract_id, paid, shares);
		Self::leave_grace_period(contract);
		Ok(())
	}

	/// Takes a contract whose debt is paid out of its grace period, if it is in one, back to
	/// the state it had.
	fn leave_grace_period(contract: &mut ContractOf<T>) {
		if let ContractState::GracePeriod { ends, confirmed, .. } = contract.state {
			Deadlines::<T>::remove(ends, contract.contract_id);
			Self::count_grace(contract.twin_id, false);
			contract.state =
				if confirmed { ContractState::Deployed } else { ContractState::Updated };
			Self::deposit_event(Event::GracePeriodEnded { contract_id: contract.contract_id });
		}
	}

	/// Bills a contract that is being cancelled for its public IPs since its last report, or
	/// since its creation if its node never confirmed it (the chain knows nothing of its other
	/// use since then); the bill is added to its debt.
	pub(crate) fn bill_public_ips_until_now(contract: &mut ContractOf<T>) {
		let now = T::UnixTime::now().as_secs();
		let Some(usage) = Self::ip_usage_until(contract, now) else { return };
		let Some((policy, tft_price)) = Self::prices() else { return };
		let amount = Self::price(&usage, &policy, tft_price);
		let start = core::mem::replace(&mut contract.billed_until, now);
		contract.debt.saturating_accrue(amount);
		Self::deposit_event(Event::ContractBilled {
			contract_id: contract.contract_id,
			window_start: start,
			window_end: now,
			amount,
			paid: Zero::zero(),
			farmer: Zero::zero(),
			foundation: Zero::zero(),
			burned: Zero::zero(),
		});
	}

	/// Pays as much of a cancelled contract's debt as its owner can, the rest written off.
	pub(crate) fn settle_outstanding(contract: &ContractOf<T>) {
		if contract.debt.is_zero() {
			return;
		}
		let owner = &contract.owner;
		let available =
			T::Currency::reducible_balance(owner, Preservation::Preserve, Fortitude::Polite);
		let paid = contract.debt.min(available);
		let mut payout = Payout::<T>::default();
		let shares = CurrentPrices::<T>::get()
			.policy
			.and_then(|policy| Self::collect(owner, paid, &policy, &mut payout));
		payout.deliver(T::Grid::farmer_account(contract.farm_id));
		let paid = match shares {
			Some(shares) if !paid.is_zero() => {
				Self::deposit_debt_paid(contract.contract_id, paid, shares);
				paid
			}
			_ => Zero::zero(),
		};
		let written_off = contract.debt.saturating_sub(paid);
		if !written_off.is_zero() {
			WrittenOffDebts::<T>::mutate(contract.twin_id, contract.farm_id, |debt| {
				*debt = Some(debt.unwrap_or_default().saturating_add(written_off));
			});
			Self::deposit_event(Event::DebtWrittenOff {
				contract_id: contract.contract_id,
				amount: written_off,
			});
		}
	}

	/// `who`'s twin repays the debt written off for farm `farm_id`, all of it.
	pub(crate) fn do_repay_written_off_debt(who: &T::AccountId, farm_id: FarmId) -> DispatchResult {
		let twin_id = T::Grid::twin_of(who).ok_or(Error::<T>::TwinNotFound)?;
		let debt = WrittenOffDebts::<T>::get(twin_id, farm_id).ok_or(Error::<T>::NoDebt)?;
		let policy = CurrentPrices::<T>::get().policy.ok_or(Error::<T>::PricingNotSet)?;
		let mut payout = Payout::<T>::default();
		let shares =
			Self::collect(who, debt, &policy, &mut payout).ok_or(Error::<T>::CannotPayDebt)?;
		// A farm deleted since no longer has an owner to pay: its share goes to the foundation.
		let farmer = T::Grid::farmer_account(farm_id).unwrap_or_else(T::FoundationAccount::get);
		payout.deliver(Some(farmer));
		WrittenOffDebts::<T>::remove(twin_id, farm_id);
		Self::deposit_event(Event::WrittenOffDebtRepaid {
			twin_id,
			farm_id,
			paid: debt,
			farmer: shares.farmer,
			foundation: shares.foundation,
			burned: shares.burned,
		});
		Ok(())
	}

	fn deposit_debt_paid(
		contract_id: ContractId,
		paid: BalanceOf<T>,
		shares: Shares<BalanceOf<T>>,
	) {
		Self::deposit_event(Event::DebtPaid {
			contract_id,
			paid,
			farmer: shares.farmer,
			foundation: shares.foundation,
			burned: shares.burned,
		});
	}

	/// Handles the deadlines due by block `now`: a contract whose grace period ends is
	/// restored if its owner can pay now and cancelled (`OutOfFunds`) if not; a contract its
	/// node has not confirmed expires (`Expired`). At most `MaxDeadlinesPerBlock` contracts and
	/// as many block numbers are handled per block; the rest wait.
	///
	/// Each contract is handled in a storage layer of its own: a step that fails leaves nothing
	/// half done, and its schedule entry is removed only with the deadline's outcome. A contract
	/// whose deadline could not be handled is tried again in the next block.
	pub(crate) fn handle_deadlines(now: BlockNumberFor<T>) -> Weight {
		let max = T::MaxDeadlinesPerBlock::get();
		let mut cursor = DeadlineCursor::<T>::get();
		let mut handled = 0u32;
		let mut steps = 0u32;
		while cursor <= now && steps < max {
			steps.saturating_inc();
			let due: alloc::vec::Vec<ContractId> = Deadlines::<T>::iter_key_prefix(cursor)
				.take(max.saturating_sub(handled).saturating_add(1) as usize)
				.collect();
			let room = max.saturating_sub(handled) as usize;
			for contract_id in due.iter().take(room) {
				let met = frame_support::storage::with_storage_layer(|| {
					Deadlines::<T>::remove(cursor, contract_id);
					Self::meet_deadline(*contract_id, cursor)
				});
				if met.is_err() {
					frame_support::defensive!("a deadline could not be handled; tried again later");
					Self::postpone_deadline(*contract_id, cursor, now.saturating_add(One::one()));
				}
				handled.saturating_inc();
			}
			if due.len() > room {
				break;
			}
			cursor.saturating_accrue(One::one());
		}
		DeadlineCursor::<T>::put(cursor);
		T::WeightInfo::handle_deadlines(handled)
			.saturating_add(T::DbWeight::get().reads(steps.into()))
	}

	/// Contract `contract_id`'s deadline at block `block` has come. In its grace period: restore
	/// it if its owner can pay now, cancel it otherwise. Not confirmed by its node: it expires.
	/// An error (no such contract, no such deadline, or one that cannot be cancelled) may leave
	/// changes behind: the caller rolls them back.
	fn meet_deadline(contract_id: ContractId, block: BlockNumberFor<T>) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		match contract.state {
			ContractState::GracePeriod { ends, .. } if ends == block => {
				if Self::pay_debt(&mut contract).is_ok() {
					Contracts::<T>::insert(contract_id, contract);
					return Ok(());
				}
				Self::remove_contract(contract, CancelReason::OutOfFunds).map(|_| ())
			}
			ContractState::Created { expires } if expires == block => {
				Self::remove_contract(contract, CancelReason::Expired).map(|_| ())
			}
			_ => Err(Error::<T>::ContractNotFound.into()),
		}
	}

	/// Moves contract `contract_id`'s deadline from block `from` to block `to`; a schedule entry
	/// without a contract whose deadline it is gets dropped.
	fn postpone_deadline(contract_id: ContractId, from: BlockNumberFor<T>, to: BlockNumberFor<T>) {
		Deadlines::<T>::remove(from, contract_id);
		Contracts::<T>::mutate(contract_id, |contract| {
			let deadline = match contract.as_mut().map(|c| &mut c.state) {
				Some(ContractState::GracePeriod { ends, .. }) => ends,
				Some(ContractState::Created { expires }) => expires,
				_ => return,
			};
			if *deadline == from {
				*deadline = to;
				Deadlines::<T>::insert(to, contract_id, ());
			}
		});
	}
}
