// A contract on the dev chain's demo node, from a client: create with a public IP, check it
// the way a node does through the runtime API, confirm, cancel; refused input comes back as the
// pallet's named errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { startDevNode, connect, sendAndFinalize, expectOk, expectRefused } from './lib/node.js';

const ok = (tx, signer) => expectOk(api, tx, signer);
const refused = (tx, signer) => expectRefused(api, tx, signer);

const DEMO_NODE = 1;
const DEMO_FARM = 1;
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

test('a user creates a contract, the node checks and confirms it, the user cancels it', async () => {
  const bob = keyring.addFromUri('//Bob');
  const dave = keyring.addFromUri('//Dave');

  let events = await ok(api.tx.tfgridModule.createTwin(null, u8aToHex(bob.publicKey)), bob);
  const twinId = events.find(({ event }) => api.events.tfgridModule.TwinCreated.is(event)).event.data.twinId.toNumber();

  // The deployment hash: BLAKE2b-256 of the deployment's challenge bytes.
  const hash = blake2AsU8a(stringToU8a('{"name":"web","image":"nginx"}'), 256);
  const data = u8aToHex(new Uint8Array(48).fill(7));
  events = await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, u8aToHex(hash), data, 1), bob);
  const created = events.find(({ event }) => api.events.smartContractModule.ContractCreated.is(event)).event.data;
  const contractId = created.contractId.toNumber();
  assert.equal(created.twinId.toNumber(), twinId);
  assert.equal(created.publicIps.length, 1);
  const deposit = created.deposit.toBigInt();
  assert.ok(deposit > 0n);
  assert.equal((await api.query.system.account(bob.address)).data.reserved.toBigInt(), deposit);
  let counts = await api.query.tfgridModule.farmIpCounts(DEMO_FARM);
  assert.equal(counts.free.toNumber(), 3);

  // What the node does: read the contract and check twin and hash through the runtime API.
  const contract = (await api.call.smartContractApi.contract(contractId)).unwrap();
  assert.equal(contract.nodeId.toNumber(), DEMO_NODE);
  assert.equal(contract.deploymentHash.toHex(), u8aToHex(hash));
  assert.equal(contract.state.type, 'Created');
  let check = await api.call.smartContractApi.checkDeployment(DEMO_NODE, contractId, twinId, hash);
  assert.ok(check.isOk, 'twin and hash match');
  check = await api.call.smartContractApi.checkDeployment(DEMO_NODE, contractId, twinId, blake2AsU8a(stringToU8a('other'), 256));
  assert.equal(check.asErr.type, 'HashMismatch');
  check = await api.call.smartContractApi.checkDeployment(DEMO_NODE, contractId, twinId + 1, hash);
  assert.equal(check.asErr.type, 'TwinMismatch');
  const listed = await api.call.smartContractApi.nodeContracts(DEMO_NODE, null, 10);
  assert.deepEqual(listed.map(([id]) => id.toNumber()), [contractId]);

  // Refused: a wrong hash, another account confirming, a stranger cancelling.
  assert.equal(await refused(api.tx.smartContractModule.confirmDeployment(contractId, blake2AsU8a(stringToU8a('x'), 256)), dave),
    'smartContractModule.DeploymentHashMismatch');
  assert.equal(await refused(api.tx.smartContractModule.confirmDeployment(contractId, hash), bob),
    'smartContractModule.NotContractNode');
  assert.equal(await refused(api.tx.smartContractModule.cancelContract(contractId), keyring.addFromUri('//Ferdie')),
    'smartContractModule.NotContractOwnerOrNode');

  await ok(api.tx.smartContractModule.confirmDeployment(contractId, hash), dave);
  assert.equal((await api.call.smartContractApi.contract(contractId)).unwrap().state.type, 'Deployed');

  events = await ok(api.tx.smartContractModule.cancelContract(contractId), bob);
  const canceled = events.find(({ event }) => api.events.smartContractModule.ContractCanceled.is(event)).event.data;
  assert.equal(canceled.reason.type, 'CanceledByOwner');
  assert.ok((await api.call.smartContractApi.contract(contractId)).isNone);
  counts = await api.query.tfgridModule.farmIpCounts(DEMO_FARM);
  assert.equal(counts.free.toNumber(), 4, 'the IP is free again');
  assert.equal((await api.query.system.account(bob.address)).data.reserved.toBigInt(), 0n, 'the deposit is back');
});

test('asking for more IPs than the farm has, or than are free, is refused by name', async () => {
  const eve = keyring.addFromUri('//Eve');
  await ok(api.tx.tfgridModule.createTwin(null, null), eve);
  const hash = (s) => blake2AsU8a(stringToU8a(s), 256);
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('a'), '0x', 5), eve),
    'smartContractModule.NotEnoughIpsOnFarm');
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('a'), '0x', 4294967295), eve),
    'smartContractModule.TooManyPublicIps');
  await ok(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('b'), '0x', 3), eve);
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('c'), '0x', 2), eve),
    'smartContractModule.NotEnoughFreeIpsOnFarm');
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash('b'), '0x', 0), eve),
    'smartContractModule.DuplicateDeploymentHash');
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(99, hash('d'), '0x', 0), eve),
    'smartContractModule.NodeNotFound');
  // The node cannot leave while it runs a contract.
  assert.equal(await refused(api.tx.tfgridModule.deleteNode(DEMO_NODE), keyring.addFromUri('//Dave')),
    'tfgridModule.NodeInUse');
});
