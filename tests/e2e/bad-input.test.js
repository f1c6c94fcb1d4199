// The node refuses bad input with a one-line error and a non-zero exit, never a panic trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, freePort } from './lib/process.js';

function assertCleanRefusal(result, expected) {
  assert.notEqual(result.code, 0, 'the node exits with an error code');
  assert.equal(result.signal, null, 'the node is not killed by a signal');
  assert.doesNotMatch(result.stderr, /panicked|RUST_BACKTRACE|stack backtrace/);
  assert.match(result.stderr, /^Error: /m);
  assert.match(result.stderr, expected);
}

test('a chain spec file that does not exist is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridchain-badspec-'));
  try {
    const missing = join(dir, 'no-such-spec.json');
    const result = await runNode(['--chain', missing, '--base-path', dir, '--no-prometheus']);
    assertCleanRefusal(result, /no-such-spec\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chain spec that is not valid JSON is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridchain-badspec-'));
  try {
    const spec = join(dir, 'broken.json');
    writeFileSync(spec, '{ "name": "broken", ');
    const result = await runNode(['--chain', spec, '--base-path', dir, '--no-prometheus']);
    assertCleanRefusal(result, /broken\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an RPC port that is already in use is refused', async () => {
  const busy = createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const { port } = busy.address();
  const dir = mkdtempSync(join(tmpdir(), 'gridchain-busyport-'));
  try {
    const p2p = await freePort();
    const result = await runNode([
      '--dev', '--base-path', dir, '--rpc-port', String(port),
      '--listen-addr', `/ip4/127.0.0.1/tcp/${p2p}`, '--no-prometheus', '--no-mdns',
    ]);
    assertCleanRefusal(result, new RegExp(`${port}|[Aa]ddress already in use`));
  } finally {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
