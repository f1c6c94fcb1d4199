// The chain as the tests see it: its constants, the development keyring, a connection, and
// waiting for blocks.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

/** Plancks in one TFT (7 decimals). */
export const TFT = 10n ** 7n;
export const GIB = 1n << 30n;
export const TIB = 1n << 40n;
/** The chain's SS58 address prefix. */
export const SS58 = 7171;
/** The development preset's demo farm (Charlie's, with four public IPs) and its node (Dave's). */
export const DEMO_FARM = 1;
export const DEMO_NODE = 1;

/** A keyring of sr25519 accounts with the chain's addresses: `devKeyring().addFromUri('//Alice')`. */
export const devKeyring = () => new Keyring({ type: 'sr25519', ss58Format: SS58 });

/** Connects @polkadot/api, with no custom types, to `url`. */
export async function connect(url) {
  const provider = new WsProvider(url, false);
  await provider.connect();
  try {
    return await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
  } catch (error) {
    // A socket's failure is an event, which would print as `{}`.
    await provider.disconnect().catch(() => {});
    throw error instanceof Error ? error : new Error(`cannot connect to ${url}: ${error?.message ?? error?.type ?? error}`);
  }
}

/** Resolves with the header of the first best block imported at or above `number`. */
export async function waitForBlock(api, number, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no block ${number} within ${timeoutMs} ms`));
    }, timeoutMs);
    api.rpc.chain.subscribeNewHeads((header) => {
      if (header.number.toNumber() >= number) {
        clearTimeout(timer);
        unsubscribe();
        resolve(header);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/** Resolves with the number of the first finalized block at or above `number`. */
export async function waitForFinalized(api, number, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`block ${number} not finalized within ${timeoutMs} ms`));
    }, timeoutMs);
    api.rpc.chain.subscribeFinalizedHeads((header) => {
      const n = header.number.toNumber();
      if (n >= number) {
        clearTimeout(timer);
        unsubscribe();
        resolve(n);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/**
 * Checks `condition` at each new best block until it holds. Fails, with `describe()`'s text and
 * the block's number, once block `deadline` has been imported and it still does not hold.
 */
export async function waitUntil(api, deadline, condition, describe) {
  for (;;) {
    if (await condition()) return;
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    if (best >= deadline) throw new Error(`${await describe()} at block ${best}`);
    await waitForBlock(api, best + 1);
  }
}

/**
 * The earliest timestamp (Unix seconds) the next consumption report of contract `contractId`
 * may carry: the chain's time, or one second after the contract was last billed if later.
 * Read from storage (the contract's node's `nodeBilling` entry), not through the runtime API,
 * which a client that reloaded its metadata after a runtime upgrade no longer lists.
 */
export async function nextReportTime(api, contractId) {
  const { nodeId } = (await api.query.smartContractModule.contracts(contractId)).unwrap();
  const nodeBilling = (await api.query.smartContractModule.nodeBilling(nodeId)).unwrap();
  const [, billing] = [...nodeBilling.entries()].find(([id]) => id.toNumber() === Number(contractId));
  const now = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
  return Math.max(now, billing.billedUntil.toNumber() + 1);
}
