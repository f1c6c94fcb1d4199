// A burst of 10,000 signed transactions sent to a --dev node as fast as the RPC takes them:
// each is either included in a block or refused with an error its sender sees, or waits in the
// pool behind an earlier nonce of its sender that was refused; none vanishes, and the node keeps
// answering and producing blocks meanwhile. What became of each is read from the chain once it
// has settled, however long that takes on a busy machine.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, waitForBlock, TFT, devKeyring } from './lib/chain.js';
import { startDevNode } from './lib/process.js';
import { expectOk, signOffline, openConnections, sendWatched } from './lib/tx.js';

const TOTAL = 10_000;
const SENDERS = 20;
/** Blocks in a row without a transaction of the burst after which the chain has settled. */
const QUIET = 3;
let node;
let api;

before(async () => {
  node = await startDevNode();
  api = await connect(node.rpcUrl);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test(`${TOTAL} signed transactions: each included or refused with an error, none lost`, { timeout: 900_000 }, async () => {
  const keyring = devKeyring();
  const alice = keyring.addFromUri('//Alice');
  const senders = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//burst/${i}`));
  const dest = keyring.addFromUri('//burst/receiver').address;
  await expectOk(api, api.tx.utility.batchAll(
    senders.map((s) => api.tx.balances.transferKeepAlive(s.address, 1_000n * TFT))), alice);

  // Sign everything first (immortal, explicit nonces, no look-ups), so that sending is as fast
  // as it gets.
  const perSender = TOTAL / SENDERS;
  const signed = [];
  for (let n = 0; n < perSender; n += 1) {
    for (const sender of senders) {
      const tx = signOffline(api, api.tx.balances.transferKeepAlive(dest, TFT / 100n + BigInt(n)), sender, n);
      signed.push({ sender: sender.address, nonce: n, hash: tx.hash.toHex(), hex: tx.toHex() });
    }
  }

  // Send them all at once, each watched (author_submitAndWatchExtrinsic) so that its sender
  // sees what becomes of it: in a block, or refused, dropped or invalid with the reason. The
  // subscriptions are spread over several connections (a connection holds at most 1,024).
  const providers = await openConnections(node.rpcUrl, 12);
  const latencies = [];
  const probe = setInterval(async () => {
    const t = Date.now();
    await api.rpc.system.health();
    latencies.push(Date.now() - t);
  }, 1_000);
  // In nonce order, a window at a time, each window sent at once: a transaction that arrives
  // before its predecessor has to wait in the pool's small queue for future transactions.
  // The watchers follow them until the chain has settled (below).
  let chainSettled;
  const settled = new Promise((resolve) => { chainSettled = resolve; });
  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const started = Date.now();
  const pending = await sendWatched(providers, signed.map((t) => t.hex), { until: settled });
  const sendSeconds = (Date.now() - started) / 1000;

  // The chain's word is final. Every block since the burst began is read until the chain has
  // settled: QUIET blocks in a row include none of the burst, so the pool has nothing more
  // that it can include. (A valid transaction at its sender's nonce goes into the next block.)
  const onChain = new Set();
  const burst = new Set(signed.map((t) => t.hash));
  let scanned = startBlock;
  let lastWithBurst = startBlock;
  let blocksWithBurst = 0;
  let head;
  for (;;) {
    head = await api.rpc.chain.getHeader();
    for (let n = scanned + 1; n <= head.number.toNumber(); n += 1) {
      const { block } = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
      const hashes = block.extrinsics.map((ext) => ext.hash.toHex()).filter((h) => burst.has(h));
      hashes.forEach((h) => onChain.add(h));
      if (hashes.length > 0) {
        blocksWithBurst += 1;
        lastWithBurst = n;
      }
    }
    scanned = head.number.toNumber();
    if (scanned - lastWithBurst >= QUIET) break;
    await waitForBlock(api, scanned + 1);
  }
  chainSettled();
  const outcomes = await Promise.all(pending);
  clearInterval(probe);
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(providers.map((p) => p.disconnect()));

  // Each sender's nonce at the last block read: its transactions below it are in blocks. The
  // one at it (if any) is its first not included: it must have been refused with a reason,
  // and those after it wait behind it. Anything else is lost.
  const included = signed.map((t) => onChain.has(t.hash));
  const nonces = new Map();
  for (const sender of senders) {
    nonces.set(sender.address, (await api.query.system.account.at(head.hash, sender.address)).nonce.toNumber());
  }
  const isHead = (i) => signed[i].nonce === nonces.get(signed[i].sender);
  const behindHead = (i) => signed[i].nonce > nonces.get(signed[i].sender);
  const count = (what) => outcomes.filter((o, i) => !included[i] && o.outcome === what).length;
  const lost = outcomes.map((o, i) => (!included[i] && (!behindHead(i) && !(isHead(i) && o.outcome === 'refused')) ? i : -1))
    .filter((i) => i >= 0);
  const waiting = outcomes.filter((o, i) => !included[i] && behindHead(i) && o.outcome !== 'refused').length;
  const reasons = {};
  outcomes.forEach((o, i) => {
    if (!included[i] && o.outcome === 'refused') reasons[o.reason] = (reasons[o.reason] ?? 0) + 1;
  });
  const toldRefusedButIncluded = outcomes.filter((o, i) => included[i] && o.outcome !== 'included').length;
  console.log(`burst: ${TOTAL} transactions sent in ${sendSeconds.toFixed(1)} s, settled in ` +
    `${seconds.toFixed(1)} s: ${included.filter(Boolean).length} included in ${blocksWithBurst} blocks ` +
    `(${toldRefusedButIncluded} of them not told so by the pool), ` +
    `${count('refused')} refused ${JSON.stringify(reasons)}, ` +
    `${waiting} waiting behind a refused nonce, ${lost.length} lost; ` +
    `RPC answered in at most ${Math.max(...latencies)} ms`);

  // What the watchers were told to be in a block is in the chain.
  outcomes.forEach((o, i) => {
    if (o.outcome === 'included') assert.ok(included[i], `${signed[i].hash} is in a block`);
  });
  assert.deepEqual(lost.map((i) => `${signed[i].hash} (nonce ${signed[i].nonce}, last told ${JSON.stringify(outcomes[i].last)})`), [],
    'every transaction is in a block, refused with a reason, or waits behind a refused nonce');
  assert.ok(included.some(Boolean));
  assert.ok(Math.max(...latencies) < 10_000, 'the node keeps answering during the burst');
  // Each sender's nonce moved by exactly the number of its transactions in the chain.
  for (const sender of senders) {
    assert.equal(nonces.get(sender.address),
      signed.filter((t, i) => included[i] && t.sender === sender.address).length);
  }
});
