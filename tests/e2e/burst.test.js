// A burst of 10,000 signed transactions sent to a --dev node as fast as the RPC takes them:
// each is either included in a block or refused with an error its sender sees (a transaction
// whose sender had an earlier one refused waits in the pool for the missing nonce: it must
// still be there); none vanishes, and the node keeps answering and producing blocks meanwhile.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { startDevNode, connect, expectOk } from './lib/node.js';

const TOTAL = 10_000;
const SENDERS = 20;
const TFT = 10_000_000n;
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
      signed.push({ sender: sender.address, nonce: n, hash: tx.hash.toHex(), hex: tx.toHex() });
    }
  }

  // Send them all, many at a time; note what the node says to each.
  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const started = Date.now();
  const accepted = new Set();
  const refused = new Map();
  const latencies = [];
  const probe = setInterval(async () => {
    const t = Date.now();
    await api.rpc.system.health();
    latencies.push(Date.now() - t);
  }, 1_000);
  const WINDOW = 500;
  for (let i = 0; i < signed.length; i += WINDOW) {
    const chunk = signed.slice(i, i + WINDOW);
    const results = await Promise.allSettled(chunk.map((t) => api.rpc.author.submitExtrinsic(t.hex)));
    results.forEach((r, j) => {
      if (r.status === 'fulfilled') accepted.add(chunk[j].hash);
      else refused.set(chunk[j].hash, r.reason?.message ?? String(r.reason));
    });
  }
  const sendSeconds = (Date.now() - started) / 1000;

  // Follow the blocks until every accepted transaction that can be included is in one: all
  // but those behind a refused nonce of the same sender.
  const firstRefused = {};
  for (const t of signed) {
    if (refused.has(t.hash) && !(t.sender in firstRefused)) firstRefused[t.sender] = t.nonce;
  }
  const includable = signed.filter((t) => accepted.has(t.hash) && !(t.nonce > (firstRefused[t.sender] ?? Infinity)));
  const included = new Set();
  let block = startBlock + 1;
  const deadline = Date.now() + 600_000;
  while (includable.some((t) => !included.has(t.hash)) && Date.now() < deadline) {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; block <= best; block += 1) {
      const { block: b } = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(block));
      for (const ext of b.extrinsics) {
        const hash = ext.hash.toHex();
        if (accepted.has(hash)) included.add(hash);
      }
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  clearInterval(probe);
  const seconds = (Date.now() - started) / 1000;

  const reasons = {};
  for (const reason of refused.values()) reasons[reason] = (reasons[reason] ?? 0) + 1;
  console.log(`burst: ${TOTAL} sent in ${sendSeconds.toFixed(1)} s; ${accepted.size} accepted, ` +
    `${refused.size} refused ${JSON.stringify(reasons)}; ${included.size} included in blocks ` +
    `${startBlock + 1}..${block - 1} within ${seconds.toFixed(1)} s, ` +
    `${accepted.size - included.size} waiting behind a refused nonce; RPC answered in at most ` +
    `${Math.max(...latencies)} ms`);

  assert.equal(accepted.size + refused.size, TOTAL, 'the node answered every submission');
  const pending = new Set((await api.rpc.author.pendingExtrinsics()).map((ext) => ext.hash.toHex()));
  const lost = [...accepted].filter((h) => !included.has(h) && !pending.has(h));
  assert.deepEqual(lost, [], 'every accepted transaction is in a block or still in the pool');
  assert.deepEqual(includable.filter((t) => !included.has(t.hash)), [], 'nothing includable is left out');
  for (const reason of refused.values()) assert.ok(reason.length > 0, 'a refusal says why');
  assert.ok(accepted.size > 0);
  assert.ok(Math.max(...latencies) < 10_000, 'the node keeps answering during the burst');
  // Each sender's nonce moved by exactly the number of its transactions that were included.
  const includedBySender = {};
  for (const t of signed) if (included.has(t.hash)) includedBySender[t.sender] = (includedBySender[t.sender] ?? 0) + 1;
  for (const sender of senders) {
    const nonce = (await api.query.system.account(sender.address)).nonce.toNumber();
    assert.equal(nonce, includedBySender[sender.address] ?? 0);
  }
});
