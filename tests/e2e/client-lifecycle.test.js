// The Rust client (client/) through a contract's whole life and the chain's: the node's agent
// pauses a deployment whose owner runs out of funds and resumes it once the debt is paid; it
// reconnects after a runtime upgrade and goes on reporting; and the council governs prices and
// validators with `gridchain council` (a pricing policy keeps what a motion does not change).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { TFT, connect, waitForFinalized } from './lib/chain.js';
import { useDevChain } from './lib/dev-chain.js';
import { commandLine, agent, scratchDir } from './lib/client.js';
import { nextRuntime } from './lib/process.js';
import { submit } from './lib/tx.js';

const chain = useDevChain();
const { cli, cliFails } = commandLine(chain);
const dir = scratchDir('lifecycle');
// The demo node's agent: Dave runs the dev chain's demo node.
const dave = agent(chain, { suri: '//Dave', dir });
const user = '//lifecycle/frugal';
const state = { contract: 0 };

/** Adds `bytes` of traffic to the usage the agent reads for contract `id`. */
function addTraffic(id, bytes) {
  const file = join(dave.deployment(id), 'usage.json');
  const usage = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...usage, traffic: usage.traffic + bytes }));
}

test('the agent pauses a deployment while its owner is in a grace period and resumes it once the debt is paid', async () => {
  const frugal = chain.keyring.addFromUri(user);
  await chain.fund([frugal], 2n * TFT);
  await dave.start();
  await cli(user, 'twin', 'create');
  const file = join(dir, 'site.json');
  writeFileSync(file, '{"name":"site","image":"nginx:1.27"}');
  const created = await cli(user, 'contract', 'create', '--node', '1', '--file', file, '--cru', '1', '--mru', '1G');
  state.contract = created.contractId;
  const sent = await cli(user, 'deployment', 'send', String(state.contract), file, '--agent', `127.0.0.1:${dave.port}`);
  assert.equal(sent.deployed, true);

  // 3 GiB of traffic, at most 750 MB a window, costs about 4 TFT: more than the user has.
  const paused = join(dave.deployment(state.contract), 'paused');
  addTraffic(state.contract, 3 * 2 ** 30);
  await dave.within(20, async () => existsSync(paused), 'pause');
  assert.ok((await chain.contractOf(state.contract)).unwrap().state.isGracePeriod);
  assert.match(dave.log(), new RegExp(`contract ${state.contract}: paused: its owner is in a grace period`));
  const shown = (await cli(user, 'contract', 'show', String(state.contract))).contract;
  assert.equal(shown.state, 'GracePeriod');
  assert.ok(shown.stateDetails.ends > shown.stateDetails.since);
  assert.ok(BigInt(shown.debt) > 0n);

  // Funded, the user's debt is paid by the next report; the agent runs the deployment again.
  await chain.fund([frugal], 50n * TFT);
  await dave.within(20, async () => !existsSync(paused), 'resumption');
  assert.ok((await chain.contractOf(state.contract)).unwrap().state.isDeployed);
  assert.match(dave.log(), new RegExp(`contract ${state.contract}: resumed: its debt is paid`));
});

test('the agent reconnects after a runtime upgrade and goes on reporting', async () => {
  const { api } = chain;
  const specBefore = api.runtimeVersion.specVersion.toNumber();
  const { dispatchError } = await submit(api, api.tx.sudo.sudo(api.tx.system.setCode(u8aToHex(nextRuntime()))),
    chain.alice);
  assert.equal(dispatchError, null);
  await dave.within(10, async () => /the runtime was upgraded in block #\d+: connecting again/.test(dave.log()),
    'reconnection');
  // A fresh connection, decorated with the new runtime's metadata.
  const fresh = await connect(chain.node.rpcUrl);
  try {
    assert.equal(fresh.runtimeVersion.specVersion.toNumber(), specBefore + 1);
    const reconnected = dave.log().lastIndexOf('connecting again');
    const billedAt = (await fresh.call.smartContractApi.contract(state.contract)).unwrap().billedUntil.toNumber();
    await dave.within(20, async () =>
      (await fresh.call.smartContractApi.contract(state.contract)).unwrap().billedUntil.toNumber() > billedAt,
    'report under the new runtime');
    assert.ok(dave.log().slice(reconnected).includes(`connected to ${chain.node.rpcUrl}`));
  } finally {
    await fresh.disconnect();
  }
  await cli(user, 'contract', 'cancel', String(state.contract));
  await dave.within(10, async () => !existsSync(dave.deployment(state.contract)), 'removal of the deployment');
  await dave.process.kill();
});

/** Members' votes on motion `index`, side by side, each waiting only for its block. */
const votes = (index, ...ballots) => Promise.all(ballots.map(([suri, vote]) =>
  cli(suri, '--wait', 'in-block', 'council', 'vote', String(index), vote)));

test('the council sets the TFT price by a motion of the command line; a stranger cannot vote', async () => {
  // The dev chain's council: Alice, Bob and Charlie. The price needs more than half: two ayes.
  const { index } = await cli('//Alice', 'council', 'propose', 'tft-price', '0.06');
  const [refused] = await Promise.all([
    cliFails('//Dave', 'council', 'vote', String(index), 'aye'),
    votes(index, ['//Alice', 'aye'], ['//Bob', 'aye']),
  ]);
  assert.match(refused, /council\.NotMember: /);
  await waitForFinalized(chain.api, (await chain.api.rpc.chain.getHeader()).number.toNumber());
  const motion = (await cli('//Dave', 'council', 'show')).motions.find((m) => m.index === index);
  assert.equal(motion.call, 'smartContractModule.setTftPrice');
  assert.equal(motion.threshold, 2);
  assert.equal(motion.ayes.length, 2);
  // Anyone closes it; its call is made.
  const closed = await cli('//Dave', '--wait', 'in-block', 'council', 'close', String(index));
  assert.equal(closed.outcome, 'executed');
  assert.equal((await chain.api.query.smartContractModule.currentPrices()).tftPrice.toNumber(), 60_000);
});

test('a motion whose call fails says why, with the call\'s own error; one voted down fails', async () => {
  // Ferdie has registered no session keys: adding him passes the vote and fails in the call.
  const ferdie = chain.keyring.addFromUri('//Ferdie').address;
  const [keys, down] = await Promise.all([
    cli('//Alice', 'council', 'propose', 'add-validator', ferdie),
    cli('//Bob', 'council', 'propose', 'tft-price', '1'),
  ]);
  await votes(keys.index, ['//Alice', 'aye'], ['//Charlie', 'aye']);
  await votes(down.index, ['//Alice', 'nay'], ['//Charlie', 'nay']);
  const [failed, closed] = await Promise.all([
    cliFails('//Bob', '--wait', 'in-block', 'council', 'close', String(keys.index)),
    cli('//Dave', '--wait', 'in-block', 'council', 'close', String(down.index)),
  ]);
  assert.match(failed, /validatorSet\.KeysNotSet: /);
  assert.equal(closed.outcome, 'disapproved');
  assert.equal((await chain.api.query.smartContractModule.currentPrices()).tftPrice.toNumber(), 60_000);
});

test('a pricing-policy motion changes the fields it gives and keeps the others as they were', async () => {
  const policy = async () => (await chain.api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
  const before = await policy();
  const { index } = await cli('//Charlie', 'council', 'propose', 'pricing-policy',
    '--cu', '0.03', '--farmer-share', '62.5', '--grace-period', String(before.gracePeriod + 100));
  await votes(index, ['//Charlie', 'aye'], ['//Bob', 'aye']);
  const closed = await cli('//Dave', '--wait', 'in-block', 'council', 'close', String(index));
  assert.equal(closed.outcome, 'executed');
  assert.deepEqual(await policy(), {
    ...before,
    cu: 30_000,
    farmerShare: 625_000_000,
    gracePeriod: before.gracePeriod + 100,
  });
});
