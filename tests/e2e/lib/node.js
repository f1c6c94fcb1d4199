// Starting and stopping real gridchain-node processes on loopback ports for the tests.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The node binary under test: $GRIDCHAIN_NODE, or the release build in the cargo target dir. */
export function nodeBinary() {
  if (process.env.GRIDCHAIN_NODE) return process.env.GRIDCHAIN_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'gridchain', 'target');
  return join(target, 'release', 'gridchain-node');
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs the node binary to completion and returns its exit code and output. */
export function runNode(args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gridchain-node ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Starts `gridchain-node --dev` on free loopback ports, with a temporary base path or the
 * given `basePath` (which the caller then owns: `stop()` leaves it).
 * Returns { rpcUrl, child, basePath, exited, stop() }; its log goes to $E2E_LOG_DIR (or the
 * base path).
 */
export async function startDevNode(extraArgs = [], { basePath: given } = {}) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const basePath = given ?? mkdtempSync(join(tmpdir(), 'gridchain-e2e-'));
  const logDir = process.env.E2E_LOG_DIR || basePath;
  const log = createWriteStream(join(logDir, `dev-node-${rpcPort}.log`));
  const args = [
    '--dev',
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const rpcUrl = `ws://127.0.0.1:${rpcPort}`;
  await waitForRpc(rpcUrl, exited);
  return {
    rpcUrl,
    child,
    basePath,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const result = await Promise.race([exited, sleep(30_000).then(() => null)]);
      if (result === null) child.kill('SIGKILL');
      if (!given) rmSync(basePath, { recursive: true, force: true });
      return result;
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the RPC server of `url` accepts connections, or fails if the process exits first. */
export async function waitForRpc(url, exited, timeoutMs = 120_000) {
  const { hostname, port } = new URL(url);
  let gone = null;
  exited?.then((r) => { gone = r; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`node exited before its RPC came up: ${JSON.stringify(gone)}`);
    const open = await new Promise((resolve) => {
      const socket = tcpConnect({ host: hostname, port: Number(port) });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(250);
  }
  throw new Error(`no RPC at ${url} after ${timeoutMs} ms`);
}

/** Connects @polkadot/api, with no custom types, to `url`. */
export async function connect(url) {
  const provider = new WsProvider(url, false);
  await provider.connect();
  return ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
}

/** Resolves with the number of the first finalized block at or above `number`. */
export async function waitForFinalized(api, number, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`block ${number} not finalized within ${timeoutMs} ms`));
    }, timeoutMs);
    api.rpc.chain.subscribeFinalizedHeads((header) => {
      const n = header.number.toNumber();
      if (n >= number) {
        clearTimeout(timer);
        unsubscribe();
        resolve(n);
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/**
 * A `DispatchError` by name: `section.name` for a pallet's error, else e.g. `BadOrigin` or
 * `Token.FundsUnavailable`.
 */
export function errorName(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  const inner = dispatchError.value;
  return inner?.type ? `${dispatchError.type}.${inner.type}` : dispatchError.type;
}

/**
 * Signs and sends `tx` from `signer`; resolves once it is in a block (or, with `finalized`,
 * once that block is finalized) with { blockHash, events, dispatchError }, dispatchError
 * decoded to `section.name` for a pallet's error. The --dev chain has one block author, so a
 * block that includes the transaction is not replaced.
 */
function sendUntil(api, tx, signer, finalized) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsubscribe();
        reject(new Error(`transaction ${status.type}`));
      }
      const done = finalized ? status.isFinalized : status.isInBlock;
      if (done) {
        unsubscribe();
        const error = dispatchError ? errorName(api, dispatchError) : null;
        const blockHash = finalized ? status.asFinalized : status.asInBlock;
        resolve({ blockHash, events, dispatchError: error });
      }
    }).then((u) => { unsubscribe = u; }, reject);
  });
}

/** Sends `tx` from `signer`; resolves once it is in a block. */
export const submit = (api, tx, signer) => sendUntil(api, tx, signer, false);

/** Sends `tx` from `signer`; resolves once its block is finalized. */
export const sendAndFinalize = (api, tx, signer) => sendUntil(api, tx, signer, true);

/** Sends `tx` from `signer` and expects it to succeed; resolves with its events. */
export async function expectOk(api, tx, signer) {
  const { events, dispatchError } = await submit(api, tx, signer);
  if (dispatchError !== null) throw new Error(`expected success, got ${dispatchError}`);
  return events;
}

/** Sends `tx` from `signer` and expects it to fail; resolves with the error's `section.name`. */
export async function expectRefused(api, tx, signer) {
  const { dispatchError } = await submit(api, tx, signer);
  if (dispatchError === null) throw new Error('expected the call to be refused, it succeeded');
  return dispatchError;
}

/**
 * The earliest timestamp (Unix seconds) the next consumption report of contract `contractId`
 * may carry: the chain's time, or one second after the contract was last billed if later.
 */
export async function nextReportTime(api, contractId) {
  const contract = (await api.query.smartContractModule.contracts(contractId)).unwrap();
  const now = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
  return Math.max(now, contract.billedUntil.toNumber() + 1);
}

/** The data of the first event of kind `kind` (e.g. `api.events.balances.Transfer`) in `events`. */
export function eventData(events, kind) {
  const record = events.find(({ event }) => kind.is(event));
  if (!record) throw new Error(`no event of that kind among ${events.length}`);
  return record.event.data;
}

/**
 * Submits the signed transaction `hex` through `provider` (a WsProvider: one connection holds
 * at most 1,024 watched transactions) and follows it until it is in a block
 * ({ outcome: 'included', block }), refused, dropped or invalid ({ outcome: 'refused', reason }),
 * or `timeoutMs` passes: 'waiting' if the pool last said it waits for an earlier nonce,
 * 'silent' otherwise, each with the last status (`last`). Returns { answered, outcome }:
 * `answered` settles once the node has taken or refused the transaction.
 */
export function watchExtrinsic(provider, hex, timeoutMs) {
  let answered;
  const outcome = new Promise((resolve) => {
    let last = null;
    let subscription = null;
    const done = (outcome) => {
      clearTimeout(timer);
      if (subscription !== null) {
        provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ outcome: last === 'future' ? 'waiting' : 'silent', last }), timeoutMs);
    answered = provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
      if (error) return done({ outcome: 'refused', reason: error.message });
      last = status;
      if (status?.inBlock || status?.finalized) done({ outcome: 'included', block: status.inBlock ?? status.finalized });
      else if (status === 'dropped' || status === 'invalid' || status?.usurped) done({ outcome: 'refused', reason: JSON.stringify(status) });
    }).then((id) => { subscription = id; }, (error) => done({ outcome: 'refused', reason: error.message }));
  });
  return { answered, outcome };
}

/**
 * Signs `tx` from `signer` with nonce `nonce` without asking the node anything, and returns it:
 * for sending many transactions fast. With a block `header`, valid for 64 blocks from it (as
 * polkadot.js signs by default); without, immortal. Among transactions of equal priority the
 * pool takes the one that expires first, so a mortal transaction that has waited goes before
 * newer ones; immortal ones are taken in the order the pool last inserted them, which its
 * revalidation of waiting transactions resets.
 */
export function signOffline(api, tx, signer, nonce, header = null) {
  return tx.sign(signer, {
    blockHash: header ? header.hash : api.genesisHash,
    genesisHash: api.genesisHash,
    era: header ? api.registry.createType('ExtrinsicEra', { current: header.number, period: 64 }) : 0,
    nonce,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
  });
}

/** `count` more connections to `url`, to watch many transactions (one holds at most 1,024). */
export function openConnections(url, count) {
  return Promise.all(Array.from({ length: count }, async () => {
    const provider = new WsProvider(url, false);
    provider.on('error', () => {}); // closing them at the end is not an error
    await provider.connect();
    await provider.isReady;
    return provider;
  }));
}

/**
 * Sends the signed transactions `hexes` in order over `providers`, `window` at a time: each
 * window at once, and the next once the node has answered all of it. Each is watched as by
 * `watchExtrinsic` with `timeoutMs`; resolves, once all are sent, with their outcome promises.
 */
export async function sendWatched(providers, hexes, { window = 1_000, timeoutMs }) {
  const outcomes = [];
  for (let i = 0; i < hexes.length; i += window) {
    const watched = hexes.slice(i, i + window)
      .map((hex, j) => watchExtrinsic(providers[(i + j) % providers.length], hex, timeoutMs));
    await Promise.all(watched.map((w) => w.answered));
    outcomes.push(...watched.map((w) => w.outcome));
  }
  return outcomes;
}
