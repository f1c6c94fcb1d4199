// Transactions: signing, sending and following them, and reading their outcome.

import { WsProvider } from '@polkadot/api';

/**
 * A `DispatchError` by name: `section.name` for a pallet's error, else e.g. `BadOrigin` or
 * `Token.FundsUnavailable`.
 */
export function errorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  const inner = dispatchError.value;
  return inner?.type ? `${dispatchError.type}.${inner.type}` : dispatchError.type;
}

/**
 * Signs and sends `tx` from `signer`, with signing `options` (e.g. `{ mode: 1, metadataHash }`);
 * resolves once it is in a block (or, with `finalized`, once that block is finalized) with
 * { blockHash, events, dispatchError }, dispatchError decoded to `section.name` for a pallet's
 * error. The --dev chain has one block author, so a block that includes the transaction is not
 * replaced.
 */
function sendUntil(api, tx, signer, finalized, options = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
      }
      const done = finalized ? status.isFinalized : status.isInBlock;
      if (done) {
        unsubscribe();
        const error = dispatchError ? errorName(api, dispatchError) : null;
        const blockHash = finalized ? status.asFinalized : status.asInBlock;
        resolve({ blockHash, events, dispatchError: error });
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/** Sends `tx` from `signer`, signed with `options` if given; resolves once it is in a block. */
export const submit = (api, tx, signer, options) => sendUntil(api, tx, signer, false, options);

/** Sends `tx` from `signer`; resolves once its block is finalized. */
export const sendAndFinalize = (api, tx, signer) => sendUntil(api, tx, signer, true);

/** Sends `tx` from `signer` and expects it to succeed; resolves with its events. */
export async function expectOk(api, tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  if (dispatchError !== null) throw new Error(`expected success, got ${dispatchError}`);
  return events;
}

/** Sends `tx` from `signer` and expects it to fail; resolves with the error's `section.name`. */
export async function expectRefused(api, tx, signer) {
  const { dispatchError } = await submit(api, tx, signer);
  if (dispatchError === null) throw new Error('expected the call to be refused, it succeeded');
  return dispatchError;
}

/** The data of the first event of kind `kind` (e.g. `api.events.balances.Transfer`) in `events`. */
export function eventData(events, kind) {
  const record = events.find(({ event }) => kind.is(event));
  if (!record) throw new Error(`no event of that kind among ${events.length}`);
  return record.event.data;
}

/**
 * Submits the signed transaction `hex` through `provider` (a WsProvider: one connection holds
 * at most 1,024 watched transactions) and follows it until it is in a block
 * ({ outcome: 'included', block }), refused, dropped or invalid ({ outcome: 'refused', reason }),
 * or `until` comes (milliseconds, or a promise): then 'waiting' if the pool last said it waits
 * for an earlier nonce, 'silent' otherwise, each with the last status (`last`). Returns
 * { answered, outcome }: `answered` settles once the node has taken or refused the transaction.
 */
export function watchExtrinsic(provider, hex, until) {
  let answered;
  const outcome = new Promise((resolve) => {
    let last = null;
    let subscription = null;
    let settled = false;
    const done = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (subscription !== null) {
        provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
      }
      resolve(outcome);
    };
    const stop = () => done({ outcome: last === 'future' ? 'waiting' : 'silent', last });
    const timer = typeof until === 'number' ? setTimeout(stop, until) : null;
    if (typeof until !== 'number') until.then(stop);
    answered = provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
      if (error) return done({ outcome: 'refused', reason: error.message });
      last = status;
      if (status?.inBlock || status?.finalized) done({ outcome: 'included', block: status.inBlock ?? status.finalized });
      else if (status === 'dropped' || status === 'invalid' || status?.usurped) done({ outcome: 'refused', reason: JSON.stringify(status) });
    }).then((id) => {
      subscription = id;
      if (settled) provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id).catch(() => {});
    }, (error) => done({ outcome: 'refused', reason: error.message }));
  });
  return { answered, outcome };
}

/**
 * Signs `tx` from `signer` with nonce `nonce` without asking the node anything, and returns it:
 * for sending many transactions fast. With a block `header`, valid for 64 blocks from it (as
 * polkadot.js signs by default); without, immortal. Among transactions of equal priority the
 * pool takes the one that expires first, so a mortal transaction that has waited goes before
 * newer ones; immortal ones are taken in the order the pool last inserted them, which its
 * revalidation of waiting transactions resets.
 */
export function signOffline(api, tx, signer, nonce, header = null) {
  return tx.sign(signer, {
    blockHash: header ? header.hash : api.genesisHash,
    genesisHash: api.genesisHash,
    era: header ? api.registry.createType('ExtrinsicEra', { current: header.number, period: 64 }) : 0,
    nonce,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  });
}

/** `count` more connections to `url`, to watch many transactions (one holds at most 1,024). */
export function openConnections(url, count) {
  return Promise.all(Array.from({ length: count }, async () => {
    const provider = new WsProvider(url, false);
    provider.on('error', () => {}); // closing them at the end is not an error
    await provider.connect();
    await provider.isReady;
    return provider;
  }));
}

/**
 * Sends the signed transactions `hexes` in order over `providers`, `window` at a time: each
 * window at once, and the next once the node has answered all of it. Each is watched as by
 * `watchExtrinsic` `until`; resolves, once all are sent, with their outcome promises.
 */
export async function sendWatched(providers, hexes, { window = 1_000, until }) {
  const outcomes = [];
  for (let i = 0; i < hexes.length; i += window) {
    const watched = hexes.slice(i, i + window)
      .map((hex, j) => watchExtrinsic(providers[(i + j) % providers.length], hex, until));
    await Promise.all(watched.map((w) => w.answered));
    outcomes.push(...watched.map((w) => w.outcome));
  }
  return outcomes;
}

