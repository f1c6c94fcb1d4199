// Bad input to the grid registry, answered with the pallet's named errors, or not let into the
// pool at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GIB } from './lib/chain.js';
import { submit } from './lib/tx.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, alice, ok, refused } = chain;

test('bad names and unknown ids are refused with named errors', async () => {
  const { api } = chain;
  const bob = keyring.addFromUri('//Bob');
  assert.equal(await refused(api.tx.tfgridModule.createFarm('no-twin-yet'), bob), 'tfgridModule.TwinNotFound');
  await ok(api.tx.tfgridModule.createTwin(null, null), bob);
  assert.equal(await refused(api.tx.tfgridModule.createTwin(null, null), bob), 'tfgridModule.TwinExists');
  assert.equal(await refused(api.tx.tfgridModule.createFarm('DEMO-FARM'), bob), 'tfgridModule.FarmNameTaken');
  assert.equal(await refused(api.tx.tfgridModule.createFarm('my farm'), bob), 'tfgridModule.InvalidFarmName');
  assert.equal(await refused(api.tx.tfgridModule.createNode(99, { cru: 1, sru: 0, hru: 0, mru: GIB }), bob),
    'tfgridModule.FarmNotFound');
  // Bob was not invited to the demo farm.
  assert.equal(await refused(api.tx.tfgridModule.createNode(1, { cru: 1, sru: 0, hru: 0, mru: GIB }), bob),
    'tfgridModule.NodeNotInvited');
  assert.equal(await refused(api.tx.tfgridModule.updateNode(99, { cru: 1, sru: 0, hru: 0, mru: GIB }), bob),
    'tfgridModule.NodeNotFound');
});

test('a farm name longer than the bound does not even enter the pool', async () => {
  const { api } = chain;
  const max = api.consts.tfgridModule.maxFarmNameLength.toNumber();
  await assert.rejects(submit(api, api.tx.tfgridModule.createFarm('f'.repeat(max + 1)), alice));
});
