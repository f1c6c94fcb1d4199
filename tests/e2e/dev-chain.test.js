// A --dev node as a user meets it: TFT with 7 decimals, a transfer that finalizes, a clean stop.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, TFT, SS58, devKeyring } from './lib/chain.js';
import { startDevNode } from './lib/process.js';
import { sendAndFinalize } from './lib/tx.js';

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

test('the chain announces TFT with 7 decimals and its ss58 prefix', async () => {
  // What polkadot.js apps reads: `system_properties`, from the chain spec.
  const properties = await api.rpc.system.properties();
  assert.deepEqual(properties.tokenSymbol.unwrap().map(String), ['TFT']);
  assert.deepEqual(properties.tokenDecimals.unwrap().map(Number), [7]);
  assert.equal(properties.ss58Format.unwrap().toNumber(), 7171);
  assert.equal(api.registry.chainSS58, SS58);
  assert.deepEqual(api.registry.chainTokens, ['TFT']);
  assert.deepEqual(api.registry.chainDecimals, [7]);
  assert.equal(api.consts.system.ss58Prefix.toNumber(), 7171);
  assert.equal(api.consts.balances.existentialDeposit.toBigInt(), TFT / 100n);
});

test('Alice transfers 12.5 TFT to Bob; the block is finalized and the fee is accounted for', async () => {
  const keyring = devKeyring();
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 125n * TFT / 10n;

  const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();
  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

  const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
  const { blockHash, events, dispatchError } = await sendAndFinalize(api, tx, alice);
  assert.equal(dispatchError, null);

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'a Balances.Transfer event is emitted');
  assert.equal(transfer.event.data.from.toString(), alice.address);
  assert.equal(transfer.event.data.to.toString(), bob.address);
  assert.equal(transfer.event.data.amount.toBigInt(), amount);

  const feePaid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  assert.ok(feePaid, 'the fee is reported');
  const fee = feePaid.event.data.actualFee.toBigInt();
  assert.ok(fee > 0n && fee < TFT / 10n, `a transfer costs a small fee in TFT (paid ${fee})`);

  const finalized = await api.rpc.chain.getFinalizedHead();
  const finalizedNumber = (await api.rpc.chain.getHeader(finalized)).number.toNumber();
  const blockNumber = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  assert.ok(finalizedNumber >= blockNumber, 'the transfer block is finalized');

  const at = await api.at(blockHash);
  const aliceAfter = (await at.query.system.account(alice.address)).data.free.toBigInt();
  const bobAfter = (await at.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(bobAfter - bobBefore, amount);
  assert.equal(aliceBefore - aliceAfter, amount + fee);
});

test('author_rotateKeys puts a fresh Aura and GRANDPA key in the keystore', async () => {
  const keys = await api.rpc.author.rotateKeys();
  assert.equal(keys.length, 64, 'a 32-byte Aura key then a 32-byte GRANDPA key');
  assert.equal((await api.rpc.author.hasSessionKeys(keys)).isTrue, true);
  const decoded = await api.call.sessionKeys.decodeSessionKeys(keys);
  const types = decoded.unwrap().map(([, keyType]) => keyType.toUtf8());
  assert.deepEqual(types, ['aura', 'gran']);
});

test('the node stops cleanly on SIGINT', async () => {
  await api.disconnect();
  api = null;
  const result = await node.stop();
  node = null;
  assert.ok(result, 'the node exited');
  assert.equal(result.code, 0);
});
