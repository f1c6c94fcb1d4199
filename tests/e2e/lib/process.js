// Real gridchain-node processes on loopback ports: the binary under test, free ports, a --dev
// node started and stopped, and runs of the binary to completion.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { finished } from 'node:stream/promises';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The node binary under test: $GRIDCHAIN_NODE, or the release build in the cargo target dir. */
export function nodeBinary() {
  if (process.env.GRIDCHAIN_NODE) return process.env.GRIDCHAIN_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'gridchain', 'target');
  return join(target, 'release', 'gridchain-node');
}

/**
 * The wasm of the next runtime (`spec_version` one higher), which upgrade tests set:
 * $GRIDCHAIN_NEXT_RUNTIME, or the one the test command builds beside the node's.
 */
export function nextRuntime() {
  return readFileSync(process.env.GRIDCHAIN_NEXT_RUNTIME
    ?? join(dirname(nodeBinary()), 'wbuild', 'gridchain-runtime', 'next_spec_version.rs.compact.compressed.wasm'));
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

/** Runs `binary` with `args` to completion; fails if it has not exited after `timeoutMs`. */
function runToCompletion(binary, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    // 'close', not 'exit': when 'exit' fires the process's output can still be unread (on a busy
    // machine a command's JSON was lost so); 'close' fires once its streams are closed.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs the node binary to completion and returns its exit code and output; fails if it has not
 * exited after `timeoutMs` (generous: with every test file running a node, a start takes a while).
 */
export const runNode = (args, { timeoutMs = 300_000 } = {}) => runToCompletion(nodeBinary(), args, timeoutMs);

/**
 * Starts `gridchain-node --dev` on free loopback ports, with a temporary base path or the
 * given `basePath` (which the caller then owns: `stop()` leaves it).
 * Returns { rpcUrl, child, basePath, exited, kill(signal), stop() }; its log goes to
 * $E2E_LOG_DIR (or the base path). A free port can be taken by another process before the node
 * binds it; a node that exits before its RPC answers is started again, on other ports, up to
 * three times. A node that exits later, unless through `kill` or `stop`, prints how it exited and
 * the end of its log to stderr, which the test run shows beside the tests that then fail.
 */
export async function startDevNode(extraArgs = [], { basePath: given } = {}) {
  const basePath = given ?? mkdtempSync(join(tmpdir(), 'gridchain-e2e-'));
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevNodeOnce(extraArgs, basePath, given !== undefined);
    } catch (error) {
      if (!error.exitedEarly || attempt === 3) throw error;
    }
  }
}

async function startDevNodeOnce(extraArgs, basePath, callerOwnsBasePath) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const logDir = process.env.E2E_LOG_DIR || basePath;
  const logFile = join(logDir, `dev-node-${rpcPort}.log`);
  const log = createWriteStream(logFile);
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
  try {
    await waitForRpc(rpcUrl, exited);
  } catch (error) {
    // A node left running would keep the test file's process alive, and the test run with it.
    child.kill('SIGKILL');
    error.message += ` (log: ${logFile})`;
    throw error;
  }
  let stopping = false;
  child.once('close', async (code, signal) => {
    if (stopping) return;
    await finished(log).catch(() => {});
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
    console.error(`gridchain-node at ${rpcUrl} exited by itself (code ${code}, signal ${signal}); `
      + `the end of its log, ${logFile}:\n${tail}`);
  });
  return {
    rpcUrl,
    child,
    basePath,
    exited,
    /** Sends the node `signal` and resolves with how it exited. */
    kill(signal) {
      stopping = true;
      child.kill(signal);
      return exited;
    },
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const result = await Promise.race([exited, sleep(30_000).then(() => null)]);
      if (result === null) child.kill('SIGKILL');
      if (!callerOwnsBasePath) rmSync(basePath, { recursive: true, force: true });
      return result;
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the node at `url` answers a JSON-RPC request (`system_chain`, over HTTP on the same
 * port), or fails if the process exits first. An answer, not an open port: a port taken by some
 * other process would accept a connection too. Generous: every test file starts a node at once,
 * and each compiles the runtime as it starts.
 */
export async function waitForRpc(url, exited, timeoutMs = 300_000) {
  const http = url.replace(/^ws/, 'http');
  let gone = null;
  exited?.then((r) => { gone = r; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) {
      const error = new Error(`node exited before its RPC came up: ${JSON.stringify(gone)}`);
      error.exitedEarly = true;
      throw error;
    }
    if (await answersRpc(http)) return;
    await sleep(250);
  }
  throw new Error(`no RPC at ${url} after ${timeoutMs} ms`);
}

async function answersRpc(http) {
  try {
    const response = await fetch(http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_chain', params: [] }),
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok && typeof (await response.json()).result === 'string';
  } catch {
    return false;
  }
}

/** The `gridchain` command line under test: $GRIDCHAIN_CLI, or the release build beside the node. */
export function cliBinary() {
  return process.env.GRIDCHAIN_CLI || join(dirname(nodeBinary()), 'gridchain');
}

/**
 * Runs `gridchain` with `args` to completion. Resolves with its exit code, its output, and the
 * output parsed as JSON when it is JSON (`--output json`).
 */
export async function runCli(args, { timeoutMs = 180_000 } = {}) {
  const result = await runToCompletion(cliBinary(), args, timeoutMs);
  let json = null;
  try { json = JSON.parse(result.stdout); } catch { /* text output */ }
  return { ...result, json };
}

/**
 * Starts a long-running `gridchain` command (the agent), its output appended to `logFile`.
 * Returns { child, exited, kill(signal) }.
 */
export function startCli(args, logFile) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(cliBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
