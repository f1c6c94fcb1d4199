// The whole spec through the Rust client (client/): a farmer and a node operator register with
// the `gridchain` command line, a user creates a contract and sends the deployment to the
// node's agent (`gridchain agent`), which confirms it and reports its consumption; the user sees
// the bills and cancels, and the agent removes the deployment. The agent is killed and started
// again and catches up without billing a window twice or missing one; a tampered deployment and
// one sent by another twin are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useDevChain } from './lib/dev-chain.js';
import { commandLine, agent, scratchDir } from './lib/client.js';
import { sleep } from './lib/process.js';

const chain = useDevChain();
const { cli, cliFails } = commandLine(chain);
const dir = scratchDir('client');
// Ferdie's node's agent.
const ferdie = agent(chain, { suri: '//Ferdie', dir });

const deployment = join(dir, 'web.json');
writeFileSync(deployment, '{"name":"web","image":"nginx:1.27","cpu":2,"memory":"4G"}');
const key = join(dir, 'bob.key');
const vm = ['--cru', '2', '--sru', '100G', '--mru', '4G'];
const state = { farm: 0, node: 0, contract: 0 };

/** The `ContractBilled` events of contract `id` in finalized blocks (what `gridchain` reads), in order. */
async function bills(id) {
  const api = chain.api;
  const best = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  const found = [];
  for (let number = 1; number <= best; number += 1) {
    const at = await api.at(await api.rpc.chain.getBlockHash(number));
    for (const { event } of await at.query.system.events()) {
      if (api.events.smartContractModule.ContractBilled.is(event) && event.data.contractId.toNumber() === id) {
        found.push({ start: event.data.windowStart.toNumber(), end: event.data.windowEnd.toNumber() });
      }
    }
  }
  return found;
}

test('a farmer and a node operator register through the command line', async () => {
  const [farmer, operator] = await Promise.all([
    cli('//Eve', 'twin', 'create'),
    cli('//Ferdie', 'twin', 'create', '--relay', 'relay.grid.example'),
  ]);
  const farm = await cli('//Eve', 'farm', 'create', 'client-farm');
  await cli('//Eve', 'farm', 'add-ip', String(farm.farmId), '185.206.124.10/24', '185.206.124.1');
  await cli('//Eve', 'farm', 'invite', String(farm.farmId), String(operator.twinId));
  const node = await cli('//Ferdie', 'node', 'create', '--farm', String(farm.farmId),
    '--cru', '16', '--sru', '2T', '--mru', '64G');
  Object.assign(state, { farm: farm.farmId, node: node.nodeId });
  assert.ok(farmer.twinId > 0);
  const shown = await cli('//Eve', 'farm', 'show', 'client-farm');
  assert.deepEqual(shown.ips, [{ ip: '185.206.124.10/24', gateway: '185.206.124.1', contractId: null }]);
  const onChain = (await chain.api.query.tfgridModule.nodes(node.nodeId)).unwrap();
  assert.equal(onChain.farmId.toNumber(), farm.farmId);
  assert.equal(onChain.resources.mru.toBigInt(), 64n << 30n);
});

test('the command line says what to do when a step is missing', async () => {
  // Bob has no twin yet.
  const error = await cliFails('//Bob', 'contract', 'create', '--node', String(state.node), '--file', deployment, ...vm);
  assert.match(error, /this account has no twin: run `gridchain twin create`/);
  // A refused call names the pallet's error and its doc line.
  const refused = await cliFails('//Eve', 'farm', 'create', 'client-farm');
  assert.match(refused, /tfgridModule\.FarmNameTaken: /);
});

test('a user creates a contract and the agent confirms the deployment it is sent', async () => {
  await ferdie.start();
  await cli('//Bob', 'key', 'generate', key);
  assert.equal(statSync(key).mode & 0o777, 0o600, 'the secret key is readable by its owner only');
  assert.match(await cliFails('//Bob', 'key', 'generate', key), /never overwritten/);
  await cli('//Bob', 'twin', 'create', '--encryption-key', key);
  const quote = await cli('//Bob', 'quote', ...vm, '--ips', '1');
  assert.equal(BigInt(quote.hourly), (await chain.api.call.smartContractApi.hourlyQuote(
    { cru: 2, sru: 100n << 30n, hru: 0, mru: 4n << 30n }, 1)).unwrap().toBigInt());
  const created = await cli('//Bob', 'contract', 'create', '--node', String(state.node), '--file', deployment,
    '--encryption-key', key, ...vm, '--ips', '1');
  state.contract = created.contractId;
  const sent = await cli('//Bob', 'deployment', 'send', String(state.contract), deployment,
    '--agent', `127.0.0.1:${ferdie.port}`);
  assert.equal(sent.deployed, true);
  const contract = (await chain.contractOf(state.contract)).unwrap();
  assert.ok(contract.state.isDeployed, contract.state.toString());
  assert.equal(readFileSync(join(ferdie.deployment(state.contract), 'deployment'), 'utf8'),
    readFileSync(deployment, 'utf8'));
  // Only Bob's key opens the data on chain.
  const decrypted = await cli('//Bob', 'contract', 'decrypt', String(state.contract), '--encryption-key', key);
  assert.equal(Buffer.from(decrypted.deployment.slice(2), 'hex').toString(), readFileSync(deployment, 'utf8'));
});

test('the agent reports and the user sees the bills', async () => {
  await ferdie.within(20, async () => (await bills(state.contract)).length >= 2, 'two bills');
  const shown = await cli('//Bob', 'contract', 'show', String(state.contract));
  assert.equal(shown.contract.state, 'Deployed');
  assert.ok(shown.bills.length >= 2, JSON.stringify(shown.bills));
  assert.equal(shown.contract.publicIps[0].ip, '185.206.124.10/24');
});

test('a restarted agent catches up without billing a window twice or missing one', async () => {
  await ferdie.process.kill('SIGKILL');
  const killedAt = await chain.now();
  await sleep(20_000);
  // Taken now: a batch the agent sent just before it died may have landed meanwhile.
  const before = await bills(state.contract);
  await ferdie.start();
  await ferdie.within(20, async () => (await bills(state.contract)).length > before.length, 'bill after the restart');
  const all = await bills(state.contract);
  for (let i = 1; i < all.length; i += 1) {
    assert.equal(all[i].start, all[i - 1].end, `window ${i} starts where window ${i - 1} ended`);
    assert.ok(all[i].end > all[i].start);
  }
  // The first window after the restart covers the stop: it starts where the last bill before
  // it ended, at or before the stop, and ends after it. (It ends at a finalized block's time,
  // which may lag the stop by less than the 20 seconds the agent was down.)
  const resumed = all[before.length];
  assert.equal(resumed.start, before[before.length - 1].end);
  assert.ok(resumed.start <= killedAt && resumed.end > killedAt,
    `the catch-up window ${resumed.start}–${resumed.end} covers the stop at ${killedAt}`);
});

test('a tampered deployment and one sent by another twin are refused', async () => {
  const other = join(dir, 'api.json');
  writeFileSync(other, '{"name":"api","image":"caddy:2","cpu":2,"memory":"4G"}');
  const created = await cli('//Bob', 'contract', 'create', '--node', String(state.node), '--file', other, ...vm);
  const tampered = join(dir, 'tampered.json');
  writeFileSync(tampered, '{"name":"api","image":"evil:1","cpu":2,"memory":"4G"}');
  const agent = ['--agent', `127.0.0.1:${ferdie.port}`];
  assert.match(await cliFails('//Bob', 'deployment', 'send', String(created.contractId), tampered, ...agent),
    /refused the deployment: HashMismatch/);
  // Charlie has a twin (the demo farm's), not this contract.
  assert.match(await cliFails('//Charlie', 'deployment', 'send', String(created.contractId), other, ...agent),
    /refused the deployment: TwinMismatch/);
  const contract = (await chain.contractOf(created.contractId)).unwrap();
  assert.ok(contract.state.isCreated, 'nothing was confirmed');
  assert.ok(!existsSync(ferdie.deployment(created.contractId)));
  assert.match(ferdie.log(), new RegExp(`refused the deployment of contract ${created.contractId} .*HashMismatch`));
  await cli('//Bob', 'contract', 'cancel', String(created.contractId));
});

test('the user cancels and the agent removes the deployment', async () => {
  await cli('//Bob', 'contract', 'cancel', String(state.contract));
  const deployed = ferdie.deployment(state.contract);
  await ferdie.within(10, async () => !existsSync(deployed), 'removal of the deployment');
  const shown = await cli('//Bob', 'contract', 'show', String(state.contract));
  assert.equal(shown.contract, null);
  assert.equal(shown.ended.reason, 'CanceledByOwner');
  await ferdie.process.kill();
});
