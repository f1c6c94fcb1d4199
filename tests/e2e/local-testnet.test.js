// A network without sudo (the `local_testnet` preset): four validators, Alice, Bob, Charlie and
// Dave, on loopback ports (scripts/local-testnet.sh), whose operators form the council.
//
// A fifth node, Eve's, generates session keys and registers them; a council motion adds Eve,
// and she authors blocks and votes in GRANDPA: with Dave stopped, the four others still
// finalize, which four of five need. A motion removes Dave and the set shrinks at a session
// boundary; then Charlie stops too, and Alice, Bob and Eve finalize, three of four. Meanwhile (while the sessions turn) a motion sets a pricing policy, three oracle
// members submit TFT prices and billing follows their median, a stranger's motion, vote and
// price are refused by name, and a motion authorizes a runtime upgrade, which anyone applies.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { connect, devKeyring, waitForBlock, waitForFinalized, waitUntil } from './lib/chain.js';
import { freePort, nodeBinary, nextRuntime, waitForRpc, repoRoot, sleep } from './lib/process.js';
import { submit, expectOk, expectRefused, eventData } from './lib/tx.js';

/** A session lasts five blocks in this preset; a change of the set shows within two sessions. */
const SESSION_BLOCKS = 5;

let testnet;
let eveNode;
let dir;
let rpcPorts;
let api;
let eveApi;
let alice;
let bob;
let charlie;
let dave;
let eve;
let ferdie;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridchain-testnet-'));
  const p2pPorts = [];
  rpcPorts = [];
  for (let i = 0; i < 5; i++) {
    p2pPorts.push(await freePort());
    rpcPorts.push(await freePort());
  }
  testnet = spawn(join(repoRoot, 'scripts', 'local-testnet.sh'), [], {
    env: {
      ...process.env,
      TESTNET_DIR: dir,
      TESTNET_P2P_PORTS: p2pPorts.slice(0, 4).join(' '),
      TESTNET_RPC_PORTS: rpcPorts.slice(0, 4).join(' '),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => testnet.on('exit', (code, signal) => resolve({ code, signal })));
  for (const port of rpcPorts.slice(0, 4)) await waitForRpc(`ws://127.0.0.1:${port}`, exited);

  // Eve's node: a validator with an empty keystore, booting from Alice's (whose address
  // scripts/local-testnet.sh writes). A validator needs a network key of its own.
  const eveLog = createWriteStream(join(dir, 'eve.log'));
  eveNode = spawn(nodeBinary(), [
    '--chain', 'local',
    '--validator',
    '--base-path', join(dir, 'eve'),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPorts[4]}`,
    '--rpc-port', String(rpcPorts[4]),
    '--node-key', '5'.padStart(64, '0'),
    '--bootnodes', readFileSync(join(dir, 'bootnode'), 'utf8').trim(),
    '--no-prometheus', '--no-telemetry', '--no-mdns',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  eveNode.stdout.pipe(eveLog);
  eveNode.stderr.pipe(eveLog);
  const eveExited = new Promise((resolve) => eveNode.on('exit', (code, signal) => resolve({ code, signal })));
  await waitForRpc(`ws://127.0.0.1:${rpcPorts[4]}`, eveExited);

  api = await connect(`ws://127.0.0.1:${rpcPorts[0]}`);
  eveApi = await connect(`ws://127.0.0.1:${rpcPorts[4]}`);
  const keyring = devKeyring();
  [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie']
    .map((uri) => keyring.addFromUri(uri));
});

after(async () => {
  await api?.disconnect();
  await eveApi?.disconnect();
  for (const child of [eveNode, testnet]) {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
    }
  }
  if (process.env.E2E_KEEP_LOGS === undefined) rmSync(dir, { recursive: true, force: true });
});

const pidOf = (name) => Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));
const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const finalizedNumber = async () =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
const sessionValidators = async () => (await api.query.session.validators()).map((v) => v.toString());

/** Alice proposes `call` as a council motion with a threshold of three. */
async function propose(call) {
  const length = call.method.encodedLength;
  const proposed = await expectOk(api, api.tx.council.propose(3, call, length), alice);
  return { call, length, ...eventData(proposed, api.events.council.Proposed) };
}

/**
 * Alice, Bob and Charlie vote on `motion` (aye or nay, in one block) and Alice closes it.
 * Resolves with the events of the closing block.
 */
async function decide({ call, length, proposalIndex, proposalHash }, aye) {
  await Promise.all([alice, bob, charlie]
    .map((voter) => expectOk(api, api.tx.council.vote(proposalHash, proposalIndex, aye), voter)));
  const { weight } = await call.paymentInfo(alice);
  return expectOk(api, api.tx.council.close(proposalHash, proposalIndex, weight, length), alice);
}

/** Passes `call` as a council motion and resolves with the events of the closing block. */
async function councilMotion(call) {
  const events = await decide(await propose(call), true);
  const executed = eventData(events, api.events.council.Executed);
  assert.ok(executed.result.isOk, `the motion's call failed: ${executed.result.toString()}`);
  return events;
}

/**
 * Waits until the session's validators are `expected` (in any order), at most two sessions
 * after block `from`, when the change was made.
 */
async function waitForValidators(expected, from) {
  await waitUntil(api, from + 2 * SESSION_BLOCKS + 1, async () => {
    const now = await sessionValidators();
    return now.length === expected.length && expected.every((v) => now.includes(v));
  }, async () => `the set is ${await sessionValidators()}, not ${expected}`);
}

/** Kills validator `name`'s node (SIGKILL) and waits until it is gone. */
async function stopValidator(name) {
  process.kill(pidOf(name), 'SIGKILL');
  await sleep(1000);
  assert.throws(() => process.kill(pidOf(name), 0), `${name} is gone`);
}

/** Finality goes at least three blocks further, with `down` stopped. */
async function finalityAdvances(down) {
  const before = await finalizedNumber();
  const after = await waitForFinalized(api, before + 3, 180_000);
  assert.ok(after >= before + 3, `finality advanced from ${before} to ${after} without ${down}`);
}

/** What billing charges for an hour of a VM (2 vCPUs, 4 GiB, 100 GiB SSD), in plancks. */
const hourlyQuote = async () => (await api.call.smartContractApi
  .hourlyQuote({ cru: 2, sru: 100n << 30n, hru: 0, mru: 4n << 30n }, 0)).unwrap().toBigInt();

let eveAddedAt;
let daveRemovedAt;

test('four validators peer, author and finalize blocks; the chain has no sudo key', async () => {
  assert.equal((await api.query.aura.authorities()).length, 4);
  assert.equal((await api.query.sudo.key()).isNone, true, 'no sudo key');
  const council = (await api.query.council.members()).map((m) => m.toString()).sort();
  assert.deepEqual(council, [alice, bob, charlie, dave].map((k) => k.address).sort());
  assert.ok(await waitForFinalized(api, 2, 180_000) >= 2);
  assert.ok((await api.rpc.system.peers()).length >= 3, 'Alice sees the three other validators');
});

test("Eve's node generates session keys and Eve registers them", async () => {
  const owner = u8aToHex(eve.publicKey);
  const { keys, proof } = await eveApi._rpcCore.provider.send('author_rotateKeysWithOwner', [owner]);
  assert.equal((await eveApi.rpc.author.hasSessionKeys(keys)).isTrue, true);
  await expectOk(api, api.tx.session.setKeys(keys, proof), eve);
  assert.equal((await api.query.session.nextKeys(eve.address)).isSome, true);
});

test('a council motion adds Eve to the validators', async () => {
  const events = await councilMotion(api.tx.validatorSet.addValidator(eve.address));
  eventData(events, api.events.validatorSet.ValidatorAdded);
  eveAddedAt = await bestNumber();
});

test('a council motion sets the pricing policy', async () => {
  const policy = (await api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
  const raised = { ...policy, cu: policy.cu + 5_000 };
  const events = await councilMotion(api.tx.smartContractModule.setPricingPolicy(raised));
  eventData(events, api.events.smartContractModule.PricingPolicySet);
  const now = (await api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
  assert.equal(now.cu, raised.cu);
  // One member alone cannot.
  assert.equal(await expectRefused(api, api.tx.smartContractModule.setPricingPolicy(policy), alice), 'BadOrigin');
});

let beforeOracle;

test('three oracle members submit prices; a stranger cannot', async () => {
  const price = (await api.query.smartContractModule.currentPrices()).tftPrice.toNumber();
  assert.equal(price, 10_000);
  beforeOracle = { quote: await hourlyQuote() };
  // Within the 2% a single update may move the price: the median, 10,200, is taken whole.
  const submitted = [[alice, 10_100], [bob, 10_300], [charlie, 10_200]];
  await Promise.all(submitted.map(async ([member, value]) => {
    const events = await expectOk(api, api.tx.oracle.feedValues([['TftUsd', value]]), member);
    eventData(events, api.events.oracle.NewFeedData);
  }));
  assert.equal((await api.query.oracle.values('TftUsd')).unwrap().value.toNumber(), 10_200);
  assert.equal(await expectRefused(api, api.tx.oracle.feedValues([['TftUsd', 1]]), ferdie), 'oracle.NoPermission');
  beforeOracle.block = await bestNumber();
});

test('a stranger cannot propose a council motion nor vote on one', async () => {
  const call = api.tx.smartContractModule.setTftPrice(1);
  const length = call.method.encodedLength;
  assert.equal(await expectRefused(api, api.tx.council.propose(3, call, length), ferdie), 'council.NotMember');
  assert.equal(await expectRefused(api, call, ferdie), 'BadOrigin', 'nor make the call directly');
  const motion = await propose(call);
  assert.equal(
    await expectRefused(api, api.tx.council.vote(motion.proposalHash, motion.proposalIndex, true), ferdie),
    'council.NotMember',
  );
  // The council drops that motion: three nays out of four settle it.
  eventData(await decide(motion, false), api.events.council.Disapproved);
});

test('Eve validates from a session boundary: she authors blocks and votes in GRANDPA', async () => {
  await waitForValidators([alice, bob, charlie, dave, eve].map((k) => k.address), eveAddedAt);

  // Eve authors one slot in five.
  const from = await bestNumber();
  let authored = false;
  for (let n = from + 1; !authored; n++) {
    assert.ok(n <= from + 4 * 5, 'Eve authored no block in four rounds of slots');
    const header = await waitForBlock(api, n);
    const { author } = await api.derive.chain.getHeader(header.hash);
    authored = author?.toString() === eve.address;
  }

  // Finality with Dave stopped needs four votes of five: Eve's among them.
  await stopValidator('dave');
  await finalityAdvances('Dave');
});

test('billing follows the median of the oracle within a minute', async () => {
  // The price in force follows every ten blocks.
  const price = async () => (await api.query.smartContractModule.currentPrices()).tftPrice.toNumber();
  await waitUntil(api, beforeOracle.block + 11, async () => await price() === 10_200,
    async () => `the price in force is still ${await price()}`);
  // Billing prices an hour of a VM at the median: the same dollars buy fewer TFT.
  assert.equal(await hourlyQuote(), (beforeOracle.quote * 10_000n) / 10_200n);
});

test('a council motion removes Dave', async () => {
  const events = await councilMotion(api.tx.validatorSet.removeValidator(dave.address));
  eventData(events, api.events.validatorSet.ValidatorRemoved);
  daveRemovedAt = await bestNumber();
});

test('a council motion authorizes a runtime upgrade, which anyone applies', async () => {
  const wasm = nextRuntime();
  const specBefore = api.runtimeVersion.specVersion.toNumber();
  const authorize = api.tx.system.authorizeUpgrade(blake2AsHex(wasm, 256));
  await councilMotion(api.tx.utility.batchAll([
    api.tx.whitelist.whitelistCall(authorize.method.hash),
    api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorize),
  ]));
  assert.equal((await api.query.system.authorizedUpgrade()).isSome, true);

  const { dispatchError } = await submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(wasm)), ferdie);
  assert.equal(dispatchError, null);
  const spec = async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  await waitUntil(api, await bestNumber() + 20, async () => await spec() === specBefore + 1,
    async () => `spec version still ${await spec()}`);
});

test('without Dave the set shrinks at a session boundary; with Charlie stopped too, three of four finalize', async () => {
  await waitForValidators([alice, bob, charlie, eve].map((k) => k.address), daveRemovedAt);
  // GRANDPA takes the new set once the block that changed it is final.
  await waitForFinalized(api, await bestNumber(), 180_000);
  // Two of the original four are now down: Dave, no longer a validator, and Charlie, who is.
  // Alice, Bob and Eve are three votes of four, more than the two thirds GRANDPA needs.
  await stopValidator('charlie');
  await finalityAdvances('Dave and Charlie');
});
