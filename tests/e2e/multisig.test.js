// A 2-of-3 multisig owns a twin and a contract, through pallet-multisig and no custom types.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMultiAddress, sortAddresses } from '@polkadot/util-crypto';
import { stringToU8a } from '@polkadot/util';
import { TFT, SS58, DEMO_NODE, DEMO_FARM } from './lib/chain.js';
import { eventData } from './lib/tx.js';
import { deploymentHash, VM } from './lib/deployment.js';
import { useDevChain } from './lib/dev-chain.js';

const chain = useDevChain();
const { keyring, ok, refused, reserved, twinDeposit, contractOf, twinOf, fund } = chain;

test('a 2-of-3 multisig owns a twin and a contract: one signer alone cannot act, two can', async () => {
  const { api } = chain;
  const signers = ['//ms/one', '//ms/two', '//ms/three'].map((uri) => keyring.addFromUri(uri));
  const addresses = signers.map((s) => s.address);
  const multisig = encodeMultiAddress(addresses, 2, SS58);
  await fund([...signers, multisig], 20n * TFT);

  const others = (signer) => sortAddresses(addresses.filter((a) => a !== signer.address), SS58);
  /** `first` approves `call` for the multisig; nothing happens yet. */
  async function approve(call, first) {
    const { weight } = await call.paymentInfo(multisig);
    await ok(api.tx.multisig.asMulti(2, others(first), null, call, weight), first);
    const pending = await api.query.multisig.multisigs(multisig, call.method.hash);
    assert.ok(pending.isSome, 'the call waits for a second approval');
    return { call, weight, when: pending.unwrap().when };
  }
  /** `second` approves too: the call runs as the multisig; returns its events. */
  async function execute({ call, weight, when }, second) {
    const events = await ok(api.tx.multisig.asMulti(2, others(second), when, call, weight), second);
    const executed = eventData(events, api.events.multisig.MultisigExecuted);
    assert.ok(executed.result.isOk, `the multisig's call succeeded: ${executed.result.toString()}`);
    return events;
  }

  const createTwin = await approve(api.tx.tfgridModule.createTwin(null, null), signers[0]);
  assert.ok((await api.query.tfgridModule.twinIdByAccount(multisig)).isNone, 'one approval creates nothing');
  await execute(createTwin, signers[1]);
  const twinId = await twinOf(multisig);

  // A signer alone acts only for their own account, which has no twin.
  const hash = deploymentHash(stringToU8a('multisig deployment'));
  assert.equal(await refused(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), signers[2]),
    'smartContractModule.TwinNotFound');

  const create = await approve(api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', VM, 1), signers[2]);
  assert.equal((await api.call.smartContractApi.nodeContracts(DEMO_NODE, null, 100)).length, 0);
  let events = await execute(create, signers[0]);
  const created = eventData(events, api.events.smartContractModule.ContractCreated);
  const contractId = created.contractId.toNumber();
  assert.equal(created.twinId.toNumber(), twinId);
  assert.equal(await reserved(multisig), twinDeposit() + created.deposit.toBigInt());

  const cancel = await approve(api.tx.smartContractModule.cancelContract(contractId), signers[1]);
  assert.ok((await contractOf(contractId)).isSome, 'one approval cancels nothing');
  events = await execute(cancel, signers[2]);
  assert.equal(eventData(events, api.events.smartContractModule.ContractCanceled).reason.type, 'CanceledByOwner');
  assert.ok((await contractOf(contractId)).isNone);
  assert.equal(await reserved(multisig), twinDeposit());
  assert.equal((await api.query.tfgridModule.farmIpCounts(DEMO_FARM)).free.toNumber(), 4);
});
