// What a user does with a deployment before it goes on chain: hash it, and encrypt it to their
// own key so that only they can read it back (docs/users.md describes the same steps).
//
// Encryption: ECIES over X25519. An ephemeral X25519 key agrees a secret with the recipient's
// public key, HKDF-SHA256 derives a 32-byte key from it, and NaCl secretbox (XSalsa20-Poly1305)
// encrypts with a random 24-byte nonce. The sealed bytes are
//   ephemeral public key (32) ‖ nonce (24) ‖ secretbox ciphertext (message + 16-byte tag).

import { x25519 } from '@noble/curves/ed25519';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { blake2AsU8a, naclEncrypt, naclDecrypt, randomAsU8a } from '@polkadot/util-crypto';
import { u8aConcat, stringToU8a } from '@polkadot/util';

const INFO = stringToU8a('gridchain deployment v1');

/** The deployment hash the chain stores: BLAKE2b-256 of the deployment's bytes. */
export const deploymentHash = (bytes) => blake2AsU8a(bytes, 256);

/**
 * What the tests' deployments reserve on their node: a small VM of 2 vCPUs, 4 GiB of memory
 * and 100 GiB of SSD (one compute unit and half a storage unit). Reports bill at most this.
 */
export const VM = { cru: 2, sru: 100n << 30n, hru: 0, mru: 4n << 30n };

/** A new X25519 key pair: the public key goes in the user's twin (`pk`). */
export function encryptionKeyPair() {
  const secretKey = x25519.utils.randomPrivateKey();
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

function sharedKey(secret, publicKey, ephemeralPublic, recipientPublic) {
  const shared = x25519.getSharedSecret(secret, publicKey);
  return hkdf(sha256, shared, u8aConcat(ephemeralPublic, recipientPublic), INFO, 32);
}

/** Encrypts `message` so that only the holder of `recipientPublic`'s secret key can read it. */
export function sealTo(message, recipientPublic) {
  return sealWith(message, recipientPublic, x25519.utils.randomPrivateKey(), randomAsU8a(24));
}

/**
 * `sealTo` with the ephemeral secret key and the nonce given: for the test vectors
 * (tests/vectors/deployment.json) only, as a repeated ephemeral key or nonce gives the message away.
 */
export function sealWith(message, recipientPublic, ephemeralSecret, nonce) {
  const ephemeralPublic = x25519.getPublicKey(ephemeralSecret);
  const key = sharedKey(ephemeralSecret, recipientPublic, ephemeralPublic, recipientPublic);
  const { encrypted } = naclEncrypt(message, key, nonce);
  return u8aConcat(ephemeralPublic, nonce, encrypted);
}

/** Decrypts what `sealTo` produced for the key pair `{ secretKey, publicKey }`; null if forged. */
export function openWith(sealed, { secretKey, publicKey }) {
  const ephemeralPublic = sealed.subarray(0, 32);
  const nonce = sealed.subarray(32, 56);
  const key = sharedKey(secretKey, ephemeralPublic, ephemeralPublic, publicKey);
  return naclDecrypt(sealed.subarray(56), nonce, key);
}
