// Crash and restart: a --dev node is killed with SIGKILL in the middle of producing blocks and
// started again on the same base path. It resumes from its last finalized block with contracts
// and balances intact, and goes on producing, finalizing and billing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToU8a } from '@polkadot/util';
import { connect, waitForBlock, waitForFinalized, nextReportTime, DEMO_NODE, DEMO_FARM, devKeyring } from './lib/chain.js';
import { startDevNode, sleep } from './lib/process.js';
import { expectOk, eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';

const basePath = mkdtempSync(join(tmpdir(), 'gridchain-crash-'));
let node;
let api;

after(async () => {
  await api?.disconnect();
  await node?.stop();
  rmSync(basePath, { recursive: true, force: true });
});

/** What must survive the crash. */
async function snapshot(api, contractId, address) {
  const account = await api.query.system.account(address);
  return {
    contract: (await api.call.smartContractApi.contract(contractId)).toJSON(),
    free: account.data.free.toBigInt(),
    reserved: account.data.reserved.toBigInt(),
    issuance: (await api.query.balances.totalIssuance()).toBigInt(),
    freeIps: (await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(),
  };
}

test('a node killed with SIGKILL resumes from its last finalized block with its state intact', async () => {
  node = await startDevNode([], { basePath });
  api = await connect(node.rpcUrl);
  const keyring = devKeyring();
  const bob = keyring.addFromUri('//Bob');
  const dave = keyring.addFromUri('//Dave');

  await expectOk(api, api.tx.tfgridModule.createTwin(null, null), bob);
  const hash = deploymentHash(stringToU8a('survives a crash'));
  const events = await expectOk(api, api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), bob);
  const contractId = eventData(events, api.events.smartContractModule.ContractCreated).contractId.toNumber();
  await expectOk(api, api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitForFinalized(api, best);
  const before = await snapshot(api, contractId, bob.address);
  assert.equal(before.contract.state.deployed, null, 'the contract is deployed');

  // Kill it halfway through a slot: a block was just imported and the next is being made.
  await waitForBlock(api, (await api.rpc.chain.getHeader()).number.toNumber() + 1);
  await sleep(3_000);
  const finalizedBefore = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  await api.disconnect();
  const exit = await node.kill('SIGKILL');
  assert.equal(exit.signal, 'SIGKILL');

  node = await startDevNode([], { basePath });
  api = await connect(node.rpcUrl);
  const resumedFinalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  assert.ok(resumedFinalized >= finalizedBefore,
    `resumes at or after finalized block ${finalizedBefore} (at ${resumedFinalized})`);
  assert.deepEqual(await snapshot(api, contractId, bob.address), before, 'contracts and balances are intact');

  // It goes on: new blocks are finalized and the node's report is billed.
  await waitForFinalized(api, resumedFinalized + 2);
  const timestamp = await nextReportTime(api, contractId);
  const report = { contractId, timestamp, cru: 1, sru: 0, hru: 0, mru: 1n << 30n, nru: 0 };
  const billed = await expectOk(api, api.tx.smartContractModule.addConsumptionReports([report]), dave);
  const paid = eventData(billed, api.events.smartContractModule.ContractBilled).paid.toBigInt();
  assert.ok(paid > 0n);
  assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt(), before.free - paid);
});
