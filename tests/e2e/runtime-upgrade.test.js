// Runtime upgrade: on a running --dev chain with a live, billed contract holding a public IP,
// sudo sets the next runtime (`spec_version` one higher, built beside the node's by
// runtime/build.rs) with `system.setCode`. Wrong upgrades are refused by name first. Afterwards
// the grid's storage is byte for byte what it was, balances are unchanged, and the contract is
// billed and cancelled under the new runtime.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { xxhashAsHex } from '@polkadot/util-crypto';
import { connect, nextReportTime, DEMO_NODE, DEMO_FARM, devKeyring } from './lib/chain.js';
import { startDevNode, nextRuntime, sleep } from './lib/process.js';
import { submit, expectOk, expectRefused, eventData, errorName } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';

const CODE_KEY = u8aToHex(stringToU8a(':code'));

let node;
let api;
let alice;
let bob;
let dave;

before(async () => {
  node = await startDevNode();
  api = await connect(node.rpcUrl);
  const keyring = devKeyring();
  alice = keyring.addFromUri('//Alice'); // the dev chain's sudo key
  bob = keyring.addFromUri('//Bob');
  dave = keyring.addFromUri('//Dave'); // runs the demo node
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

/** Every raw key and value under `prefix` at block `at`. */
async function rawStorage(prefix, at) {
  const pairs = {};
  let start;
  for (;;) {
    const keys = await api.rpc.state.getKeysPaged(prefix, 500, start, at);
    for (const key of keys) pairs[key.toHex()] = (await api.rpc.state.getStorage(key, at)).toHex();
    if (keys.length < 500) return pairs;
    start = keys[keys.length - 1];
  }
}

/**
 * The state an upgrade must keep, at block `at`: the grid registry's and the contracts'
 * storage, raw (but the deadline hook's cursor); every account's balances; total issuance.
 */
async function snapshot(at) {
  const state = await api.at(at);
  const balances = {};
  for (const [key, account] of await state.query.system.account.entries()) {
    balances[key.args[0].toString()] = account.data.toJSON();
  }
  const contracts = await rawStorage(xxhashAsHex('SmartContractModule', 128), at);
  // The block the deadline hook looks at next: it moves with every block, by design.
  delete contracts[api.query.smartContractModule.deadlineCursor.key()];
  return {
    registry: await rawStorage(xxhashAsHex('TfgridModule', 128), at),
    contracts,
    balances,
    issuance: (await state.query.balances.totalIssuance()).toBigInt(),
  };
}

/** Sends `call` through sudo from `signer`; resolves with the call's own error, or null. */
async function sudoError(call, signer) {
  const events = await expectOk(api, api.tx.sudo.sudo(call), signer);
  const { sudoResult } = eventData(events, api.events.sudo.Sudid);
  return sudoResult.isErr ? errorName(api, sudoResult.asErr) : null;
}

/** Resolves with the header of the first new block executed by the runtime with `specVersion`. */
function firstBlockOf(specVersion) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    api.rpc.chain.subscribeNewHeads(async (header) => {
      // A block runs the code its parent's state holds.
      const version = await api.rpc.state.getRuntimeVersion(header.parentHash);
      if (version.specVersion.toNumber() === specVersion) {
        unsubscribe();
        resolve(header);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/** Waits until the client has switched to the runtime with `specVersion` (and its metadata). */
async function clientFollows(specVersion, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (api.runtimeVersion.specVersion.toNumber() !== specVersion) {
    if (Date.now() > deadline) throw new Error(`the client did not switch to spec_version ${specVersion}`);
    await sleep(200);
  }
}

/** A report for `contractId`, as soon after it was last billed as the chain allows. */
async function reportFor(contractId) {
  return { contractId, timestamp: await nextReportTime(api, contractId), ...VM, nru: 0 };
}

test('sudo upgrades a live chain to the next runtime; contracts, IPs and balances are intact and billing goes on', async () => {
  const next = u8aToHex(nextRuntime());
  const current = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();

  // A live contract with a public IP, confirmed and billed once.
  await expectOk(api, api.tx.tfgridModule.createTwin(null, null), bob);
  const hash = deploymentHash(stringToU8a('lives through an upgrade'));
  let events = await expectOk(api, api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), bob);
  const contractId = eventData(events, api.events.smartContractModule.ContractCreated).contractId.toNumber();
  await expectOk(api, api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);
  events = await expectOk(api, api.tx.smartContractModule.addConsumptionReports([await reportFor(contractId)]), dave);
  assert.ok(eventData(events, api.events.smartContractModule.ContractBilled).paid.toBigInt() > 0n);

  // Wrong upgrades are refused by name and change nothing.
  assert.equal(await expectRefused(api, api.tx.sudo.sudo(api.tx.system.setCode(next)), bob), 'sudo.RequireSudo');
  assert.equal(await expectRefused(api, api.tx.system.setCode(next), bob), 'BadOrigin');
  const own = (await api.rpc.state.getStorage(CODE_KEY)).unwrap().toHex();
  assert.equal(await sudoError(api.tx.system.setCode(own), alice), 'system.SpecVersionNeedsToIncrease');
  assert.equal(await sudoError(api.tx.system.setCode('0x00'), alice), 'system.FailedToExtractRuntimeVersion');
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), current);

  // The upgrade. The new code runs from the next block on.
  const before = await snapshot(await api.rpc.chain.getBlockHash());
  const upgraded = firstBlockOf(current + 1);
  const { blockHash: upgradeBlock } = await submit(api, api.tx.sudo.sudo(api.tx.system.setCode(next)), alice);
  const firstNew = await upgraded;

  // A client that connects now gets the new runtime with its runtime APIs. The upgrade block's
  // events are read through it, not through `api`: on an upgrade, @polkadot/api 16.5 reloads
  // the metadata with `state_getMetadata` (version 14, no runtime APIs) into the registry it
  // had filled from `Metadata_metadata_at_version` (version 16). Type ids differ between the
  // two (`System.Events` is type 80 in one, 19 in the other), so what it decodes during the
  // swap, like this block's events, can fail.
  const fresh = await connect(node.rpcUrl);
  try {
    const events = await (await fresh.at(upgradeBlock)).query.system.events();
    const { sudoResult } = eventData(events, fresh.events.sudo.Sudid);
    assert.equal(sudoResult.isErr ? errorName(fresh, sudoResult.asErr) : null, null, 'the upgrade is accepted');
    eventData(events, fresh.events.system.CodeUpdated);
    assert.equal(fresh.runtimeVersion.specVersion.toNumber(), current + 1);
    assert.ok((await fresh.call.smartContractApi.contract(contractId)).isSome);
  } finally {
    await fresh.disconnect();
  }
  const lastUpgrade = (await (await api.at(firstNew.hash)).query.system.lastRuntimeUpgrade()).unwrap();
  assert.equal(lastUpgrade.specVersion.toNumber(), current + 1, 'the new runtime ran its upgrade hooks');

  // Everything the grid and its users own is as it was before the upgrade (only the sudo key
  // paid: its nonce, not its balance, changed, as sudo calls are free).
  assert.deepEqual(await snapshot(firstNew.hash), before, 'storage, balances and issuance are intact');

  // Calls made with the new metadata work: the node's report is billed, the user cancels and
  // gets the IP back.
  await clientFollows(current + 1);
  const freeBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
  events = await expectOk(api, api.tx.smartContractModule.addConsumptionReports([await reportFor(contractId)]), dave);
  const paid = eventData(events, api.events.smartContractModule.ContractBilled).paid.toBigInt();
  assert.ok(paid > 0n, 'billing goes on');
  assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt(), freeBefore - paid);
  const freeIps = (await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber();
  await expectOk(api, api.tx.smartContractModule.cancelContract(contractId), bob);
  assert.equal((await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(), freeIps + 1);
});
