// Four validators on loopback ports (scripts/local-testnet.sh) produce and finalize blocks;
// with one of them killed, the other three keep finalizing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, waitForFinalized } from './lib/chain.js';
import { freePort, waitForRpc, repoRoot, sleep } from './lib/process.js';

let testnet;
let dir;
let rpcPorts;
const apis = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridchain-testnet-'));
  const p2pPorts = [];
  rpcPorts = [];
  for (let i = 0; i < 4; i++) {
    p2pPorts.push(await freePort());
    rpcPorts.push(await freePort());
  }
  testnet = spawn(join(repoRoot, 'scripts', 'local-testnet.sh'), [], {
    env: {
      ...process.env,
      TESTNET_DIR: dir,
      TESTNET_P2P_PORTS: p2pPorts.join(' '),
      TESTNET_RPC_PORTS: rpcPorts.join(' '),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => testnet.on('exit', (code, signal) => resolve({ code, signal })));
  for (const port of rpcPorts) await waitForRpc(`ws://127.0.0.1:${port}`, exited);
});

after(async () => {
  for (const api of apis) await api.disconnect();
  if (testnet && testnet.exitCode === null) {
    const exited = new Promise((resolve) => testnet.on('exit', resolve));
    testnet.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
  }
  if (process.env.E2E_KEEP_LOGS === undefined) rmSync(dir, { recursive: true, force: true });
});

const pidOf = (name) => Number(readFileSync(join(dir, `${name}.pid`), 'utf8'));

test('four validators peer, author and finalize blocks', async () => {
  const alice = await connect(`ws://127.0.0.1:${rpcPorts[0]}`);
  apis.push(alice);
  const authors = (await alice.query.aura.authorities()).length;
  assert.equal(authors, 4);
  const finalized = await waitForFinalized(alice, 4, 180_000);
  assert.ok(finalized >= 4);
  const peers = (await alice.rpc.system.peers()).length;
  assert.equal(peers, 3, 'Alice sees the three other validators');
});

test('with Dave killed, the three others still finalize new blocks', async () => {
  const alice = apis[0];
  process.kill(pidOf('dave'), 'SIGKILL');
  await sleep(1000);
  assert.throws(() => process.kill(pidOf('dave'), 0), 'Dave is gone');
  const head = await alice.rpc.chain.getFinalizedHead();
  const before = (await alice.rpc.chain.getHeader(head)).number.toNumber();
  const after = await waitForFinalized(alice, before + 4, 180_000);
  assert.ok(after >= before + 4, `finality advanced from ${before} to ${after} without Dave`);
});
