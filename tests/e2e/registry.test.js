// The grid registry from a client's point of view: the dev chain's demo grid, and a farmer and a
// node operator registering themselves (the node on the farmer's invitation) and deleting it
// all again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GIB, TIB } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, ok, refused } = chain;

test('the dev chain ships a demo farm with four free public IPs and a node', async () => {
  const { api } = chain;
  const charlie = keyring.addFromUri('//Charlie');
  const dave = keyring.addFromUri('//Dave');
  assert.equal((await api.query.tfgridModule.twinIdByAccount(charlie.address)).unwrap().toNumber(), 1);
  const farm = (await api.query.tfgridModule.farms(1)).unwrap();
  assert.equal(farm.name.toUtf8(), 'demo-farm');
  assert.equal(farm.twinId.toNumber(), 1);
  const counts = await api.query.tfgridModule.farmIpCounts(1);
  assert.equal(counts.total.toNumber(), 4);
  assert.equal(counts.free.toNumber(), 4);
  const demoNode = (await api.query.tfgridModule.nodes(1)).unwrap();
  assert.equal(demoNode.farmId.toNumber(), 1);
  assert.equal(demoNode.twinId.toNumber(), (await api.query.tfgridModule.twinIdByAccount(dave.address)).unwrap().toNumber());
  assert.equal(demoNode.resources.cru.toNumber(), 16);
  // Every IP is its own entry; all four are free.
  const ips = await api.query.tfgridModule.farmIps.entries(1);
  assert.equal(ips.length, 4);
  assert.ok(ips.every(([, entry]) => entry.unwrap().contractId.isNone));
});

test('a farmer and a node operator register a twin, a farm, a public IP and a node, then delete them', async () => {
  const { api } = chain;
  const eve = keyring.addFromUri('//Eve');
  const ferdie = keyring.addFromUri('//Ferdie');

  let events = await ok(api.tx.tfgridModule.createTwin('relay.grid.example', '0x' + '11'.repeat(32)), eve);
  const twinCreated = events.find(({ event }) => api.events.tfgridModule.TwinCreated.is(event));
  const eveTwin = twinCreated.event.data.twinId.toNumber();
  assert.equal(twinCreated.event.data.account.toString(), eve.address);
  assert.equal(twinCreated.event.data.relay.unwrap().toUtf8(), 'relay.grid.example');

  events = await ok(api.tx.tfgridModule.createFarm('eve-farm'), eve);
  const farmId = events.find(({ event }) => api.events.tfgridModule.FarmCreated.is(event)).event.data.farmId.toNumber();

  events = await ok(api.tx.tfgridModule.addFarmIp(farmId, '185.206.124.10/23', '185.206.124.1'), eve);
  const added = events.find(({ event }) => api.events.tfgridModule.FarmIpAdded.is(event));
  assert.equal(added.event.data.ip.prefix.toNumber(), 23);
  const counts = await api.query.tfgridModule.farmIpCounts(farmId);
  assert.deepEqual([counts.total.toNumber(), counts.free.toNumber()], [1, 1]);

  // A node joins the farm on the farmer's invitation only.
  events = await ok(api.tx.tfgridModule.createTwin(null, null), ferdie);
  const ferdieTwin = eventData(events, api.events.tfgridModule.TwinCreated).twinId.toNumber();
  const resources = { cru: 8, sru: TIB, hru: 4n * TIB, mru: 32n * GIB };
  assert.equal(await refused(api.tx.tfgridModule.createNode(farmId, resources), ferdie), 'tfgridModule.NodeNotInvited');
  await ok(api.tx.tfgridModule.inviteNode(farmId, ferdieTwin), eve);
  assert.equal(await refused(api.tx.tfgridModule.createNode(farmId, { ...resources, cru: 0 }), ferdie),
    'tfgridModule.InvalidResources');
  events = await ok(api.tx.tfgridModule.createNode(farmId, resources), ferdie);
  const nodeCreated = events.find(({ event }) => api.events.tfgridModule.NodeCreated.is(event));
  assert.equal(nodeCreated.event.data.farmId.toNumber(), farmId);
  assert.equal(nodeCreated.event.data.resources.mru.toBigInt(), 32n * GIB);

  // Each record holds its storage deposit, as the chain's constants say (docs/registry.md).
  const deposit = (name) => api.consts.tfgridModule[name].toBigInt();
  const reserved = async (who) => (await api.query.system.account(who.address)).data.reserved.toBigInt();
  assert.equal(deposit('twinDeposit'), 5_900_000n, '0.59 TFT');
  assert.equal(await reserved(eve), deposit('twinDeposit') + deposit('farmDeposit') + deposit('ipDeposit'));
  assert.equal(await reserved(ferdie), deposit('twinDeposit') + deposit('nodeDeposit'));
  const poor = keyring.addFromUri('//registry/poor');
  await ok(api.tx.balances.transferKeepAlive(poor.address, deposit('twinDeposit') / 2n), ferdie);
  assert.equal(await refused(api.tx.tfgridModule.createTwin(null, null), poor),
    'tfgridModule.InsufficientBalanceForDeposit');

  // Bad input on the same farm, each answered with the pallet's named error.
  assert.equal(await refused(api.tx.tfgridModule.addFarmIp(farmId, '192.168.1.10/24', '192.168.1.1'), eve),
    'tfgridModule.IpNotPublic');
  assert.equal(await refused(api.tx.tfgridModule.addFarmIp(farmId, '185.206.124.10/24', '185.206.124.1'), eve),
    'tfgridModule.IpAlreadyRegistered');
  assert.equal(await refused(api.tx.tfgridModule.addFarmIp(farmId, '2a02:1802:5e::10/64', '2a02:1802:5e::1'), eve),
    'tfgridModule.IpNotIpv4');
  assert.equal(await refused(api.tx.tfgridModule.addFarmIp(farmId, '185.206.200.10/24', '185.206.201.1'), eve),
    'tfgridModule.GatewayNotInSubnet');
  assert.equal(await refused(api.tx.tfgridModule.addFarmIp(farmId, '185.206.200.10', '185.206.200.1'), eve),
    'tfgridModule.IpMalformed');
  assert.equal(await refused(api.tx.tfgridModule.removeFarmIp(farmId, '185.206.124.10'), ferdie),
    'tfgridModule.NotFarmOwner');
  // Listing the demo farm's address on another farm does not stop the demo farmer: each farm
  // answers for its own addresses.
  await ok(api.tx.tfgridModule.addFarmIp(farmId, '185.206.122.10/24', '185.206.122.1'), eve);
  await ok(api.tx.tfgridModule.removeFarmIp(farmId, '185.206.122.10'), eve);
  assert.equal(await refused(api.tx.tfgridModule.deleteNode(nodeCreated.event.data.nodeId), eve),
    'tfgridModule.NotNodeOwner');
  assert.ok(eveTwin > 2);

  // Nothing is held forever: the farm goes once its IP and node are gone, each twin once it
  // holds nothing, and every deposit comes back.
  assert.equal(await refused(api.tx.tfgridModule.deleteFarm(farmId), eve), 'tfgridModule.FarmHasIps');
  await ok(api.tx.tfgridModule.removeFarmIp(farmId, '185.206.124.10'), eve);
  assert.equal(await refused(api.tx.tfgridModule.deleteFarm(farmId), eve), 'tfgridModule.FarmHasNodes');
  assert.equal(await refused(api.tx.tfgridModule.deleteTwin(), ferdie), 'tfgridModule.TwinRunsNode');
  const reservedBefore = await reserved(ferdie);
  await ok(api.tx.tfgridModule.deleteNode(nodeCreated.event.data.nodeId), ferdie);
  assert.equal(await reserved(ferdie), reservedBefore - deposit('nodeDeposit'));
  assert.equal(await refused(api.tx.tfgridModule.deleteTwin(), eve), 'tfgridModule.TwinHasFarms');
  await ok(api.tx.tfgridModule.deleteFarm(farmId), eve);
  for (const who of [eve, ferdie]) {
    events = await ok(api.tx.tfgridModule.deleteTwin(), who);
    assert.ok(events.some(({ event }) => api.events.tfgridModule.TwinDeleted.is(event)));
    assert.equal(await reserved(who), 0n);
  }
  assert.ok((await api.query.tfgridModule.farms(farmId)).isNone);
  assert.ok((await api.query.tfgridModule.farmIdByName('eve-farm')).isNone);
});
