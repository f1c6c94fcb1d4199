// The whole flow from a client, on a fresh --dev chain, with no custom types: a farmer, a node
// operator and a user register, the user deploys (encrypted data, one public IP), the node
// checks, confirms and reports, the chain bills and shares the money, the user cancels; a
// 2-of-3 multisig owns a contract; a user out of funds loses their contract after the grace
// period; refused input comes back as the pallets' named errors; a node cannot bill beyond a
// contract's reservation nor use block space for free, and an owner cannot overbook a node; a
// contract its node never confirms pays for its IP and expires.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { encodeMultiAddress, sortAddresses } from '@polkadot/util-crypto';
import { u8aToHex, u8aToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import {
  startDevNode, connect, submit, expectOk, expectRefused, eventData, nextReportTime,
} from './lib/node.js';
import { deploymentHash, encryptionKeyPair, sealTo, openWith, VM } from './lib/deployment.js';

const TFT = 10_000_000n;
const GIB = 1n << 30n;
const TIB = 1n << 40n;
const SS58 = 7171;
const DEMO_NODE = 1;
const DEMO_FARM = 1;

let node;
let api;
let keyring;
let alice;

const ok = (tx, signer) => expectOk(api, tx, signer);
const refused = (tx, signer) => expectRefused(api, tx, signer);
const free = async (address) => (await api.query.system.account(address)).data.free.toBigInt();
const reserved = async (address) => (await api.query.system.account(address)).data.reserved.toBigInt();
const issuance = async () => (await api.query.balances.totalIssuance()).toBigInt();
// The storage deposit every twin holds from its account.
const twinDeposit = () => api.consts.tfgridModule.twinDeposit.toBigInt();
const now = async () => Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
const feeOf = (events) => eventData(events, api.events.transactionPayment.TransactionFeePaid).actualFee.toBigInt();
const contractOf = async (id) => (await api.call.smartContractApi.contract(id));
const twinOf = async (address) => (await api.query.tfgridModule.twinIdByAccount(address)).unwrap().toNumber();
// The foundation's account: "modl" + "gridfndn", padded with zeros (a PalletId account).
const foundation = () => keyring.encodeAddress(u8aConcat(stringToU8a('modlgridfndn'), new Uint8Array(20)));

/** Alice sends each account `amount`, in one batch. */
async function fund(accounts, amount) {
  const transfers = accounts.map((a) => api.tx.balances.transferKeepAlive(a.address ?? a, amount));
  await ok(api.tx.utility.batchAll(transfers), alice);
}

/** Resolves once block `number` is imported; returns its hash. */
async function blockHashAt(number) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    api.rpc.chain.subscribeNewHeads(async (header) => {
      if (header.number.toNumber() >= number) {
        unsubscribe();
        resolve(await api.rpc.chain.getBlockHash(number));
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

before(async () => {
  node = await startDevNode();
  api = await connect(node.rpcUrl);
  keyring = new Keyring({ type: 'sr25519', ss58Format: SS58 });
  alice = keyring.addFromUri('//Alice');
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('1. farmer, node and user: an encrypted deployment with a public IP, billed and cancelled', async () => {
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
    for (const share of ['paid', 'farmer', 'foundation', 'burned']) shares[share] += billed[share].toBigInt();
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
  const last = events.find(({ event }) => api.events.smartContractModule.DebtPaid.is(event))?.event.data;
  const lastPaid = last ? last.paid.toBigInt() : 0n;
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

test('2. a 2-of-3 multisig owns a twin and a contract: one signer alone cannot act, two can', async () => {
  const signers = ['//ms/one', '//ms/two', '//ms/three'].map((uri) => keyring.addFromUri(uri));
  const addresses = signers.map((s) => s.address);
  const multisig = encodeMultiAddress(addresses, 2, SS58);
  await fund([...signers, multisig], 20n * TFT);

  const others = (signer) => sortAddresses(addresses.filter((a) => a !== signer.address), SS58);
  /** `first` approves `call` for the multisig; nothing happens yet. */
  async function approve(call, first) {
    const { weight } = await call.paymentInfo(multisig);
    await ok(api.tx.multisig.asMulti(2, others(first), null, call, weight), first);
    const pending = await api.query.multisig.multisigs(multisig, call.method.hash);
    assert.ok(pending.isSome, 'the call waits for a second approval');
    return { call, weight, when: pending.unwrap().when };
  }
  /** `second` approves too: the call runs as the multisig; returns its events. */
  async function execute({ call, weight, when }, second) {
    const events = await ok(api.tx.multisig.asMulti(2, others(second), when, call, weight), second);
    const executed = eventData(events, api.events.multisig.MultisigExecuted);
    assert.ok(executed.result.isOk, `the multisig's call succeeded: ${executed.result.toString()}`);
    return events;
  }

  const createTwin = await approve(api.tx.tfgridModule.createTwin(null, null), signers[0]);
  assert.ok((await api.query.tfgridModule.twinIdByAccount(multisig)).isNone, 'one approval creates nothing');
  await execute(createTwin, signers[1]);
  const twinId = await twinOf(multisig);

  // A signer alone acts only for their own account, which has no twin.
  const hash = deploymentHash(stringToU8a('multisig deployment'));
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), signers[2]),
    'smartContractModule.TwinNotFound');

  const create = await approve(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), signers[2]);
  assert.equal((await api.call.smartContractApi.nodeContracts(DEMO_NODE, null, 100)).length, 0);
  let events = await execute(create, signers[0]);
  const created = eventData(events, api.events.smartContractModule.ContractCreated);
  const contractId = created.contractId.toNumber();
  assert.equal(created.twinId.toNumber(), twinId);
  assert.equal(await reserved(multisig), twinDeposit() + created.deposit.toBigInt());

  const cancel = await approve(api.tx.smartContractModule.cancelContract(contractId), signers[1]);
  assert.ok((await contractOf(contractId)).isSome, 'one approval cancels nothing');
  events = await execute(cancel, signers[2]);
  assert.equal(eventData(events, api.events.smartContractModule.ContractCanceled).reason.type, 'CanceledByOwner');
  assert.ok((await contractOf(contractId)).isNone);
  assert.equal(await reserved(multisig), twinDeposit());
  assert.equal((await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(), 4);
});

test('3. a user out of funds enters the grace period, loses the contract when it ends, and owes the rest', async () => {
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
  const blockEvents = await api.query.system.events.at(await blockHashAt(ends));
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

test('4. the rest of the refused input comes back by name too', async () => {
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

test('5. a node cannot bill beyond the reservation or for free; an owner cannot overbook a node', async () => {
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

test('6. a contract its node never confirms pays for its IP and expires, freeing it', async () => {
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
  const blockEvents = await api.query.system.events.at(await blockHashAt(created.expires.toNumber()));
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
