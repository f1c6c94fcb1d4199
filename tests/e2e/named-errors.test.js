// Refused input comes back as the pallets' named errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringToU8a } from '@polkadot/util';
import { DEMO_NODE } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, ok, refused } = chain;

test('the rest of the refused input comes back by name too', async () => {
  const { api } = chain;
  const eve = keyring.addFromUri('//Eve');
  const dave = keyring.addFromUri('//Dave');
  const hash = (text) => deploymentHash(stringToU8a(text));
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('a'), '0x', VM, 0), eve),
    'smartContractModule.TwinNotFound');
  await ok(api.tx.tfgridModule.createTwin(null, null), eve);
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('a'), '0x', VM, 4294967295), eve),
    'smartContractModule.TooManyPublicIps');
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(99, hash('a'), '0x', VM, 0), eve),
    'smartContractModule.NodeNotFound');
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, new Uint8Array(32), '0x', VM, 0), eve),
    'smartContractModule.InvalidDeploymentHash');
  const events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('b'), '0x', VM, 0), eve);
  const contractId = eventData(events, api.events.smartContractModule.ContractCreated).contractId.toNumber();
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('b'), '0x', VM, 0), eve),
    'smartContractModule.DuplicateDeploymentHash');
  assert.equal(await refused(api.tx.smartContractModule.updateNodeContract(contractId, hash('c'), '0x', VM), dave),
    'smartContractModule.NotContractOwner');
  assert.equal(await refused(api.tx.smartContractModule.settleDebt(contractId), eve), 'smartContractModule.NoDebt');
  assert.equal(await refused(api.tx.smartContractModule.setTftPrice(20_000), eve), 'BadOrigin');
  // The node cannot leave while it runs a contract.
  assert.equal(await refused(api.tx.tfgridModule.deleteNode(DEMO_NODE), dave), 'tfgridModule.NodeInUse');
});
