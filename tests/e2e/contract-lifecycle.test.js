// The whole life of a contract from a client, on a fresh --dev chain, with no custom types: a
// farmer, a node operator and a user register; the user deploys (encrypted data, one public IP);
// the node checks, confirms and reports; the chain bills and shares the money; the user cancels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex, u8aToU8a, stringToU8a } from '@polkadot/util';
import { TFT, GIB, TIB, DEMO_NODE } from './lib/chain.js';
import { submit, eventData } from './lib/tx.js';
import { deploymentHash, encryptionKeyPair, sealTo, openWith, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, ok, refused, free, reserved, issuance, twinDeposit, now, feeOf, contractOf, twinOf, foundation, fund } = chain;

test('farmer, node and user: an encrypted deployment with a public IP, billed and cancelled', async () => {
  const { api } = chain;
  const farmer = keyring.addFromUri('//flow/farmer');
  const operator = keyring.addFromUri('//flow/operator');
  const user = keyring.addFromUri('//flow/user');
  const stranger = keyring.addFromUri('//flow/stranger');
  const dave = keyring.addFromUri('//Dave'); // runs the demo node, not this one
  await fund([farmer, operator, user, stranger], 100n * TFT);

  // The farmer: a twin, a farm and one public IP.
  await ok(api.tx.tfgridModule.createTwin(null, null), farmer);
  let events = await ok(api.tx.tfgridModule.createFarm('flow-farm'), farmer);
  const farmId = eventData(events, api.events.tfgridModule.FarmCreated).farmId.toNumber();
  await ok(api.tx.tfgridModule.addFarmIp(farmId, '185.206.123.10/24', '185.206.123.1'), farmer);

  // The node's account: a twin, then the node, on the farmer's invitation.
  await ok(api.tx.tfgridModule.createTwin(null, null), operator);
  await ok(api.tx.tfgridModule.inviteNode(farmId, await twinOf(operator.address)), farmer);
  events = await ok(api.tx.tfgridModule.createNode(farmId, { cru: 8, sru: TIB, hru: 0, mru: 32n * GIB }), operator);
  const nodeId = eventData(events, api.events.tfgridModule.NodeCreated).nodeId.toNumber();

  // The user: a twin with an X25519 public key, then the contract, its data encrypted to it.
  const keys = encryptionKeyPair();
  await ok(api.tx.tfgridModule.createTwin(null, u8aToHex(keys.publicKey)), user);
  const twinId = await twinOf(user.address);
  const twin = (await api.query.tfgridModule.twins(twinId)).unwrap();
  assert.equal(twin.pk.unwrap().toHex(), u8aToHex(keys.publicKey));
  const deployment = stringToU8a('{"name":"web","image":"nginx:1.27","cpu":2,"memory":"4G"}');
  const hash = deploymentHash(deployment);
  const sealed = sealTo(deployment, keys.publicKey);

  // Refused by name: more IPs than the farm has.
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(nodeId, hash, '0x', VM, 2), user),
    'smartContractModule.NotEnoughIpsOnFarm');
  events = await ok(api.tx.smartContractModule.createNodeContract(nodeId, hash, u8aToHex(sealed), VM, 1), user);
  const created = eventData(events, api.events.smartContractModule.ContractCreated);
  const contractId = created.contractId.toNumber();
  assert.equal(created.twinId.toNumber(), twinId);
  assert.deepEqual([...created.publicIps[0].ip.asV4], [185, 206, 123, 10]);
  const deposit = created.deposit.toBigInt();
  assert.equal(await reserved(user.address), twinDeposit() + deposit);
  assert.equal((await api.query.tfgridModule.farmIpCounts(farmId)).free.toNumber(), 0);
  // ... and more IPs than are free.
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(nodeId, deploymentHash(stringToU8a('b')), '0x', VM, 1), user),
    'smartContractModule.NotEnoughFreeIpsOnFarm');

  // The user reads the deployment back from the chain with their own key.
  const stored = (await contractOf(contractId)).unwrap();
  assert.deepEqual(openWith(u8aToU8a(stored.deploymentData), keys), deployment);
  assert.equal(openWith(u8aToU8a(stored.deploymentData), encryptionKeyPair()), null, 'another key cannot read it');

  // The node lists its contracts and checks the one it received: twin and hash match; a
  // wrong hash or twin is reported as such.
  const listed = await api.call.smartContractApi.nodeContracts(nodeId, null, 10);
  assert.deepEqual(listed.map(([id, h]) => [id.toNumber(), h.toHex()]), [[contractId, u8aToHex(hash)]]);
  assert.ok((await api.call.smartContractApi.checkDeployment(nodeId, contractId, twinId, hash)).isOk);
  const wrongHash = await api.call.smartContractApi.checkDeployment(nodeId, contractId, twinId, deploymentHash(stringToU8a('x')));
  assert.equal(wrongHash.asErr.type, 'HashMismatch');
  assert.equal((await api.call.smartContractApi.checkDeployment(nodeId, contractId, twinId + 1, hash)).asErr.type, 'TwinMismatch');
  assert.equal((await api.call.smartContractApi.checkDeployment(DEMO_NODE, contractId, twinId, hash)).asErr.type, 'WrongNode');

  // Refused by name: another node confirming, a wrong hash, a stranger's report.
  assert.equal(await refused(api.tx.smartContractModule.confirmDeployment(contractId, hash), dave),
    'smartContractModule.NotContractNode');
  assert.equal(await refused(api.tx.smartContractModule.confirmDeployment(contractId, deploymentHash(stringToU8a('x'))), operator),
    'smartContractModule.DeploymentHashMismatch');
  // The IP is billed from its reservation: the confirmation bills its time since the contract
  // was created.
  const createdAt = (await contractOf(contractId)).unwrap().billedUntil.toNumber();
  events = await ok(api.tx.smartContractModule.confirmDeployment(contractId, hash), operator);
  const ipBill = eventData(events, api.events.smartContractModule.ContractBilled);
  assert.equal(ipBill.windowStart.toNumber(), createdAt);
  assert.ok(ipBill.amount.toBigInt() > 0n && ipBill.paid.eq(ipBill.amount));
  assert.equal((await contractOf(contractId)).unwrap().state.type, 'Deployed');
  const strangerReport = { contractId, timestamp: await now(), ...VM, nru: 0 };
  assert.equal(await refused(api.tx.smartContractModule.addConsumptionReports([strangerReport]), stranger),
    'smartContractModule.NotANode');

  // An hour of this VM with its IP is quoted at 3.625 TFT (docs/billing.md).
  assert.equal((await api.call.smartContractApi.hourlyQuote(VM, 1)).unwrap().toBigInt(), 36_250_000n);

  // Two reports. The user's balance falls by exactly what is billed; the farmer and the
  // foundation receive their shares and the rest is burned.
  const start = {
    user: await free(user.address), farmer: await free(farmer.address),
    foundation: await free(foundation()), issuance: await issuance(),
  };
  let billedUntil = (await contractOf(contractId)).unwrap().billedUntil.toNumber();
  const shares = { paid: 0n, farmer: 0n, foundation: 0n, burned: 0n };
  let reportFees = 0n;
  // Traffic within the limit of 125 MB a second, even for a one-second window.
  for (const nru of [GIB / 16n, GIB / 32n]) {
    const report = { contractId, timestamp: Math.max(await now(), billedUntil + 1), ...VM, nru };
    const sent = await submit(api, api.tx.smartContractModule.addConsumptionReports([report]), operator);
    assert.equal(sent.dispatchError, null);
    const billed = eventData(sent.events, api.events.smartContractModule.ContractBilled);
    assert.equal(billed.windowStart.toNumber(), billedUntil);
    assert.equal(billed.windowEnd.toNumber(), report.timestamp);
    assert.equal(billed.paid.toBigInt(), billed.amount.toBigInt());
    assert.ok(billed.paid.toBigInt() > 0n);
    shares.paid += billed.paid.toBigInt();
    // The batch's payments, shared out in one event for the node's farm.
    const shared = eventData(sent.events, api.events.smartContractModule.SharesPaid);
    assert.equal(shared.farmId.toNumber(), farmId);
    for (const share of ['farmer', 'foundation', 'burned']) shares[share] += shared[share].toBigInt();
    // Windows of seconds, shorter than the fee-free minimum (five minutes), pay the fee.
    assert.ok(feeOf(sent.events) > 0n);
    reportFees += feeOf(sent.events);
    billedUntil = report.timestamp;
  }
  assert.equal(shares.farmer + shares.foundation + shares.burned, shares.paid);
  assert.equal(start.user - await free(user.address), shares.paid);
  assert.equal(await free(farmer.address) - start.farmer, shares.farmer);
  assert.equal(await free(foundation()) - start.foundation, shares.foundation);
  // Fees are burned too.
  assert.equal(start.issuance - await issuance(), shares.burned + reportFees);

  // A replayed report is refused and charges nothing.
  const replayed = { contractId, timestamp: billedUntil, ...VM, nru: 0 };
  const replay = await submit(api, api.tx.smartContractModule.addConsumptionReports([replayed]), operator);
  assert.equal(eventData(replay.events, api.events.smartContractModule.ConsumptionReportRejected).reason.type,
    'NotAfterPreviousReport');
  assert.equal(start.user - await free(user.address), shares.paid);

  // The user cancels: the IP's time since the last report is billed and paid, the deposit
  // comes back, the IP is free again.
  const beforeCancel = { user: await free(user.address), farmer: await free(farmer.address), issuance: await issuance() };
  events = await ok(api.tx.smartContractModule.cancelContract(contractId), user);
  assert.equal(eventData(events, api.events.smartContractModule.ContractCanceled).reason.type, 'CanceledByOwner');
  const lastPaid = events.find(({ event }) => api.events.smartContractModule.DebtPaid.is(event))?.event.data.paid.toBigInt() ?? 0n;
  const last = events.find(({ event }) => api.events.smartContractModule.SharesPaid.is(event))?.event.data;
  const fee = feeOf(events);
  assert.equal(await free(user.address), beforeCancel.user + deposit - fee - lastPaid);
  assert.equal(await reserved(user.address), twinDeposit(), 'the twin keeps its deposit');
  assert.equal(await free(farmer.address) - beforeCancel.farmer, last ? last.farmer.toBigInt() : 0n);
  assert.equal(beforeCancel.issuance - await issuance(), fee + (last ? last.burned.toBigInt() : 0n));
  assert.ok((await contractOf(contractId)).isNone);
  assert.equal((await api.query.tfgridModule.farmIpCounts(farmId)).free.toNumber(), 1, 'the IP is free again');
  assert.equal(await refused(api.tx.smartContractModule.cancelContract(contractId), user),
    'smartContractModule.ContractNotFound');
});
