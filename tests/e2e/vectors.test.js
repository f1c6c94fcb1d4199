// The deployment's hash and encryption (docs/users.md, step 3) against the vectors the Rust
// client checks too (client/src/deployment.rs): both implementations agree byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { x25519 } from '@noble/curves/ed25519';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { deploymentHash, openWith, sealWith } from './lib/deployment.js';

const vectors = JSON.parse(readFileSync(new URL('../vectors/deployment.json', import.meta.url)));

test('the deployment hash matches the shared vectors', () => {
  for (const { deployment, hash } of vectors.hash) {
    assert.equal(u8aToHex(deploymentHash(hexToU8a(deployment))), hash);
  }
});

test('sealing matches the shared vectors, and the recipient opens them', () => {
  for (const vector of vectors.encryption) {
    const secretKey = hexToU8a(vector.recipientSecret);
    const publicKey = x25519.getPublicKey(secretKey);
    assert.equal(u8aToHex(publicKey), vector.recipientPublic);
    const sealed = sealWith(hexToU8a(vector.message), publicKey, hexToU8a(vector.ephemeralSecret),
      hexToU8a(vector.nonce));
    assert.equal(u8aToHex(sealed), vector.sealed);
    assert.equal(u8aToHex(openWith(hexToU8a(vector.sealed), { secretKey, publicKey })), vector.message);
  }
});
