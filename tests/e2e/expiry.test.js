// A contract its node never confirms pays for its IP and expires.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a } from '@polkadot/util';
import { waitForBlock, TFT, DEMO_NODE, DEMO_FARM } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, alice, ok, reserved, twinDeposit, contractOf, fund } = chain;

test('a contract its node never confirms pays for its IP and expires, freeing it', async () => {
  const { api } = chain;
  const user = keyring.addFromUri('//flow/squatter');
  await fund([user], 100n * TFT);
  await ok(api.tx.tfgridModule.createTwin(null, null), user);
  // Sudo gives nodes 3 blocks to confirm a new contract.
  const policy = (await api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
  await ok(api.tx.sudo.sudo(api.tx.smartContractModule.setPricingPolicy({ ...policy, deploymentTimeout: 3 })), alice);

  const freeIps = async () => (await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber();
  const ipsBefore = await freeIps();
  const hash = deploymentHash(stringToU8a('never confirmed'));
  const events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), user);
  const created = eventData(events, api.events.smartContractModule.ContractCreated);
  const contractId = created.contractId.toNumber();
  const createdAt = (await contractOf(contractId)).unwrap().billedUntil.toNumber();
  assert.equal(await freeIps(), ipsBefore - 1);
  assert.equal(await reserved(user.address), twinDeposit() + created.deposit.toBigInt());

  // At block `expires` the hook ends it: the IP's time is billed and paid, the IP is free and
  // the deposit released.
  await waitForBlock(api, created.expires.toNumber());
  const blockEvents = await api.query.system.events.at(await api.rpc.chain.getBlockHash(created.expires.toNumber()));
  const canceled = eventData(blockEvents, api.events.smartContractModule.ContractCanceled);
  assert.equal(canceled.contractId.toNumber(), contractId);
  assert.equal(canceled.reason.type, 'Expired');
  const billed = eventData(blockEvents, api.events.smartContractModule.ContractBilled);
  assert.equal(billed.windowStart.toNumber(), createdAt);
  assert.ok(billed.amount.toBigInt() > 0n);
  assert.equal(eventData(blockEvents, api.events.smartContractModule.DebtPaid).paid.toBigInt(), billed.amount.toBigInt());
  assert.ok((await contractOf(contractId)).isNone);
  assert.equal(await freeIps(), ipsBefore);
  assert.equal(await reserved(user.address), twinDeposit());
  await ok(api.tx.sudo.sudo(api.tx.smartContractModule.setPricingPolicy(policy)), alice);
});
