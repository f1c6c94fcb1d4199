// A user out of funds enters the grace period, loses the contract when it ends, and owes the rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a } from '@polkadot/util';
import { waitForBlock, TFT, GIB, DEMO_NODE, DEMO_FARM } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, alice, ok, refused, free, reserved, twinDeposit, now, contractOf, twinOf, fund } = chain;

test('a user out of funds enters the grace period, loses the contract when it ends, and owes the rest', async () => {
  const { api } = chain;
  const dave = keyring.addFromUri('//Dave'); // the demo node's account
  const user = keyring.addFromUri('//flow/frugal');
  await fund([user], 2n * TFT);

  // Sudo shortens the grace period to 3 blocks.
  const policy = (await api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
  await ok(api.tx.sudo.sudo(api.tx.smartContractModule.setPricingPolicy({ ...policy, gracePeriod: 3 })), alice);

  await ok(api.tx.tfgridModule.createTwin(null, null), user);
  const hash = deploymentHash(stringToU8a('frugal deployment'));
  let events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), user);
  const contractId = eventData(events, api.events.smartContractModule.ContractCreated).contractId.toNumber();
  await ok(api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);
  assert.equal((await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(), 3);

  // 50 seconds or more of traffic at the limit (1 Gbit/s), 6.25 GB, is over 8.7 TFT: more than
  // the user has. Nothing is taken; the debt is kept.
  const userBefore = await free(user.address);
  const billedUntil = (await contractOf(contractId)).unwrap().billedUntil.toNumber();
  const timestamp = Math.max(await now(), billedUntil) + 50;
  const limit = api.consts.smartContractModule.maxTrafficPerSecond.toBigInt();
  const report = { contractId, timestamp, cru: 1, sru: 0, hru: 0, mru: GIB, nru: BigInt(timestamp - billedUntil) * limit };
  events = await ok(api.tx.smartContractModule.addConsumptionReports([report]), dave);
  const grace = eventData(events, api.events.smartContractModule.GracePeriodStarted);
  assert.ok(grace.debt.toBigInt() > 8n * TFT);
  assert.equal(await free(user.address), userBefore);
  const contract = (await contractOf(contractId)).unwrap();
  assert.equal(contract.state.type, 'GracePeriod');
  assert.equal(contract.debt.toBigInt(), grace.debt.toBigInt());
  assert.equal(await refused(api.tx.smartContractModule.settleDebt(contractId), user),
    'smartContractModule.CannotPayDebt');
  // While it owes, the twin gets no other contract.
  const another = deploymentHash(stringToU8a('frugal second deployment'));
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, another, '0x', VM, 0), user),
    'smartContractModule.TwinInDebt');

  // At block `ends` the hook cancels it, out of funds, and frees the IP.
  const ends = grace.ends.toNumber();
  await waitForBlock(api, ends);
  const blockEvents = await api.query.system.events.at(await api.rpc.chain.getBlockHash(ends));
  const canceled = eventData(blockEvents, api.events.smartContractModule.ContractCanceled);
  assert.equal(canceled.contractId.toNumber(), contractId);
  assert.equal(canceled.reason.type, 'OutOfFunds');
  assert.ok(blockEvents.some(({ event }) => api.events.smartContractModule.DebtWrittenOff.is(event)));
  assert.ok((await contractOf(contractId)).isNone);
  assert.equal((await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(), 4, 'the IP is free again');
  assert.equal(await reserved(user.address), twinDeposit());

  // The debt written off follows the twin: no new contract until it is repaid, then one again.
  const twinId = await twinOf(user.address);
  const owed = (await api.query.smartContractModule.writtenOffDebts(twinId, DEMO_FARM)).unwrap().toBigInt();
  assert.ok(owed > 0n);
  await fund([user], owed + 10n * TFT);
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, another, '0x', VM, 0), user),
    'smartContractModule.TwinInDebt');
  events = await ok(api.tx.smartContractModule.repayWrittenOffDebt(DEMO_FARM), user);
  assert.equal(eventData(events, api.events.smartContractModule.WrittenOffDebtRepaid).paid.toBigInt(), owed);
  assert.ok((await api.query.smartContractModule.writtenOffDebts(twinId, DEMO_FARM)).isNone);
  events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, another, '0x', VM, 0), user);
  const again = eventData(events, api.events.smartContractModule.ContractCreated).contractId;
  await ok(api.tx.smartContractModule.cancelContract(again), user);
});
