// A node cannot bill beyond a contract's reservation nor use block space for free, and an owner
// cannot overbook a node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a } from '@polkadot/util';
import { nextReportTime, TFT, DEMO_NODE } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, ok, refused, free, feeOf, fund } = chain;

test('a node cannot bill beyond the reservation or for free; an owner cannot overbook a node', async () => {
  const { api } = chain;
  const dave = keyring.addFromUri('//Dave'); // the demo node's account
  const user = keyring.addFromUri('//flow/bounded');
  await fund([user], 100n * TFT);
  await ok(api.tx.tfgridModule.createTwin(null, null), user);
  const hash = deploymentHash(stringToU8a('bounded deployment'));
  const reports = (list) => api.tx.smartContractModule.addConsumptionReports(list);
  const rejections = (events) => events
    .filter(({ event }) => api.events.smartContractModule.ConsumptionReportRejected.is(event))
    .map(({ event }) => event.data.reason.type);

  // A reservation beyond the node's capacity is refused; the node cannot shrink below what its
  // contracts reserve.
  const capacity = (await api.query.tfgridModule.nodes(DEMO_NODE)).unwrap().resources;
  const tooBig = { ...VM, cru: capacity.cru.toNumber() + 1 };
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', tooBig, 0), user),
    'smartContractModule.NodeCapacityExceeded');
  let events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 0), user);
  const contractId = eventData(events, api.events.smartContractModule.ContractCreated).contractId.toNumber();
  const reserved = (await api.query.smartContractModule.nodeReserved(DEMO_NODE)).unwrap();
  assert.ok(reserved.cru.toNumber() >= VM.cru);
  const shrunk = { cru: reserved.cru.toNumber() - 1, sru: capacity.sru, hru: capacity.hru, mru: capacity.mru };
  assert.equal(await refused(api.tx.tfgridModule.updateNode(DEMO_NODE, shrunk), dave),
    'tfgridModule.CapacityBelowReserved');
  await ok(api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);

  // More than the contract reserves, or 2^64-1 bytes of traffic: refused, nothing charged, and
  // the node pays the fee.
  const userBefore = await free(user.address);
  const timestamp = await nextReportTime(api, contractId);
  events = await ok(reports([
    { contractId, timestamp, ...VM, cru: VM.cru + 1, nru: 0 },
    { contractId, timestamp, ...VM, nru: (1n << 64n) - 1n },
  ]), dave);
  assert.deepEqual(rejections(events), ['AboveReservation', 'TrafficAboveLimit']);
  assert.ok(feeOf(events) > 0n);
  assert.equal(await free(user.address), userBefore);

  // An empty batch is refused by name (and paid for).
  assert.equal(await refused(reports([]), dave), 'smartContractModule.NoReports');

  // A report for a contract that has ended says so.
  await ok(api.tx.smartContractModule.cancelContract(contractId), user);
  events = await ok(reports([{ contractId, timestamp: timestamp + 1, ...VM, nru: 0 }]), dave);
  assert.deepEqual(rejections(events), ['ContractEnded']);
});
