// A fresh --dev chain for one test file, and the helpers its tests share. Each file gets its own
// node on its own ports, so the files run side by side.

import { before, after } from 'node:test';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { connect, devKeyring } from './chain.js';
import { startDevNode } from './process.js';
import { expectOk, expectRefused, eventData } from './tx.js';

/**
 * Starts a --dev node before the file's tests and stops it after them. Returns the chain:
 * `api` (set once the node is up), `keyring`, `alice`, and helpers bound to the chain.
 */
export function useDevChain() {
  const keyring = devKeyring();
  const chain = { node: null, api: null, keyring, alice: keyring.addFromUri('//Alice') };
  const api = () => chain.api;

  /** Sends `tx` from `signer` and expects it to succeed; resolves with its events. */
  chain.ok = (tx, signer) => expectOk(api(), tx, signer);
  /** Sends `tx` from `signer` and expects it to fail; resolves with the error's `section.name`. */
  chain.refused = (tx, signer) => expectRefused(api(), tx, signer);
  /** The free balance of `address`. */
  chain.free = async (address) => (await api().query.system.account(address)).data.free.toBigInt();
  /** The balance of `address` on hold: its storage deposits. */
  chain.reserved = async (address) => (await api().query.system.account(address)).data.reserved.toBigInt();
  /** All TFT there is. */
  chain.issuance = async () => (await api().query.balances.totalIssuance()).toBigInt();
  /** The storage deposit every twin holds from its account. */
  chain.twinDeposit = () => api().consts.tfgridModule.twinDeposit.toBigInt();
  /** The chain's time, in Unix seconds. */
  chain.now = async () => Math.floor((await api().query.timestamp.now()).toNumber() / 1000);
  /** The fee a transaction paid, from its events. */
  chain.feeOf = (events) => eventData(events, api().events.transactionPayment.TransactionFeePaid).actualFee.toBigInt();
  /** Contract `id` as the runtime API returns it (an `Option`). */
  chain.contractOf = (id) => api().call.smartContractApi.contract(id);
  /** The twin id of `address`. */
  chain.twinOf = async (address) => (await api().query.tfgridModule.twinIdByAccount(address)).unwrap().toNumber();
  /** The foundation's account: "modl" + "gridfndn", padded with zeros (a PalletId account). */
  chain.foundation = () => keyring.encodeAddress(u8aConcat(stringToU8a('modlgridfndn'), new Uint8Array(20)));
  /** Alice sends each account (a pair or an address) `amount`, in one batch. */
  chain.fund = async (accounts, amount) => {
    const transfers = accounts.map((a) => api().tx.balances.transferKeepAlive(a.address ?? a, amount));
    await chain.ok(api().tx.utility.batchAll(transfers), chain.alice);
  };

  before(async () => {
    chain.node = await startDevNode();
    chain.api = await connect(chain.node.rpcUrl);
  });
  after(async () => {
    await chain.api?.disconnect();
    await chain.node?.stop();
  });
  return chain;
}
