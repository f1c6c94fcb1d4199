// docs/users.md's walkthrough in polkadot.js apps, in headless Chromium, on a fresh --dev chain:
// Bob creates a twin, asks an hourly quote, creates a contract with a deployment hash and one
// public IP, finds it in Chain state, meets a refused call's error, and cancels the contract.
// Every step is done through apps' UI and checked on chain with @polkadot/api afterwards.
//
// Runs when APPS_DIR names an apps build (scripts/test.sh sets it to ../shared/polkadot-js-apps
// when that exists). Screenshots of the steps go to $APPS_SCREENSHOTS, or a temporary folder;
// `APPS_SCREENSHOTS=docs/images` regenerates the ones docs/users.md shows.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { u8aToHex, stringToU8a } from '@polkadot/util';
import { TFT, DEMO_NODE } from './lib/chain.js';
import { deploymentHash, encryptionKeyPair, sealTo, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';
import { appsBuild, serveApps, openApps } from './lib/apps.js';
import { repoRoot } from './lib/process.js';

const build = appsBuild();

if (build === undefined) {
  test('polkadot.js apps walkthrough', { skip: 'no apps build: set APPS_DIR to one' }, () => {});
} else {
  walkthrough(build);
}

/** The first block from `from` to the best one with a failed extrinsic, and its error. */
async function failedCall(api, from) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  for (let n = from; n <= best; n++) {
    const blockHash = await api.rpc.chain.getBlockHash(n);
    const events = await (await api.at(blockHash)).query.system.events();
    const failed = events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
    if (failed) return { blockHash: blockHash.toHex(), error: failed.event.data.dispatchError };
  }
  throw new Error(`no failed extrinsic in blocks ${from} to ${best}`);
}

function walkthrough(root) {
  const chain = useDevChain();
  const { keyring, twinOf } = chain;
  const bob = keyring.addFromUri('//Bob');
  const keys = encryptionKeyPair();
  const deployment = stringToU8a('{"name":"web","image":"nginx:1.27","cpu":2,"memory":"4G"}');
  const hash = u8aToHex(deploymentHash(deployment));
  const sealed = u8aToHex(sealTo(deployment, keys.publicKey));
  const shots = process.env.APPS_SCREENSHOTS
    ? resolve(repoRoot, process.env.APPS_SCREENSHOTS)
    : mkdtempSync(join(process.env.E2E_LOG_DIR ?? tmpdir(), 'apps-screenshots-'));
  let server;
  let apps;
  let contractId;

  before(async () => {
    server = await serveApps(root);
  });
  after(async () => {
    await apps?.close();
    await server?.close();
    if (!process.env.APPS_SCREENSHOTS && process.env.E2E_KEEP_LOGS === undefined) rmSync(shots, { recursive: true, force: true });
  });

  /** The Extrinsics page's form: the signing account, the call and its arguments. */
  const callForm = () => [apps.page.locator('.ui--InputAddress').first(), apps.page.locator('.ui--Params').first()];

  /** A balance in TFT as apps writes it with 7 decimals: `84.7095 milli TFT` for 847,095 plancks. */
  const milliTft = (plancks) => `${(Number(plancks) / Number(TFT) * 1000).toFixed(4)} milli TFT`;

  test('Bob creates a twin with his encryption key (Extrinsics)', async () => {
    const { api } = chain;
    apps = await openApps(server.url, chain.node.rpcUrl, shots);
    await apps.open('/extrinsics');
    await apps.signAs('bob');
    await apps.choose('tfgridModule', 'createTwin');
    await apps.includeOption('pk:');
    await apps.fill({ 'Bytes': u8aToHex(keys.publicKey) });
    const expected = api.tx.tfgridModule.createTwin(null, u8aToHex(keys.publicKey));
    assert.equal(await apps.output('encoded call data', expected.method.toHex()), expected.method.toHex());
    await apps.screenshot('apps-create-twin', ...callForm());

    const { partialFee } = await expected.paymentInfo(bob);
    const { fee, sender, outcome } = await apps.signAndSubmit('tfgridModule.createTwin');
    assert.equal(outcome, 'ok');
    // The dialog names Bob by his address on this chain (prefix 7171) and the fee in TFT, with
    // the chain's 7 decimals.
    assert.match(sender, new RegExp(bob.address));
    assert.match(fee, new RegExp(milliTft(partialFee.toBigInt()).replace('.', '\\.')));

    const twin = (await api.query.tfgridModule.twins(await twinOf(bob.address))).unwrap();
    assert.equal(twin.pk.unwrap().toHex(), u8aToHex(keys.publicKey));
  });

  test('an hourly quote (Runtime calls)', async () => {
    const { api } = chain;
    await apps.open('/runtime');
    await apps.choose('smartContractApi', 'hourlyQuote');
    await apps.fill({ 'cru:': VM.cru, 'sru:': VM.sru, 'hru:': VM.hru, 'mru:': VM.mru, 'ips:': 1 });
    await apps.page.getByRole('button', { name: 'Submit Runtime call' }).click();
    const quote = (await api.call.smartContractApi.hourlyQuote(VM, 1)).unwrap().toBigInt();
    const result = apps.page.locator('.ui--output').filter({ hasText: /^[\d,]+$/ });
    await result.waitFor();
    assert.equal(await result.innerText(), quote.toLocaleString('en-US'));
    await apps.screenshot('apps-hourly-quote', apps.page.locator('.ui--DropdownLinked').first(), result);
  });

  test('Bob creates a contract with a deployment hash and one public IP (Extrinsics)', async () => {
    const { api } = chain;
    await apps.open('/extrinsics');
    await apps.signAs('bob');
    await apps.choose('smartContractModule', 'createNodeContract');
    // The hash box takes 32 bytes, no fewer.
    await apps.fill({ 'deploymentHash:': '0x1234' });
    assert.equal(await apps.inputIsValid('deploymentHash:'), false, 'a 2-byte hash is marked wrong');
    // Apps computes the deployment hash itself from the deployment's file: BLAKE2b-256.
    await apps.hashFile('deploymentHash:', 'deployment.json', Buffer.from(deployment));
    await apps.fill({
      'nodeId:': DEMO_NODE,
      'deploymentData:': sealed,
      'cru:': VM.cru,
      'sru:': VM.sru,
      'hru:': VM.hru,
      'mru:': VM.mru,
      'publicIps:': 1,
    });
    const expected = api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, sealed, VM, 1);
    assert.equal(await apps.output('encoded call data', expected.method.toHex()), expected.method.toHex());
    await apps.screenshot('apps-create-contract', ...callForm());
    const { outcome } = await apps.signAndSubmit('smartContractModule.createNodeContract');
    assert.equal(outcome, 'ok');

    contractId = (await api.query.smartContractModule.lastContractId()).toNumber();
    const contract = (await api.query.smartContractModule.contracts(contractId)).unwrap();
    assert.equal(contract.deploymentHash.toHex(), hash);
    assert.equal(contract.publicIps.toNumber(), 1);
    assert.equal((await api.query.smartContractModule.deployments(contractId)).unwrap().publicIps.length, 1);
  });

  test('the contract in Chain state', async () => {
    await apps.open('/chainstate');
    await apps.choose('smartContractModule', 'contracts');
    await apps.fill({ 'u64': contractId });
    await apps.page.locator('.storage--actionrow-buttons button').click();
    const result = apps.page.locator('.ui--output').filter({ hasText: 'contractId' });
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, new RegExp(hash));
    assert.match(text, /Created/);
    await apps.screenshot('apps-chain-state', apps.page.locator('.ui--DropdownLinked').first(), result);
  });

  test('a refused call shows its error and its doc line', async () => {
    const { api } = chain;
    const from = (await api.rpc.chain.getHeader()).number.toNumber();
    await apps.open('/extrinsics');
    await apps.signAs('bob');
    await apps.choose('smartContractModule', 'createNodeContract');
    await apps.fill({ 'nodeId:': 99, 'deploymentHash:': hash, 'deploymentData:': '0x' });
    const { outcome } = await apps.signAndSubmit('smartContractModule.createNodeContract');
    assert.equal(outcome, 'smartContractModule.NodeNotFound');

    // The block's events in the Explorer name the error and give its doc line.
    const { blockHash, error } = await failedCall(api, from);
    const { docs } = api.registry.findMetaError(error.asModule);
    const event = await apps.blockEvent(blockHash, 'system.ExtrinsicFailed');
    assert.equal(await event.locator('input[data-testid="type"]').inputValue(), 'smartContractModule.NodeNotFound');
    assert.equal(await event.locator('input[data-testid="details"]').inputValue(), docs.join(' '));
    await apps.screenshot('apps-refused', event);
  });

  test('Bob cancels the contract (Extrinsics)', async () => {
    const { api } = chain;
    await apps.open('/extrinsics');
    await apps.signAs('bob');
    await apps.choose('smartContractModule', 'cancelContract');
    await apps.fill({ 'contractId:': contractId });
    const { outcome } = await apps.signAndSubmit('smartContractModule.cancelContract');
    assert.equal(outcome, 'ok');
    assert.equal((await api.query.smartContractModule.contracts(contractId)).isNone, true);
  });
}
