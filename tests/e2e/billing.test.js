// Billing from a client: the demo node reports a contract's consumption; the user pays exactly
// the billed amount, the farmer and the foundation receive their shares, the rest is burned.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a, u8aConcat } from '@polkadot/util';
import { startDevNode, connect, sendAndFinalize, expectOk } from './lib/node.js';

const ok = (tx, signer) => expectOk(api, tx, signer);

const DEMO_NODE = 1;
const GIB = 1n << 30n;
let node;
let api;
let keyring;

before(async () => {
  node = await startDevNode();
  api = await connect(node.rpcUrl);
  keyring = new Keyring({ type: 'sr25519', ss58Format: 7171 });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const free = async (address) => (await api.query.system.account(address)).data.free.toBigInt();

test('a report bills the user and pays the farmer, the foundation and the burn', async () => {
  const ferdie = keyring.addFromUri('//Ferdie');
  const dave = keyring.addFromUri('//Dave');
  const charlie = keyring.addFromUri('//Charlie');
  // The foundation's account: "modl" + "gridfndn", padded with zeros (a PalletId account).
  const foundation = keyring.encodeAddress(u8aConcat(stringToU8a('modlgridfndn'), new Uint8Array(20)));

  await ok(api.tx.tfgridModule.createTwin(null, null), ferdie);
  const hash = blake2AsU8a(stringToU8a('billed deployment'), 256);
  let events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, u8aToHex(hash), '0x', 1), ferdie);
  const contractId = events.find(({ event }) => api.events.smartContractModule.ContractCreated.is(event))
    .event.data.contractId.toNumber();
  await ok(api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);
  const billedFrom = (await api.call.smartContractApi.contract(contractId)).unwrap().billedUntil.unwrap().toNumber();

  const vm = { cru: 2, sru: 100n * GIB, hru: 0, mru: 4n * GIB };
  const hourly = (await api.call.smartContractApi.hourlyQuote(vm, 1)).unwrap().toBigInt();
  assert.equal(hourly, 36_250_000n, 'an hour of the VM with an IP is 3.625 TFT');

  const before = {
    user: await free(ferdie.address),
    farmer: await free(charlie.address),
    foundation: await free(foundation),
    issuance: (await api.query.balances.totalIssuance()).toBigInt(),
  };
  const now = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
  const report = { contractId, timestamp: Math.max(now, billedFrom + 1), ...vm, nru: GIB };
  const { events: billedEvents, dispatchError } = await sendAndFinalize(
    api, api.tx.smartContractModule.addConsumptionReports([report]), dave);
  assert.equal(dispatchError, null);
  const billed = billedEvents.find(({ event }) => api.events.smartContractModule.ContractBilled.is(event)).event.data;
  assert.equal(billed.windowStart.toNumber(), billedFrom);
  assert.equal(billed.windowEnd.toNumber(), report.timestamp);
  const paid = billed.paid.toBigInt();
  assert.ok(paid > 0n);
  assert.equal(paid, billed.amount.toBigInt());
  assert.equal(billed.farmer.toBigInt() + billed.foundation.toBigInt() + billed.burned.toBigInt(), paid);
  // A node whose reports are all accepted pays no fee.
  assert.ok(!billedEvents.some(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event)
    && event.data.actualFee.toBigInt() > 0n));

  assert.equal(before.user - await free(ferdie.address), paid);
  assert.equal(await free(charlie.address) - before.farmer, billed.farmer.toBigInt());
  assert.equal(await free(foundation) - before.foundation, billed.foundation.toBigInt());
  assert.equal(before.issuance - (await api.query.balances.totalIssuance()).toBigInt(), billed.burned.toBigInt());

  // A replay of the same report is refused and charges nothing.
  const afterFirst = await free(ferdie.address);
  const replay = await sendAndFinalize(api, api.tx.smartContractModule.addConsumptionReports([report]), dave);
  const rejected = replay.events.find(({ event }) => api.events.smartContractModule.ConsumptionReportRejected.is(event));
  assert.equal(rejected.event.data.reason.type, 'NotAfterPreviousReport');
  assert.equal(await free(ferdie.address), afterFirst);
});
