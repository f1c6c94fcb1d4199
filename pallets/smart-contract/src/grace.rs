//! The grace period and the other deadlines: an owner who cannot pay gets a debt and a grace
//! period, pays it later or has the contract cancelled at the deadline, and a contract its node
//! never confirms expires. Debt left when a contract ends is written off and follows the twin.

use crate::{billing::Payout, impls::count_one, pallet::*, types::*, weights::WeightInfo};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use grid_primitives::{ContractId, FarmId, GridProvider, TwinId};
use sp_runtime::traits::{One, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Whether twin `twin_id` owes: a contract of its is in its grace period, or debt of an
	/// ended contract was written off.
	pub(crate) fn is_in_debt(twin_id: TwinId) -> bool {
		TwinsInGrace::<T>::contains_key(twin_id)
			|| WrittenOffDebts::<T>::iter_key_prefix(twin_id).next().is_some()
	}

	/// Puts `contract`, owing `debt`, in its grace period, unless it is in it already.
	pub(crate) fn start_grace_period(
		contract: &mut ContractOf<T>,
		debt: BalanceOf<T>,
		policy: &PricingPolicyOf<T>,
	) {
		if matches!(contract.state, ContractState::GracePeriod { .. }) {
			return;
		}
		let since = frame_system::Pallet::<T>::block_number();
		let ends = since.saturating_add(policy.grace_period);
		let confirmed = contract.state == ContractState::Deployed;
		contract.state = ContractState::GracePeriod { since, ends, confirmed };
		Deadlines::<T>::insert(ends, contract.contract_id, ());
		TwinsInGrace::<T>::mutate_exists(contract.twin_id, |count| count_one(count, true));
		Self::deposit_event(Event::GracePeriodStarted {
			contract_id: contract.contract_id,
			debt,
			ends,
		});
	}

	pub(crate) fn do_settle_debt(contract_id: ContractId) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		Self::try_mutate_billing(contract.node_id, contract_id, |billing| {
			ensure!(!billing.debt.is_zero(), Error::<T>::NoDebt);
			Self::pay_debt(&mut contract, billing)
		})?;
		Contracts::<T>::insert(contract_id, contract);
		Ok(())
	}

	/// Pays `contract`'s whole debt, in its `billing`, from its owner and ends its grace
	/// period; [`Error::CannotPayDebt`], changing nothing, if the owner cannot pay it all.
	fn pay_debt(contract: &mut ContractOf<T>, billing: &mut BillingOf<T>) -> Result<(), Error<T>> {
		let policy = CurrentPrices::<T>::get().policy.ok_or(Error::<T>::CannotPayDebt)?;
		let mut payout = Payout::<T>::default();
		if !payout.charge(&contract.owner, billing.debt, &policy) {
			return Err(Error::<T>::CannotPayDebt);
		}
		payout.deliver(contract.farm_id);
		let paid = core::mem::replace(&mut billing.debt, Zero::zero());
		Self::deposit_event(Event::DebtPaid { contract_id: contract.contract_id, paid });
		Self::leave_grace_period(contract);
		Ok(())
	}

	/// Takes `contract`'s deadline off the schedule and, in its grace period, the contract off
	/// its twin's count of contracts in grace: the undoing of [`Self::start_grace_period`] and
	/// of a creation's expiry, for a contract that leaves the state its deadline belongs to.
	pub(crate) fn unschedule(contract: &ContractOf<T>) {
		if let Some(deadline) = contract.state.deadline() {
			Deadlines::<T>::remove(deadline, contract.contract_id);
		}
		if matches!(contract.state, ContractState::GracePeriod { .. }) {
			TwinsInGrace::<T>::mutate_exists(contract.twin_id, |count| count_one(count, false));
		}
	}

	/// Takes a contract whose debt is paid out of its grace period, if it is in one, back to
	/// the state it had.
	pub(crate) fn leave_grace_period(contract: &mut ContractOf<T>) {
		if let ContractState::GracePeriod { confirmed, .. } = contract.state {
			Self::unschedule(contract);
			contract.state =
				if confirmed { ContractState::Deployed } else { ContractState::Updated };
			Self::deposit_event(Event::GracePeriodEnded { contract_id: contract.contract_id });
		}
	}

	/// Pays as much of a cancelled contract's `debt` as its owner can, the rest written off.
	pub(crate) fn settle_outstanding(contract: &ContractOf<T>, debt: BalanceOf<T>) {
		if debt.is_zero() {
			return;
		}
		let mut payout = Payout::<T>::default();
		let paid = CurrentPrices::<T>::get()
			.policy
			.map_or_else(Zero::zero, |policy| payout.charge_up_to(&contract.owner, debt, &policy));
		payout.deliver(contract.farm_id);
		if !paid.is_zero() {
			Self::deposit_event(Event::DebtPaid { contract_id: contract.contract_id, paid });
		}
		let written_off = debt.saturating_sub(paid);
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
		ensure!(payout.charge(who, debt, &policy), Error::<T>::CannotPayDebt);
		// A farm deleted since no longer has an owner to pay: its share goes to the foundation.
		payout.deliver(farm_id);
		WrittenOffDebts::<T>::remove(twin_id, farm_id);
		Self::deposit_event(Event::WrittenOffDebtRepaid { twin_id, farm_id, paid: debt });
		Ok(())
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
				let paid = Self::try_mutate_billing(contract.node_id, contract_id, |billing| {
					Self::pay_debt(&mut contract, billing)
				});
				match paid {
					Ok(()) => {
						Contracts::<T>::insert(contract_id, contract);
						Ok(())
					}
					Err(Error::<T>::CannotPayDebt) => {
						Self::remove_contract(contract, CancelReason::OutOfFunds).map(|_| ())
					}
					Err(other) => Err(other.into()),
				}
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
