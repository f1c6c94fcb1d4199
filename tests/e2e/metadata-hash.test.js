// Offline signers, a Ledger among them, show what they sign from the chain's metadata, and sign
// its hash (RFC 78: the metadata, merkleized, with the token's symbol and decimals) with the
// transaction: the CheckMetadataHash extension. A signature over the hash the runtime was built
// with (TFT, 7 decimals) is valid; over any other, it is not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { u8aToHex } from '@polkadot/util';
import { TFT } from './lib/chain.js';
import { useDevChain } from './lib/dev-chain.js';
import { submit, eventData } from './lib/tx.js';

const chain = useDevChain();
const ferdie = chain.keyring.addFromUri('//Ferdie');

/** The metadata hash an offline signer computes from the chain's metadata (version 15). */
async function metadataHash(api, tokenSymbol, decimals) {
  const metadata = (await api.call.metadata.metadataAtVersion(15)).unwrap().toU8a(true);
  return u8aToHex(merkleizeMetadata(metadata, { tokenSymbol, decimals }).digest());
}

test('transactions carry the CheckMetadataHash extension; the chain says TFT, 7 decimals', async () => {
  const { api } = chain;
  assert.ok(api.registry.signedExtensions.includes('CheckMetadataHash'));
  const properties = await api.rpc.system.properties();
  assert.equal(properties.tokenSymbol.unwrap()[0].toString(), 'TFT');
  assert.equal(properties.tokenDecimals.unwrap()[0].toNumber(), 7);
});

test("a transfer signed with the metadata's hash goes through", async () => {
  const { api, alice } = chain;
  const metadataHashValue = await metadataHash(api, 'TFT', 7);
  const { events, dispatchError } = await submit(api, api.tx.balances.transferKeepAlive(ferdie.address, TFT), alice,
    { mode: 1, metadataHash: metadataHashValue });
  assert.equal(dispatchError, null);
  assert.equal(eventData(events, api.events.balances.Transfer).amount.toBigInt(), TFT);
});

test('signed with the hash of other metadata (another token, other decimals), it is refused', async () => {
  const { api, alice } = chain;
  for (const [symbol, decimals] of [['TFT', 12], ['DOT', 7]]) {
    const wrong = await metadataHash(api, symbol, decimals);
    await assert.rejects(
      submit(api, api.tx.balances.transferKeepAlive(ferdie.address, TFT), alice, { mode: 1, metadataHash: wrong }),
      /bad signature/,
    );
  }
});
