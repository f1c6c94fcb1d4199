//! The registry's logic, shared by calls, genesis, benchmarks and tests.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, DefensiveSaturating, Get},
};
use grid_primitives::{FarmId, GridUsage, IpAddress, IpError, NodeId, PublicIp, Resources, TwinId};
use sp_runtime::{traits::Zero, Saturating};

/// The bytes a `Blake2_128Concat` map key takes besides the key itself.
const HASH_PREFIX: usize = 16;

/// The sum of `parts`, in bytes.
fn bytes(parts: &[usize]) -> usize {
	parts.iter().fold(0, |sum, part| sum.saturating_add(*part))
}

impl<T: Config> Pallet<T> {
	/// The deposit for `entries` storage entries taking `bytes` bytes in all.
	fn storage_deposit(entries: u32, bytes: usize) -> BalanceOf<T> {
		let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
		T::DepositPerItem::get()
			.saturating_mul(entries.into())
			.saturating_add(T::DepositPerByte::get().saturating_mul(bytes.into()))
	}

	/// A twin's deposit: its record at its largest, and its entry in the account index.
	pub fn twin_deposit() -> BalanceOf<T> {
		let record =
			bytes(&[HASH_PREFIX, TwinId::max_encoded_len(), TwinOf::<T>::max_encoded_len()]);
		let index =
			bytes(&[HASH_PREFIX, T::AccountId::max_encoded_len(), TwinId::max_encoded_len()]);
		Self::storage_deposit(2, bytes(&[record, index]))
	}

	/// A farm's deposit without its IPs: its record at its largest, its entry in the name
	/// index, and its IP counters.
	pub fn farm_deposit() -> BalanceOf<T> {
		let id = FarmId::max_encoded_len();
		let record = bytes(&[HASH_PREFIX, id, FarmOf::<T>::max_encoded_len()]);
		let index = bytes(&[HASH_PREFIX, FarmNameOf::<T>::max_encoded_len(), id]);
		let counters = bytes(&[HASH_PREFIX, id, IpCounts::max_encoded_len()]);
		Self::storage_deposit(3, bytes(&[record, index, counters]))
	}

	/// What each public IP adds to its farm's deposit: its record and its entry in the free
	/// list.
	pub fn ip_deposit() -> BalanceOf<T> {
		let (farm, address) = (FarmId::max_encoded_len(), IpAddress::max_encoded_len());
		let key = bytes(&[HASH_PREFIX, farm, HASH_PREFIX, address]);
		let record = bytes(&[key, FarmIp::max_encoded_len()]);
		Self::storage_deposit(2, bytes(&[record, key]))
	}

	/// What each open invitation adds to its farm's deposit: its entry.
	pub fn invite_deposit() -> BalanceOf<T> {
		let key = bytes(&[
			HASH_PREFIX,
			FarmId::max_encoded_len(),
			HASH_PREFIX,
			TwinId::max_encoded_len(),
		]);
		Self::storage_deposit(1, key)
	}

	/// A node's deposit: its record, and its entry in the twin index.
	pub fn node_deposit() -> BalanceOf<T> {
		let id = NodeId::max_encoded_len();
		let record = bytes(&[HASH_PREFIX, id, NodeOf::<T>::max_encoded_len()]);
		let index = bytes(&[HASH_PREFIX, TwinId::max_encoded_len(), id]);
		Self::storage_deposit(2, bytes(&[record, index]))
	}

	/// Holds `amount` from `who` for `reason` (nothing, where deposits are free).
	fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit.into())
	}

	/// Releases up to `amount` of `who`'s deposit for `reason`; returns what was released.
	fn release_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		T::Currency::release(&reason.into(), who, amount, Precision::BestEffort)
	}

	pub(crate) fn do_create_twin(
		who: T::AccountId,
		relay: Option<RelayOf<T>>,
		pk: Option<PkOf<T>>,
	) -> Result<TwinId, DispatchError> {
		ensure!(!TwinIdByAccount::<T>::contains_key(&who), Error::<T>::TwinExists);
		Self::ensure_twin_fields(&relay, &pk)?;
		let twin_id = LastTwinId::<T>::get().checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		let deposit = Self::twin_deposit();
		Self::hold_deposit(HoldReason::TwinDeposit, &who, deposit)?;
		LastTwinId::<T>::put(twin_id);
		TwinIdByAccount::<T>::insert(&who, twin_id);
		let twin = Twin {
			id: twin_id,
			account: who.clone(),
			relay: relay.clone(),
			pk: pk.clone(),
			farms: 0,
			deposit,
		};
		Twins::<T>::insert(twin_id, twin);
		Self::deposit_event(Event::TwinCreated { twin_id, account: who, relay, pk });
		Ok(twin_id)
	}

	pub(crate) fn do_update_twin(
		who: &T::AccountId,
		relay: Option<RelayOf<T>>,
		pk: Option<PkOf<T>>,
	) -> DispatchResult {
		let twin_id = Self::twin_id_of(who)?;
		Self::ensure_twin_fields(&relay, &pk)?;
		Twins::<T>::try_mutate(twin_id, |twin| {
			let twin = twin.as_mut().ok_or(Error::<T>::TwinNotFound)?;
			twin.relay = relay.clone();
			twin.pk = pk.clone();
			Ok::<_, Error<T>>(())
		})?;
		Self::deposit_event(Event::TwinUpdated { twin_id, relay, pk });
		Ok(())
	}

	pub(crate) fn do_create_farm(
		who: &T::AccountId,
		name: FarmNameOf<T>,
	) -> Result<FarmId, DispatchError> {
		let twin_id = Self::twin_id_of(who)?;
		ensure!(is_valid_farm_name(&name), Error::<T>::InvalidFarmName);
		let key = lower_case(&name);
		ensure!(!FarmIdByName::<T>::contains_key(&key), Error::<T>::FarmNameTaken);
		let farm_id = LastFarmId::<T>::get().checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		let deposit = Self::farm_deposit();
		Self::hold_deposit(HoldReason::FarmDeposit, who, deposit)?;
		LastFarmId::<T>::put(farm_id);
		FarmIdByName::<T>::insert(key, farm_id);
		Twins::<T>::mutate(twin_id, |twin| {
			if let Some(twin) = twin {
				twin.farms.saturating_inc();
			}
		});
		let farm = Farm {
			id: farm_id,
			name: name.clone(),
			twin_id,
			account: who.clone(),
			nodes: 0,
			deposit,
		};
		Farms::<T>::insert(farm_id, farm);
		Self::deposit_event(Event::FarmCreated { farm_id, twin_id, name });
		Ok(farm_id)
	}

	pub(crate) fn do_add_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: &[u8],
		gateway: &[u8],
	) -> DispatchResult {
		let mut farm = Self::owned_farm(who, farm_id)?;
		let public_ip = PublicIp::parse(ip, gateway).map_err(Error::<T>::from)?;
		let address = public_ip.ip;
		ensure!(matches!(address, IpAddress::V4(_)), Error::<T>::IpNotIpv4);
		ensure!(!FarmIps::<T>::contains_key(farm_id, address), Error::<T>::IpAlreadyRegistered);
		let mut counts = FarmIpCounts::<T>::get(farm_id);
		ensure!(counts.total < T::MaxIpsPerFarm::get(), Error::<T>::TooManyFarmIps);
		let deposit = Self::ip_deposit();
		Self::hold_deposit(HoldReason::FarmDeposit, who, deposit)?;
		farm.deposit.saturating_accrue(deposit);
		Farms::<T>::insert(farm_id, farm);
		counts.total.saturating_inc();
		counts.free.saturating_inc();
		FarmIpCounts::<T>::insert(farm_id, counts);
		FarmIps::<T>::insert(
			farm_id,
			address,
			FarmIp { prefix: public_ip.prefix, gateway: public_ip.gateway, contract_id: None },
		);
		FreeFarmIps::<T>::insert(farm_id, address, ());
		Self::deposit_event(Event::FarmIpAdded { farm_id, ip: public_ip });
		Ok(())
	}

	pub(crate) fn do_remove_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: &[u8],
	) -> DispatchResult {
		let mut farm = Self::owned_farm(who, farm_id)?;
		let address = IpAddress::parse(ip).map_err(Error::<T>::from)?;
		let entry = FarmIps::<T>::get(farm_id, address).ok_or(Error::<T>::IpNotFound)?;
		ensure!(entry.contract_id.is_none(), Error::<T>::IpReserved);
		// The IP's share, but never more than the farm holds beyond its own deposit (the
		// prices may have changed since the IP was added).
		let share = Self::ip_deposit().min(farm.deposit.saturating_sub(Self::farm_deposit()));
		let released = Self::release_deposit(HoldReason::FarmDeposit, who, share)?;
		farm.deposit.saturating_reduce(released);
		Farms::<T>::insert(farm_id, farm);
		let mut counts = FarmIpCounts::<T>::get(farm_id);
		counts.total.defensive_saturating_dec();
		counts.free.defensive_saturating_dec();
		if counts.total == 0 {
			FarmIpCounts::<T>::remove(farm_id);
		} else {
			FarmIpCounts::<T>::insert(farm_id, counts);
		}
		FarmIps::<T>::remove(farm_id, address);
		FreeFarmIps::<T>::remove(farm_id, address);
		Self::deposit_event(Event::FarmIpRemoved { farm_id, ip: address });
		Ok(())
	}

	pub(crate) fn do_invite_node(
		who: &T::AccountId,
		farm_id: FarmId,
		twin_id: TwinId,
	) -> DispatchResult {
		let mut farm = Self::owned_farm(who, farm_id)?;
		ensure!(Twins::<T>::contains_key(twin_id), Error::<T>::InviteeNotFound);
		ensure!(!NodeIdByTwin::<T>::contains_key(twin_id), Error::<T>::TwinHasNode);
		ensure!(!NodeInvites::<T>::contains_key(farm_id, twin_id), Error::<T>::AlreadyInvited);
		let deposit = Self::invite_deposit();
		Self::hold_deposit(HoldReason::FarmDeposit, who, deposit)?;
		farm.deposit.saturating_accrue(deposit);
		Farms::<T>::insert(farm_id, farm);
		NodeInvites::<T>::insert(farm_id, twin_id, ());
		Self::deposit_event(Event::NodeInvited { farm_id, twin_id });
		Ok(())
	}

	pub(crate) fn do_revoke_node_invite(
		who: &T::AccountId,
		farm_id: FarmId,
		twin_id: TwinId,
	) -> DispatchResult {
		let farm = Self::owned_farm(who, farm_id)?;
		ensure!(NodeInvites::<T>::contains_key(farm_id, twin_id), Error::<T>::InviteNotFound);
		Self::close_invite(farm, twin_id)?;
		Self::deposit_event(Event::NodeInviteRevoked { farm_id, twin_id });
		Ok(())
	}

	/// Removes `farm`'s invitation of `twin_id` and releases its share of the farm's deposit
	/// (never more than the farm holds beyond its own deposit).
	fn close_invite(mut farm: FarmOf<T>, twin_id: TwinId) -> DispatchResult {
		let share = Self::invite_deposit().min(farm.deposit.saturating_sub(Self::farm_deposit()));
		let released = Self::release_deposit(HoldReason::FarmDeposit, &farm.account, share)?;
		farm.deposit.saturating_reduce(released);
		NodeInvites::<T>::remove(farm.id, twin_id);
		Farms::<T>::insert(farm.id, farm);
		Ok(())
	}

	pub(crate) fn do_create_node(
		who: &T::AccountId,
		farm_id: FarmId,
		resources: Resources,
	) -> Result<NodeId, DispatchError> {
		let twin_id = Self::twin_id_of(who)?;
		let mut farm = Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?;
		ensure!(!NodeIdByTwin::<T>::contains_key(twin_id), Error::<T>::TwinHasNode);
		ensure!(NodeInvites::<T>::contains_key(farm_id, twin_id), Error::<T>::NodeNotInvited);
		ensure!(resources.is_valid_capacity(), Error::<T>::InvalidResources);
		let node_id = LastNodeId::<T>::get().checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		let deposit = Self::node_deposit();
		Self::hold_deposit(HoldReason::NodeDeposit, who, deposit)?;
		farm.nodes.saturating_inc();
		Self::close_invite(farm, twin_id)?;
		LastNodeId::<T>::put(node_id);
		NodeIdByTwin::<T>::insert(twin_id, node_id);
		let node = Node { id: node_id, farm_id, twin_id, account: who.clone(), resources, deposit };
		Nodes::<T>::insert(node_id, node);
		Self::deposit_event(Event::NodeCreated { node_id, farm_id, twin_id, resources });
		Ok(node_id)
	}

	pub(crate) fn do_update_node(
		who: &T::AccountId,
		node_id: NodeId,
		resources: Resources,
	) -> DispatchResult {
		let mut node = Self::owned_node(who, node_id)?;
		ensure!(resources.is_valid_capacity(), Error::<T>::InvalidResources);
		ensure!(
			T::GridUsage::reserved_resources(node_id).fits_within(&resources),
			Error::<T>::CapacityBelowReserved
		);
		node.resources = resources;
		Nodes::<T>::insert(node_id, node);
		Self::deposit_event(Event::NodeUpdated { node_id, resources });
		Ok(())
	}

	pub(crate) fn do_delete_node(who: &T::AccountId, node_id: NodeId) -> DispatchResult {
		let node = Self::owned_node(who, node_id)?;
		ensure!(!T::GridUsage::is_node_in_use(node_id), Error::<T>::NodeInUse);
		Self::release_deposit(HoldReason::NodeDeposit, who, node.deposit)?;
		Farms::<T>::mutate(node.farm_id, |farm| {
			if let Some(farm) = farm {
				farm.nodes.defensive_saturating_dec();
			}
		});
		Nodes::<T>::remove(node_id);
		NodeIdByTwin::<T>::remove(node.twin_id);
		Self::deposit_event(Event::NodeDeleted { node_id });
		Ok(())
	}

	pub(crate) fn do_delete_farm(who: &T::AccountId, farm_id: FarmId) -> DispatchResult {
		let farm = Self::owned_farm(who, farm_id)?;
		ensure!(!FarmIpCounts::<T>::contains_key(farm_id), Error::<T>::FarmHasIps);
		ensure!(farm.nodes == 0, Error::<T>::FarmHasNodes);
		ensure!(
			NodeInvites::<T>::iter_key_prefix(farm_id).next().is_none(),
			Error::<T>::FarmHasInvites
		);
		Self::release_deposit(HoldReason::FarmDeposit, who, farm.deposit)?;
		Twins::<T>::mutate(farm.twin_id, |twin| {
			if let Some(twin) = twin {
				twin.farms.defensive_saturating_dec();
			}
		});
		FarmIdByName::<T>::remove(lower_case(&farm.name));
		Farms::<T>::remove(farm_id);
		Self::deposit_event(Event::FarmDeleted { farm_id });
		Ok(())
	}

	pub(crate) fn do_delete_twin(who: &T::AccountId) -> DispatchResult {
		let twin_id = Self::twin_id_of(who)?;
		let twin = Twins::<T>::get(twin_id).ok_or(Error::<T>::TwinNotFound)?;
		ensure!(!NodeIdByTwin::<T>::contains_key(twin_id), Error::<T>::TwinRunsNode);
		ensure!(twin.farms == 0, Error::<T>::TwinHasFarms);
		ensure!(!T::GridUsage::is_twin_in_use(twin_id), Error::<T>::TwinInUse);
		Self::release_deposit(HoldReason::TwinDeposit, who, twin.deposit)?;
		TwinIdByAccount::<T>::remove(who);
		Twins::<T>::remove(twin_id);
		Self::deposit_event(Event::TwinDeleted { twin_id });
		Ok(())
	}

	/// The twin of `who`, or `TwinNotFound`.
	fn twin_id_of(who: &T::AccountId) -> Result<TwinId, Error<T>> {
		TwinIdByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)
	}

	/// Farm `farm_id`, if it exists and `who` owns it.
	fn owned_farm(who: &T::AccountId, farm_id: FarmId) -> Result<FarmOf<T>, Error<T>> {
		let farm = Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?;
		ensure!(farm.account == *who, Error::<T>::NotFarmOwner);
		Ok(farm)
	}

	/// Node `node_id`, if it exists and `who` is its twin's account.
	fn owned_node(who: &T::AccountId, node_id: NodeId) -> Result<NodeOf<T>, Error<T>> {
		let node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		ensure!(node.account == *who, Error::<T>::NotNodeOwner);
		Ok(node)
	}

	fn ensure_twin_fields(
		relay: &Option<RelayOf<T>>,
		pk: &Option<PkOf<T>>,
	) -> Result<(), Error<T>> {
		if let Some(relay) = relay {
			ensure!(is_valid_relay(relay), Error::<T>::InvalidRelay);
		}
		ensure!(pk.as_ref().is_none_or(|pk| !pk.is_empty()), Error::<T>::EmptyPublicKey);
		Ok(())
	}
}

/// A relay address: printable ASCII without spaces, not empty.
fn is_valid_relay(relay: &[u8]) -> bool {
	!relay.is_empty() && relay.iter().all(|b| b.is_ascii_graphic())
}

/// A farm name: ASCII letters, digits, `-`, `_` and `.`, not empty.
pub(crate) fn is_valid_farm_name(name: &[u8]) -> bool {
	!name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

/// The lower-case form of a farm name, under which it is indexed.
pub(crate) fn lower_case<S: Get<u32>>(name: &BoundedVec<u8, S>) -> BoundedVec<u8, S> {
	let mut key = name.clone();
	key.iter_mut().for_each(|b| b.make_ascii_lowercase());
	key
}

impl<T> From<IpError> for Error<T> {
	fn from(error: IpError) -> Self {
		match error {
			IpError::Malformed => Error::IpMalformed,
			IpError::InvalidPrefix => Error::IpPrefixInvalid,
			IpError::NotPublic => Error::IpNotPublic,
			IpError::NotAHost => Error::IpNotAHost,
			IpError::GatewayMalformed => Error::GatewayMalformed,
			IpError::GatewayNotInSubnet => Error::GatewayNotInSubnet,
			IpError::GatewayIsTheIp => Error::GatewayIsTheIp,
		}
	}
}
