// The Rust client (client/) against a test file's dev chain: the `gridchain` command line, and
// the node's agent as a long-running process with its log.

import { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './chain.js';
import { freePort, runCli, startCli, sleep } from './process.js';

/** `gridchain` against `chain`'s node: `cli` resolves with a command's JSON output, `cliFails` with its error. */
export function commandLine(chain) {
  return {
    /** Runs `gridchain` as `suri`; resolves with its JSON output, or fails. */
    async cli(suri, ...args) {
      const result = await runCli(['--url', chain.node.rpcUrl, '--suri', suri, '--output', 'json', ...args]);
      assert.equal(result.code, 0, `gridchain ${args.join(' ')}: ${result.stdout}${result.stderr}`);
      return result.json;
    },
    /** Runs `gridchain` as `suri` and expects it to fail; resolves with its error message. */
    async cliFails(suri, ...args) {
      const result = await runCli(['--url', chain.node.rpcUrl, '--suri', suri, ...args]);
      assert.notEqual(result.code, 0, `gridchain ${args.join(' ')} succeeded: ${result.stdout}`);
      return result.stderr;
    },
  };
}

/**
 * A temporary directory for a file's keys, deployments and agent, removed after its tests
 * (kept when $E2E_KEEP_LOGS is set).
 */
export function scratchDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `gridchain-${name}-`));
  after(() => {
    if (process.env.E2E_KEEP_LOGS === undefined) rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * The node's agent for `chain`, signing as `suri` and keeping its deployments and its log
 * (`agent.log`) in `dir`. `start()` runs it (its first endpoint a closed port, so it falls back on
 * the node) and resolves once it has reconciled; `log()` is what it logged; `deployment(id)`
 * the directory of a deployment; `within(blocks, condition, what)` waits at most `blocks`
 * blocks for `condition`, failing with the agent's log. It is killed after the file's tests.
 */
export function agent(chain, { suri, dir }) {
  const data = join(dir, 'agent');
  const logFile = join(dir, 'agent.log');
  const self = {
    process: null,
    port: 0,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    deployment: (id) => join(data, 'deployments', String(id)),
    async start() {
      self.port ||= await freePort();
      const closed = `ws://127.0.0.1:${await freePort()}`;
      const logged = self.log().length;
      self.process = startCli(['--url', closed, '--url', chain.node.rpcUrl, '--suri', suri, 'agent',
        '--data', data, '--listen', `127.0.0.1:${self.port}`,
        '--report-every', '6', '--reconcile-every', '30'], logFile);
      const deadline = Date.now() + 60_000;
      while (!self.log().slice(logged).includes('reconciled:')) {
        if (Date.now() > deadline) assert.fail(`the agent did not start:\n${self.log()}`);
        await sleep(250);
      }
      assert.ok(self.log().slice(logged).includes(`connected to ${chain.node.rpcUrl}`), 'it fell back on the node');
    },
    async within(blocks, condition, what) {
      const best = (await chain.api.rpc.chain.getHeader()).number.toNumber();
      await waitUntil(chain.api, best + blocks, condition, () => `no ${what}; the agent's log:\n${self.log()}`);
    },
  };
  // A test that fails leaves it running, which would keep the test file's process alive.
  after(() => self.process?.kill('SIGKILL'));
  return self;
}
