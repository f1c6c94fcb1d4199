// The load generator behind scripts/load.sh: a --dev node with NODES grid nodes and
// NODES × CONTRACTS_PER_NODE live contracts, whose nodes send consumption reports as fast as the
// chain takes them for DURATION seconds. Meanwhile, every 20 seconds, a user creates a contract
// and Alice makes a sudo call, and the blocks each waits for inclusion are counted. Prints, per
// block, the reports billed, the block's fullness and the node's CPU and memory, then a summary.
//
// Settings (environment): LOAD_NODES (100), LOAD_CONTRACTS_PER_NODE (100), LOAD_SECONDS (300),
// LOAD_NODE_ARGS (more arguments for the node, e.g. `--trie-cache-size 67108864`).

import { readFileSync } from 'node:fs';
import { stringToU8a } from '@polkadot/util';
import { connect, TFT, GIB, TIB, DEMO_NODE, DEMO_FARM, devKeyring } from '../lib/chain.js';
import { startDevNode } from '../lib/process.js';
import { expectOk, watchExtrinsic, signOffline, openConnections, sendWatched } from '../lib/tx.js';
import { deploymentHash, VM } from '../lib/deployment.js';

const NODES = Number(process.env.LOAD_NODES ?? 100);
const CONTRACTS_PER_NODE = Number(process.env.LOAD_CONTRACTS_PER_NODE ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 300);

const log = (...args) => console.log(new Date().toISOString().slice(11, 19), ...args);

/**
 * CPU seconds and resident memory (MiB) of process `pid`, from /proc: all of it (`rss`), the
 * process's own heap (`anon`), and pages of mapped files (`file`: the database's memory-mapped
 * tables, which the kernel can drop and read again).
 */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]) / 1024;
  return { cpu: ticks / 100, rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile') + mib('RssShmem') };
}

/** Sends the signed `txs` over `providers`; throws unless all are included. */
async function sendAll(providers, txs, what) {
  const outcomes = await sendWatched(providers, txs.map((tx) => tx.toHex()), { until: 120_000 });
  const results = await Promise.all(outcomes);
  const failed = results.filter((r) => r.outcome !== 'included');
  if (failed.length > 0) throw new Error(`${what}: ${failed.length} not included, e.g. ${JSON.stringify(failed[0])}`);
  log(`${what}: ${results.length} transactions included`);
}

async function main() {
  const extra = (process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const node = await startDevNode(['--pool-limit', '20000', ...extra]);
  const api = await connect(node.rpcUrl);
  const providers = await openConnections(node.rpcUrl, 12);
  try {
    await run(api, providers, node.child.pid);
  } finally {
    await Promise.all(providers.map((p) => p.disconnect()));
    await api.disconnect();
    await node.stop();
  }
}

async function run(api, providers, pid) {
  const keyring = devKeyring();
  const alice = keyring.addFromUri('//Alice');
  const operators = Array.from({ length: NODES }, (_, i) => keyring.addFromUri(`//load/node/${i}`));
  const users = Array.from({ length: NODES }, (_, i) => keyring.addFromUri(`//load/user/${i}`));
  const prober = keyring.addFromUri('//load/prober');
  const batch = (calls) => api.tx.utility.batchAll(calls);

  log(`setting up ${NODES} nodes and ${NODES * CONTRACTS_PER_NODE} contracts`);
  await expectOk(api, batch([
    // Reports of windows shorter than five minutes pay the fee: about 2 TFT a batch of 100.
    ...operators.map((o) => api.tx.balances.transferKeepAlive(o.address, 1_000n * TFT)),
    ...users.map((u) => api.tx.balances.transferKeepAlive(u.address, 5_000n * TFT)),
    api.tx.balances.transferKeepAlive(prober.address, 100n * TFT),
  ]), alice);
  // Room for 100 contracts of a VM each (2 cores, 4 GiB, 100 GiB SSD).
  const resources = { cru: 256, sru: 16n * TIB, hru: 0, mru: 512n * GIB };
  await sendAll(providers, [...operators, ...users, prober]
    .map((a) => signOffline(api, api.tx.tfgridModule.createTwin(null, null), a, 0)), 'twins');
  // Charlie owns the demo farm: he invites the operators' twins, then they register nodes.
  const operatorTwins = [];
  for (const o of operators) {
    operatorTwins.push((await api.query.tfgridModule.twinIdByAccount(o.address)).unwrap().toNumber());
  }
  await expectOk(api, batch(operatorTwins.map((twin) => api.tx.tfgridModule.inviteNode(DEMO_FARM, twin))),
    keyring.addFromUri('//Charlie'));
  await sendAll(providers, operators
    .map((o) => signOffline(api, api.tx.tfgridModule.createNode(DEMO_FARM, resources), o, 1)), 'nodes');
  const nodeIds = [];
  for (const twin of operatorTwins) {
    nodeIds.push((await api.query.tfgridModule.nodeIdByTwin(twin)).unwrap().toNumber());
  }
  // User i puts CONTRACTS_PER_NODE contracts on node i, in batches of 50.
  const hashOf = (i, k) => deploymentHash(stringToU8a(`load ${i} ${k}`));
  const creates = [];
  users.forEach((u, i) => {
    for (let k = 0, nonce = 1; k < CONTRACTS_PER_NODE; k += 50, nonce += 1) {
      const calls = [];
      for (let c = k; c < Math.min(k + 50, CONTRACTS_PER_NODE); c += 1) {
        calls.push(api.tx.smartContractModule.createNodeContract(nodeIds[i], hashOf(i, c), '0x', VM, 0));
      }
      creates.push(signOffline(api, batch(calls), u, nonce));
    }
  });
  await sendAll(providers, creates, 'contracts created');
  const contracts = []; // per node: [contractId, hash][]
  for (const nodeId of nodeIds) {
    const page = await api.call.smartContractApi.nodeContracts(nodeId, null, 1_000);
    contracts.push(page.map(([id, hash]) => [id.toNumber(), hash]));
  }
  const confirms = [];
  operators.forEach((o, i) => {
    for (let k = 0, nonce = 2; k < contracts[i].length; k += 50, nonce += 1) {
      const calls = contracts[i].slice(k, k + 50).map(([id, hash]) => api.tx.smartContractModule.confirmDeployment(id, hash));
      confirms.push(signOffline(api, batch(calls), o, nonce));
    }
  });
  await sendAll(providers, confirms, 'deployments confirmed');
  const firstNonce = 2 + Math.ceil(CONTRACTS_PER_NODE / 50);

  // Measure every block from now on; which node's contract each bill is for, from the chain.
  const nodeOfContract = new Map();
  contracts.forEach((list, i) => list.forEach(([id]) => nodeOfContract.set(id, i)));
  const billedPerNode = operators.map(() => 0);
  const blocks = [];
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  let previous = usage(pid);
  let previousAt = Date.now();
  let measuring = true;
  let latest = await api.rpc.chain.getHeader();
  const unsubscribe = await api.rpc.chain.subscribeNewHeads(async (header) => {
    latest = header;
    if (!measuring) return;
    const at = await api.at(header.hash);
    const [events, weight] = await Promise.all([at.query.system.events(), at.query.system.blockWeight()]);
    if (!measuring) return;
    const bills = events.filter(({ event }) => api.events.smartContractModule.ContractBilled.is(event));
    for (const { event } of bills) billedPerNode[nodeOfContract.get(event.data.contractId.toNumber())] += 1;
    const billed = bills.length;
    const rejected = events.filter(({ event }) => api.events.smartContractModule.ConsumptionReportRejected.is(event)).length;
    const now = usage(pid);
    const elapsed = (Date.now() - previousAt) / 1000;
    const cpu = (now.cpu - previous.cpu) / elapsed;
    previous = now;
    previousAt = Date.now();
    const fullness = Number(weight.normal.refTime.toBigInt() * 1000n / maxNormal) / 10;
    blocks.push({ number: header.number.toNumber(), billed, rejected, fullness, cpu, rss: now.rss, anon: now.anon, file: now.file });
    log(`#${header.number} billed ${billed} reports (${rejected} refused), normal weight ${fullness}% full, ` +
      `node CPU ${(cpu * 100).toFixed(0)}%, RSS ${now.rss.toFixed(0)} MiB ` +
      `(heap ${now.anon.toFixed(0)}, mapped files ${now.file.toFixed(0)})`);
  });

  // Each node reports all its contracts, sends again as soon as its last batch is in a block.
  // A batch still waiting in the pool when the run ends is counted, not waited for.
  const deadline = Date.now() + SECONDS * 1000;
  const includedPerNode = operators.map(() => 0);
  let stalled = 0; // nodes whose batch the pool never reported in a block
  log(`reporting for ${SECONDS} s`);
  const probing = probe(api, providers[0], alice, prober, deadline, () => latest);
  await Promise.all(operators.map(async (o, i) => {
    let nonce = firstNonce;
    let timestamp = 0;
    while (Date.now() < deadline) {
      // A few seconds ahead of the wall clock (the chain allows 60): after the confirmation's
      // block time even in the second the deployment was confirmed.
      timestamp = Math.max(timestamp + 1, Math.floor(Date.now() / 1000) + 5);
      for (let k = 0; k < contracts[i].length; k += 256) {
        const reports = contracts[i].slice(k, k + 256).map(([contractId]) => ({ contractId, timestamp, ...VM, nru: GIB / 1024n }));
        // Mortal, as node software signs by default: the batch that has waited longest goes first.
        const tx = signOffline(api, api.tx.smartContractModule.addConsumptionReports(reports), o, nonce, latest);
        nonce += 1;
        const wait = Math.max(deadline - Date.now(), 0) + 30_000;
        const { answered, outcome } = watchExtrinsic(providers[i % providers.length], tx.toHex(), wait);
        await answered;
        const result = await outcome;
        if (result.outcome === 'included') includedPerNode[i] += 1;
        else if (result.outcome === 'refused') throw new Error(`node ${i}: ${JSON.stringify(result)}`);
        else {
          stalled += 1;
          return;
        }
      }
    }
  }));
  const probes = await probing;
  measuring = false;
  unsubscribe();
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the last block's reads end

  // Leave out the first and last blocks of the run: ramp-up and the tail.
  const billing = blocks.filter((b) => b.billed > 0);
  const run = billing.length > 6 ? billing.slice(2, -2) : billing;
  const sum = (f) => run.reduce((a, b) => a + f(b), 0);
  const avg = (f) => sum(f) / Math.max(run.length, 1);
  console.log('');
  console.log(`Summary over ${run.length} blocks of steady load (${NODES} nodes, ${NODES * CONTRACTS_PER_NODE} contracts):`);
  console.log(`  reports billed per block: average ${avg((b) => b.billed).toFixed(0)}, ` +
    `min ${Math.min(...run.map((b) => b.billed))}, max ${Math.max(...run.map((b) => b.billed))}`);
  console.log(`  reports billed per second: ${(avg((b) => b.billed) / 6).toFixed(0)}`);
  console.log(`  reports refused: ${sum((b) => b.rejected)}`);
  console.log(`  normal-class block weight used: average ${avg((b) => b.fullness).toFixed(1)}%`);
  console.log(`  report batches included per node, as the pool reported them: min ${Math.min(...includedPerNode)}, ` +
    `max ${Math.max(...includedPerNode)}; nodes still waiting on a batch the pool never reported in a block: ${stalled}`);
  console.log(`  reports billed per node, from the chain's events: min ${Math.min(...billedPerNode)}, ` +
    `max ${Math.max(...billedPerNode)}`);
  for (const [what, waits] of Object.entries(probes)) {
    const included = waits.filter((w) => w !== null);
    console.log(`  ${what}: ${included.length} of ${waits.length} included, after ` +
      `${included.length ? Math.min(...included) : '-'} to ${included.length ? Math.max(...included) : '-'} blocks ` +
      `(average ${(included.reduce((a, b) => a + b, 0) / Math.max(included.length, 1)).toFixed(1)})`);
  }
  console.log(`  node CPU: average ${(avg((b) => b.cpu) * 100).toFixed(0)}% of one core; ` +
    `resident memory: max ${Math.max(...run.map((b) => b.rss)).toFixed(0)} MiB`);
  const first = run[0];
  const last = run[run.length - 1];
  if (first && last) {
    console.log(`  resident memory from the first to the last block: ${first.rss.toFixed(0)} → ${last.rss.toFixed(0)} MiB; ` +
      `heap ${first.anon.toFixed(0)} → ${last.anon.toFixed(0)} MiB, mapped files ${first.file.toFixed(0)} → ${last.file.toFixed(0)} MiB`);
  }
}

/**
 * Until `deadline`, every 20 seconds: `prober` creates a contract on the demo node (reserving
 * nothing) and Alice sets the TFT price to what it is through sudo, each signed mortal, as
 * wallets sign. Returns, per kind, how many blocks after the best block at sending each was
 * included (`null`: not within 60 seconds).
 */
async function probe(api, provider, alice, prober, deadline, best) {
  const waits = { 'user createNodeContract': [], 'sudo call': [] };
  let proberNonce = (await api.rpc.system.accountNextIndex(prober.address)).toNumber();
  let aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const price = (await api.query.smartContractModule.currentPrices()).tftPrice;
  const nothing = { cru: 0, sru: 0, hru: 0, mru: 0 };
  for (let k = 0; Date.now() + 20_000 < deadline; k += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const header = best();
    const sent = header.number.toNumber();
    const hash = deploymentHash(stringToU8a(`load probe ${k}`));
    const txs = {
      'user createNodeContract': signOffline(api,
        api.tx.smartContractModule.createNodeContract(DEMO_NODE, hash, '0x', nothing, 0), prober, proberNonce, header),
      'sudo call': signOffline(api, api.tx.sudo.sudo(api.tx.smartContractModule.setTftPrice(price)), alice, aliceNonce, header),
    };
    proberNonce += 1;
    aliceNonce += 1;
    await Promise.all(Object.entries(txs).map(async ([what, tx]) => {
      const { outcome } = watchExtrinsic(provider, tx.toHex(), 60_000);
      const result = await outcome;
      if (result.outcome !== 'included') {
        waits[what].push(null);
        return;
      }
      const block = (await api.rpc.chain.getHeader(result.block)).number.toNumber();
      waits[what].push(block - sent);
    }));
  }
  return waits;
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
