// A burst of 10,000 signed transactions sent to a --dev node as fast as the RPC takes them:
// each is either included in a block or refused with an error its sender sees (a transaction
// whose sender had an earlier one refused waits in the pool for the missing nonce: it must
// still be there); none vanishes, and the node keeps answering and producing blocks meanwhile.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { WsProvider } from '@polkadot/api';
import { startDevNode, connect, expectOk } from './lib/node.js';

const TOTAL = 10_000;
const SENDERS = 20;
const TFT = 10_000_000n;
let node;
let api;

/**
 * Submits the signed transaction `t` through `provider` and follows it until it is in a block
 * ({ outcome: 'included', block }), refused, dropped or invalid ({ outcome: 'refused', reason }),
 * or `timeoutMs` passes: 'waiting' if the pool last said it waits for an earlier nonce,
 * 'silent' otherwise. Returns { answered, outcome }: `answered` settles once the node has
 * taken or refused the transaction.
 */
function watch(provider, t, timeoutMs) {
  let answered;
  const outcome = new Promise((resolve) => {
    let last = null;
    let subscription = null;
    const done = (outcome) => {
      clearTimeout(timer);
      if (subscription !== null) {
        provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ outcome: last === 'future' ? 'waiting' : 'silent' }), timeoutMs);
    answered = provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [t.hex], (error, status) => {
      if (error) return done({ outcome: 'refused', reason: error.message });
      last = status;
      if (status?.inBlock || status?.finalized) done({ outcome: 'included', block: status.inBlock ?? status.finalized });
      else if (status === 'dropped' || status === 'invalid' || status?.usurped) done({ outcome: 'refused', reason: JSON.stringify(status) });
    }).then((id) => { subscription = id; }, (error) => done({ outcome: 'refused', reason: error.message }));
  });
  return { answered, outcome };
}

before(async () => {
  node = await startDevNode();
  api = await connect(node.rpcUrl);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test(`${TOTAL} signed transactions: each included or refused with an error, none lost`, { timeout: 900_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 7171 });
  const alice = keyring.addFromUri('//Alice');
  const senders = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//burst/${i}`));
  const dest = keyring.addFromUri('//burst/receiver').address;
  await expectOk(api, api.tx.utility.batchAll(
    senders.map((s) => api.tx.balances.transferKeepAlive(s.address, 1_000n * TFT))), alice);

  // Sign everything first (immortal, explicit nonces, no look-ups), so that sending is as fast
  // as it gets.
  const perSender = TOTAL / SENDERS;
  const signed = [];
  const options = {
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    era: 0,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  };
  for (let n = 0; n < perSender; n += 1) {
    for (const sender of senders) {
      const tx = api.tx.balances.transferKeepAlive(dest, TFT / 100n + BigInt(n));
      tx.sign(sender, { ...options, nonce: n });
      signed.push({ sender: sender.address, hash: tx.hash.toHex(), hex: tx.toHex() });
    }
  }

  // Send them all at once, each watched (author_submitAndWatchExtrinsic) so that its sender
  // sees what becomes of it: in a block, or refused, dropped or invalid with the reason. The
  // subscriptions are spread over several connections (a connection holds at most 1,024).
  const providers = await Promise.all(Array.from({ length: 12 }, async () => {
    const provider = new WsProvider(node.rpcUrl, false);
    await provider.connect();
    await provider.isReady;
    return provider;
  }));
  const latencies = [];
  const probe = setInterval(async () => {
    const t = Date.now();
    await api.rpc.system.health();
    latencies.push(Date.now() - t);
  }, 1_000);
  // In nonce order, a window at a time, each window sent at once: a transaction that arrives
  // before its predecessor has to wait in the pool's small queue for future transactions.
  const started = Date.now();
  const pending = [];
  const WINDOW = 1_000;
  for (let i = 0; i < signed.length; i += WINDOW) {
    const window = signed.slice(i, i + WINDOW).map((t, j) => watch(providers[(i + j) % providers.length], t, 60_000));
    await Promise.all(window.map((w) => w.answered));
    pending.push(...window.map((w) => w.outcome));
  }
  const sendSeconds = (Date.now() - started) / 1000;
  const outcomes = await Promise.all(pending);
  clearInterval(probe);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(providers.map((p) => p.disconnect()));

  const count = (what) => outcomes.filter((o) => o.outcome === what).length;
  const reasons = {};
  for (const o of outcomes) if (o.outcome === 'refused') reasons[o.reason] = (reasons[o.reason] ?? 0) + 1;
  const blocks = new Set(outcomes.filter((o) => o.outcome === 'included').map((o) => o.block));
  console.log(`burst: ${TOTAL} transactions sent in ${sendSeconds.toFixed(1)} s, settled in ` +
    `${seconds.toFixed(1)} s: ${count('included')} included in ` +
    `${blocks.size} blocks, ${count('refused')} refused ${JSON.stringify(reasons)}, ` +
    `${count('waiting')} waiting behind a refused nonce, ${count('silent')} without an answer; ` +
    `RPC answered in at most ${Math.max(...latencies)} ms`);

  assert.equal(count('silent'), 0, 'every transaction is included or its sender is told why not');
  assert.ok(count('included') > 0);
  assert.ok(Math.max(...latencies) < 10_000, 'the node keeps answering during the burst');
  // What the watchers saw is what the chain holds: each sender's nonce moved by exactly the
  // number of its transactions reported included, and those are in the blocks reported.
  const includedBySender = {};
  signed.forEach((t, i) => {
    if (outcomes[i].outcome === 'included') includedBySender[t.sender] = (includedBySender[t.sender] ?? 0) + 1;
  });
  for (const sender of senders) {
    const nonce = (await api.query.system.account(sender.address)).nonce.toNumber();
    assert.equal(nonce, includedBySender[sender.address] ?? 0);
  }
  const inBlocks = new Set();
  for (const hash of blocks) {
    const { block } = await api.rpc.chain.getBlock(hash);
    for (const ext of block.extrinsics) inBlocks.add(ext.hash.toHex());
  }
  signed.forEach((t, i) => {
    if (outcomes[i].outcome === 'included') assert.ok(inBlocks.has(t.hash), `${t.hash} is in its block`);
  });
});
