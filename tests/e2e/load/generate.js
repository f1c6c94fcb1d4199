// The load generator behind scripts/load.sh: NODES grid nodes with CONTRACTS_PER_NODE live
// contracts each, whose nodes send consumption reports as fast as the chain takes them for
// DURATION seconds, on a --dev node or on the four-validator local testnet
// (scripts/local-testnet.sh, on loopback). Meanwhile, every 20 seconds, a user creates a
// contract (and on the dev chain Alice makes a sudo call), and the blocks each waits for
// inclusion are counted. Prints, per block, the reports billed, the block's fullness, each
// node's CPU and memory (on the testnet also each validator's time to import the block, the
// time to build its own and how far finality lags), the load generator's own CPU and how busy
// the machine's cores are, then a summary. Then the run's blocks are imported again by a fresh
// node with the machine to itself (`export-blocks`, `import-blocks`; with LOAD_STATE, into a
// fresh copy of that state), for the time a validator that has a core of its own takes for a
// block.
//
// Settings (environment): LOAD_NETWORK (`dev`, or `testnet`), LOAD_NODES (100),
// LOAD_CONTRACTS_PER_NODE (200: more reports than a block takes), LOAD_OWNERS_PER_NODE (1: one
// user owns all of a node's contracts; as many as its contracts: each contract has an owner of
// its own, the costliest batch to bill when its reports charge), LOAD_SECONDS (300 on dev, 1,800 on the testnet),
// LOAD_SESSION_LENGTH (testnet only: blocks a session lasts, 600 as on a live network; the
// testnet's own 5 would leave one block in five without reports), LOAD_INTERVAL
// (seconds: each node sends its reports every so often, whether or not the last batch is in a
// block yet, as nodes reporting on a schedule do, so that NODES * CONTRACTS_PER_NODE reports
// arrive every interval; by default a node sends again as soon as its last batch is in a block),
// LOAD_NODE_ARGS (more arguments for the nodes and for the one that imports the run's blocks
// again, e.g. `--trie-cache-size 67108864`), LOAD_STATE (dev only: a state that `scripts/benchmark.sh
// storage` or `hook` wrote, e.g. $HOME/.cache/gridchain/bench-state/1000000, which the node
// runs on a copy of, so that the chain starts with a big grid), LOAD_CHARGE_INTERVAL (seconds
// a contract's bills add up before its owner pays them, the pricing policy's `chargeInterval`:
// by default 24 report intervals (LOAD_INTERVAL, or 6 s), so that one report in 24 charges its
// owner, as on a grid that reports hourly and charges daily).

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToU8a } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { connect, TFT, GIB, DEMO_NODE, DEMO_FARM, devKeyring } from '../lib/chain.js';
import { freePort, repoRoot, runNode, startDevNode, waitForRpc } from '../lib/process.js';
import { eventData, expectOk, watchExtrinsic, signOffline, openConnections, sendWatched } from '../lib/tx.js';
import { deploymentHash, VM } from '../lib/deployment.js';

const TESTNET = (process.env.LOAD_NETWORK ?? 'dev') === 'testnet';
const NODES = Number(process.env.LOAD_NODES ?? 100);
const CONTRACTS_PER_NODE = Number(process.env.LOAD_CONTRACTS_PER_NODE ?? 200);
const OWNERS_PER_NODE = Number(process.env.LOAD_OWNERS_PER_NODE ?? 1);
/** How many of a node's contracts each of its owners has (the last owner may have fewer). */
const CONTRACTS_PER_OWNER = Math.ceil(CONTRACTS_PER_NODE / OWNERS_PER_NODE);
const SECONDS = Number(process.env.LOAD_SECONDS ?? (TESTNET ? 1_800 : 300));
const SESSION_LENGTH = Number(process.env.LOAD_SESSION_LENGTH ?? 600);
const INTERVAL = process.env.LOAD_INTERVAL ? Number(process.env.LOAD_INTERVAL) : null;
const CHARGE_INTERVAL = Number(process.env.LOAD_CHARGE_INTERVAL ?? 24 * (INTERVAL ?? 6));

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

/** The machine's CPU seconds, busy and in all, over all its cores, from /proc/stat. */
function machineCpu() {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9).map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  const all = ticks.reduce((a, b) => a + b, 0);
  return { busy: (all - idle) / 100, all: all / 100 };
}

/**
 * A validator's Prometheus metrics: the seconds it spent verifying and importing blocks from
 * the network and building its own (sums and counts of the histograms), and its best and
 * finalized block numbers.
 */
async function metrics(url) {
  const text = await (await fetch(url)).text();
  const value = (name, label = '') => {
    const match = new RegExp(`^${name}(?:\\{[^}]*${label}[^}]*\\})? (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  return {
    imported: value('substrate_block_verification_and_import_time_count'),
    importSeconds: value('substrate_block_verification_and_import_time_sum'),
    built: value('substrate_proposer_block_constructed_count'),
    buildSeconds: value('substrate_proposer_block_constructed_sum'),
    best: value('substrate_block_height', 'status="best"'),
    finalized: value('substrate_block_height', 'status="finalized"'),
  };
}

/**
 * Sends the signed `txs` over `providers`, 5,000 at a time (within the nodes' `--pool-limit`);
 * throws unless all are included.
 */
async function sendAll(providers, txs, what) {
  const results = [];
  for (let i = 0; i < txs.length; i += 5_000) {
    const hexes = txs.slice(i, i + 5_000).map((tx) => tx.toHex());
    results.push(...await Promise.all(await sendWatched(providers, hexes, { until: 120_000 })));
  }
  const failed = results.filter((r) => r.outcome !== 'included');
  if (failed.length > 0) throw new Error(`${what}: ${failed.length} not included, e.g. ${JSON.stringify(failed[0])}`);
  log(`${what}: ${results.length} transactions included`);
}

/**
 * A --dev node: the one validator, without metrics (it imports no block it did not build). With
 * LOAD_STATE, on a copy of that base path and the chain specification in it.
 */
async function startDev(extra) {
  const state = process.env.LOAD_STATE;
  const dir = mkdtempSync(join(tmpdir(), 'gridchain-load-'));
  const basePath = join(dir, 'dev');
  if (state) {
    log(`copying ${state} to ${basePath}`);
    cpSync(state, basePath, { recursive: true });
  } else {
    mkdirSync(basePath);
  }
  const chain = state ? ['--chain', join(basePath, 'dev.json')] : [];
  const node = await startDevNode(['--pool-limit', '20000', ...chain, ...extra], { basePath });
  return {
    validators: [{ name: 'dev', pid: node.child.pid, rpcUrl: node.rpcUrl, metricsUrl: null }],
    dir,
    // The blocks of a run on a copied state import onto another copy of that state.
    replay: { chain: state ? chain : ['--dev'], basePath, start: state },
    stop: () => node.stop(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The four validators of scripts/local-testnet.sh, with their metrics, on free loopback ports,
 * in sessions of SESSION_LENGTH blocks: `pallet-session` charges the block that starts a session
 * the whole block's weight, so the testnet's sessions of 5 blocks would leave one block in five
 * without reports, and a live network's sessions last an hour.
 */
async function startTestnet(extra) {
  const dir = mkdtempSync(join(tmpdir(), 'gridchain-load-'));
  const built = await runNode(['build-spec', '--chain', 'local']);
  if (built.code !== 0) throw new Error(`build-spec failed: ${built.stderr}`);
  const spec = JSON.parse(built.stdout);
  const genesis = spec.genesis.runtimeGenesis.patch;
  genesis.validatorSet.sessionLength = SESSION_LENGTH;
  genesis.smartContractModule.pricingPolicy.charge_interval = CHARGE_INTERVAL;
  const specPath = join(dir, 'local.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const ports = { p2p: [], rpc: [], prometheus: [] };
  for (let i = 0; i < 4; i += 1) {
    for (const list of Object.values(ports)) list.push(await freePort());
  }
  const child = spawn(join(repoRoot, 'scripts', 'local-testnet.sh'), [], {
    env: {
      ...process.env,
      TESTNET_DIR: dir,
      TESTNET_CHAIN: specPath,
      TESTNET_P2P_PORTS: ports.p2p.join(' '),
      TESTNET_RPC_PORTS: ports.rpc.join(' '),
      TESTNET_PROMETHEUS_PORTS: ports.prometheus.join(' '),
      TESTNET_NODE_ARGS: ['--pool-limit', '20000', ...extra].join(' '),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (const port of ports.rpc) await waitForRpc(`ws://127.0.0.1:${port}`, exited);
  const validators = ['alice', 'bob', 'charlie', 'dave'].map((name, i) => ({
    name,
    pid: Number(readFileSync(join(dir, `${name}.pid`), 'utf8')),
    rpcUrl: `ws://127.0.0.1:${ports.rpc[i]}`,
    metricsUrl: `http://127.0.0.1:${ports.prometheus[i]}/metrics`,
  }));
  log(`four validators, logs in ${dir}`);
  return {
    validators,
    dir,
    replay: { chain: ['--chain', specPath], basePath: join(dir, 'alice'), start: null },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function main() {
  const extra = (process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const network = TESTNET ? await startTestnet(extra) : await startDev(extra);
  try {
    const api = await connect(network.validators[0].rpcUrl);
    // Transactions go to every validator's RPC in turn, as node software would send them.
    const providers = (await Promise.all(network.validators
      .map((v) => openConnections(v.rpcUrl, Math.ceil(12 / network.validators.length))))).flat();
    let blocks;
    try {
      blocks = await run(api, providers, network.validators);
    } finally {
      await Promise.all(providers.map((p) => p.disconnect()));
      await api.disconnect();
    }
    await network.stop();
    await importAlone(network.replay, network.dir, blocks, extra);
  } finally {
    await network.stop();
    network.remove();
  }
}

async function run(api, providers, validators) {
  const keyring = devKeyring();
  const alice = keyring.addFromUri('//Alice');
  const operators = Array.from({ length: NODES }, (_, i) => keyring.addFromUri(`//load/node/${i}`));
  // users[i][j]: node i's owner j. Owners after the first get keys from a seed of their own:
  // a derivation from the development phrase takes milliseconds each, and thousands of them
  // would keep the connections from answering the node's pings until it closes them.
  const users = Array.from({ length: NODES }, (_, i) => Array.from({ length: OWNERS_PER_NODE },
    (_, j) => (j === 0 ? keyring.addFromUri(`//load/user/${i}`)
      : keyring.addFromSeed(blake2AsU8a(`load/user/${i}/${j}`)))));
  const prober = keyring.addFromUri('//load/prober');
  // The nodes' farm: the demo farm, Charlie's, on the dev chain; one of its own on the testnet.
  const farmer = TESTNET ? keyring.addFromUri('//load/farmer') : keyring.addFromUri('//Charlie');
  const batch = (calls) => api.tx.utility.batchAll(calls);

  log(`setting up ${NODES} nodes and ${NODES * CONTRACTS_PER_NODE} contracts of ${NODES * OWNERS_PER_NODE} owners`);
  // The testnet starts with the charge interval (startTestnet); the dev chain's is set by sudo.
  if (!TESTNET) {
    const policy = (await api.query.smartContractModule.currentPrices()).policy.unwrap().toJSON();
    await expectOk(api, api.tx.sudo.sudo(api.tx.smartContractModule.setPricingPolicy(
      { ...policy, chargeInterval: CHARGE_INTERVAL })), alice);
  }
  const chargeInterval = (await api.query.smartContractModule.currentPrices()).policy.unwrap().chargeInterval.toNumber();
  if (chargeInterval !== CHARGE_INTERVAL) throw new Error(`the charge interval is ${chargeInterval} s, not ${CHARGE_INTERVAL}`);
  log(`bills charged every ${CHARGE_INTERVAL} s`);
  // Alice's transfers, in batches of 1,000 (a block's weight holds about 2,000).
  const transfers = [
    // Reports of windows shorter than five minutes pay the fee: about 2 TFT a batch of 100.
    // A user pays its twin's deposit, a contract's deposit (0.6 TFT) and 3.6 TFT an hour for
    // its VM.
    ...operators.map((o) => api.tx.balances.transferKeepAlive(o.address, 3_000n * TFT)),
    ...users.flat().map((u) => api.tx.balances.transferKeepAlive(u.address,
      api.consts.tfgridModule.twinDeposit.toBigInt() + 20n * TFT * BigInt(CONTRACTS_PER_OWNER))),
    api.tx.balances.transferKeepAlive(prober.address, 100n * TFT),
    ...(TESTNET ? [api.tx.balances.transferKeepAlive(farmer.address, 1_000n * TFT)] : []),
  ];
  const aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const fundings = [];
  for (let k = 0; k < transfers.length; k += 1_000) {
    fundings.push(signOffline(api, batch(transfers.slice(k, k + 1_000)), alice, aliceNonce + fundings.length));
  }
  await sendAll(providers, fundings, 'accounts funded');
  // A batch of transfers that failed is still included: the last account funded tells.
  const lastFunded = users[NODES - 1][OWNERS_PER_NODE - 1].address;
  if ((await api.query.system.account(lastFunded)).data.free.toBigInt() === 0n) {
    throw new Error(`Alice's transfers failed: ${lastFunded} has nothing`);
  }
  let farmId = DEMO_FARM;
  if (TESTNET) {
    await expectOk(api, api.tx.tfgridModule.createTwin(null, null), farmer);
    farmId = eventData(await expectOk(api, api.tx.tfgridModule.createFarm('load-farm'), farmer),
      api.events.tfgridModule.FarmCreated).farmId.toNumber();
  }
  // Room for CONTRACTS_PER_NODE contracts of a VM each (2 cores, 4 GiB, 100 GiB SSD).
  const resources = {
    cru: VM.cru * CONTRACTS_PER_NODE, sru: VM.sru * BigInt(CONTRACTS_PER_NODE), hru: 0, mru: VM.mru * BigInt(CONTRACTS_PER_NODE),
  };
  await sendAll(providers, [...operators, ...users.flat(), prober]
    .map((a) => signOffline(api, api.tx.tfgridModule.createTwin(null, null), a, 0)), 'twins');
  // The farmer invites the operators' twins, then they register nodes.
  const operatorTwins = [];
  for (const o of operators) {
    operatorTwins.push((await api.query.tfgridModule.twinIdByAccount(o.address)).unwrap().toNumber());
  }
  await expectOk(api, batch(operatorTwins.map((twin) => api.tx.tfgridModule.inviteNode(farmId, twin))), farmer);
  await sendAll(providers, operators
    .map((o) => signOffline(api, api.tx.tfgridModule.createNode(farmId, resources), o, 1)), 'nodes');
  const nodeIds = [];
  for (const twin of operatorTwins) {
    nodeIds.push((await api.query.tfgridModule.nodeIdByTwin(twin)).unwrap().toNumber());
  }
  // Node i's owner j puts its CONTRACTS_PER_OWNER of the node's contracts on it, in batches of
  // 50.
  const hashOf = (i, k) => deploymentHash(stringToU8a(`load ${i} ${k}`));
  const creates = [];
  users.forEach((owners, i) => owners.forEach((u, j) => {
    const end = Math.min((j + 1) * CONTRACTS_PER_OWNER, CONTRACTS_PER_NODE);
    for (let k = j * CONTRACTS_PER_OWNER, nonce = 1; k < end; k += 50, nonce += 1) {
      const calls = [];
      for (let c = k; c < Math.min(k + 50, end); c += 1) {
        calls.push(api.tx.smartContractModule.createNodeContract(nodeIds[i], hashOf(i, c), '0x', VM, 0));
      }
      creates.push(signOffline(api, calls.length === 1 ? calls[0] : batch(calls), u, nonce));
    }
  }));
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

  // Measure every block from now on, one after the other; which node's contract each bill is
  // for, from the chain.
  const nodeOfContract = new Map();
  contracts.forEach((list, i) => list.forEach(([id]) => nodeOfContract.set(id, i)));
  const billedPerNode = operators.map(() => 0);
  const blocks = [];
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const sample = async (v) => ({ at: Date.now(), usage: usage(v.pid), metrics: v.metricsUrl ? await metrics(v.metricsUrl) : null });
  let previous = await Promise.all(validators.map(sample));
  // The load generator's own share of a core, and how busy the machine's cores are.
  const sampleHere = () => ({ at: Date.now(), generator: usage(process.pid).cpu, machine: machineCpu() });
  let previousHere = sampleHere();
  let measuring = true;
  let latest = await api.rpc.chain.getHeader();
  let measured = Promise.resolve();
  const measure = async (header) => {
    const at = await api.at(header.hash);
    const [events, weight, moment] = await Promise.all([
      at.query.system.events(), at.query.system.blockWeight(), at.query.timestamp.now()]);
    if (!measuring) return;
    const bills = events.filter(({ event }) => api.events.smartContractModule.ContractBilled.is(event));
    for (const { event } of bills) billedPerNode[nodeOfContract.get(event.data.contractId.toNumber())] += 1;
    const billed = bills.length;
    const rejected = events.filter(({ event }) => api.events.smartContractModule.ConsumptionReportRejected.is(event)).length;
    const now = await Promise.all(validators.map(sample));
    // Per validator since the last block: its share of a core, its memory, the average time it
    // took to import the blocks it received and to build its own, how far finality lags.
    const perValidator = validators.map((v, i) => {
      const [before, after] = [previous[i], now[i]];
      const row = {
        name: v.name,
        cpu: (after.usage.cpu - before.usage.cpu) / ((after.at - before.at) / 1000),
        rss: after.usage.rss,
        anon: after.usage.anon,
        file: after.usage.file,
      };
      if (after.metrics) {
        const imported = after.metrics.imported - before.metrics.imported;
        const built = after.metrics.built - before.metrics.built;
        row.importMs = imported > 0 ? (after.metrics.importSeconds - before.metrics.importSeconds) * 1000 / imported : null;
        row.buildMs = built > 0 ? (after.metrics.buildSeconds - before.metrics.buildSeconds) * 1000 / built : null;
        row.lag = after.metrics.best - after.metrics.finalized;
      }
      return row;
    });
    previous = now;
    const here = sampleHere();
    const generatorCpu = (here.generator - previousHere.generator) / ((here.at - previousHere.at) / 1000);
    const machineBusy = (here.machine.busy - previousHere.machine.busy) / (here.machine.all - previousHere.machine.all);
    previousHere = here;
    const fullness = Number(weight.normal.refTime.toBigInt() * 1000n / maxNormal) / 10;
    blocks.push({
      number: header.number.toNumber(), time: moment.toNumber(), billed, rejected, fullness, validators: perValidator,
      generatorCpu, machineBusy,
    });
    const ms = (x) => (x === null || x === undefined ? '-' : `${x.toFixed(0)} ms`);
    log(`#${header.number} billed ${billed} reports (${rejected} refused), normal weight ${fullness}% full; ` +
      perValidator.map((r) => `${r.name}: CPU ${(r.cpu * 100).toFixed(0)}%, RSS ${r.rss.toFixed(0)} MiB` +
        (r.lag === undefined ? ` (heap ${r.anon.toFixed(0)}, mapped files ${r.file.toFixed(0)})`
          : `, import ${ms(r.importMs)}, build ${ms(r.buildMs)}, finality lag ${r.lag}`)).join('; ') +
      `; load generator: CPU ${(generatorCpu * 100).toFixed(0)}%; machine: ${(machineBusy * 100).toFixed(0)}% busy`);
  };
  const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
    latest = header;
    if (measuring) measured = measured.then(() => measure(header)).catch((e) => log(`measuring #${header.number}: ${e}`));
  });
  // Report batches are signed mortal from the last finalized block, as wallets sign: every
  // validator has it, whereas the best block here may not have reached the validator a batch
  // goes to, which would refuse the batch (its signature covers that block's hash).
  let finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
  const unsubscribeFinalized = await api.rpc.chain.subscribeFinalizedHeads((header) => { finalized = header; });

  // Each node reports all its contracts, and again as soon as its last batch is in a block, or
  // with LOAD_INTERVAL every INTERVAL seconds, its turn spread over the interval. A batch still
  // waiting in the pool when the run ends is counted, not waited for.
  const deadline = Date.now() + SECONDS * 1000;
  const includedPerNode = operators.map(() => 0);
  let stalled = 0; // batches the pool never reported in a block
  // Whether a batch was refused. One the pool says it has already was taken, only not watched:
  // the fork-aware pool answers so when a new block's view took the batch from its mempool while
  // it was being submitted (a race, open as paritytech/polkadot-sdk#11419).
  const refused = (result) => result.outcome === 'refused' && !/Already Imported/.test(result.reason);
  const sent = { reports: 0, answerMs: [] }; // reports sent, and how long the node took to take each batch
  log(`reporting for ${SECONDS} s` + (INTERVAL ? `, each node every ${INTERVAL} s` : ''));
  const probing = probe(api, providers[0], alice, prober, TESTNET ? nodeIds[0] : DEMO_NODE, deadline, () => latest);
  const start = Date.now();
  await Promise.all(operators.map(async (o, i) => {
    let nonce = firstNonce;
    let timestamp = 0;
    // Signs node i's reports of all its contracts at once and sends them; resolves with the
    // batches' outcomes once the node has taken them.
    const report = async () => {
      // A few seconds ahead of the wall clock (the chain allows 60): after the confirmation's
      // block time even in the second the deployment was confirmed.
      timestamp = Math.max(timestamp + 1, Math.floor(Date.now() / 1000) + 5);
      const batches = [];
      for (let k = 0; k < contracts[i].length; k += 256) {
        const reports = contracts[i].slice(k, k + 256).map(([contractId]) => ({ contractId, timestamp, ...VM, nru: GIB / 1024n }));
        // Mortal, as node software signs by default: the batch that has waited longest goes first.
        batches.push(signOffline(api, api.tx.smartContractModule.addConsumptionReports(reports), o, nonce, finalized));
        nonce += 1;
        sent.reports += reports.length;
      }
      const outcomes = [];
      for (const tx of batches) {
        const wait = Math.max(deadline - Date.now(), 0) + 30_000;
        const sentAt = Date.now();
        const { answered, outcome } = watchExtrinsic(providers[i % providers.length], tx.toHex(), wait);
        await answered;
        sent.answerMs.push(Date.now() - sentAt);
        // Shown at once: the node's later batches wait for this nonce.
        outcome.then((r) => refused(r) && log(`node ${i}: a batch refused: ${r.reason}`));
        outcomes.push(outcome);
      }
      return outcomes;
    };
    // Counts the batches included and not; whether all were.
    const count = (results) => {
      for (const result of results) {
        if (result.outcome === 'included') includedPerNode[i] += 1;
        else if (refused(result)) throw new Error(`node ${i}: ${JSON.stringify(result)}`);
        else stalled += 1;
      }
      return results.every((result) => result.outcome === 'included');
    };
    if (INTERVAL) {
      // A turn does not wait for the node to answer the last: the schedule holds however long
      // a validator busy importing takes to validate a batch.
      const turns = [];
      for (let turn = 0; ; turn += 1) {
        const at = start + (turn + i / NODES) * INTERVAL * 1000;
        if (at >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
        turns.push(report());
      }
      count(await Promise.all((await Promise.all(turns)).flat()));
    } else {
      while (Date.now() < deadline) {
        if (!count(await Promise.all(await report()))) return;
      }
    }
  }));
  const probes = await probing;
  measuring = false;
  unsubscribe();
  unsubscribeFinalized();
  await measured;

  // Leave out the first and last blocks of the run: ramp-up and the tail.
  const billing = blocks.filter((b) => b.billed > 0);
  const run = billing.length > 6 ? billing.slice(2, -2) : billing;
  if (run.length === 0) throw new Error('no block billed a report');
  const sum = (f) => run.reduce((a, b) => a + f(b), 0);
  const avg = (f) => sum(f) / Math.max(run.length, 1);
  const stats = (values) => {
    const known = values.filter((x) => x !== null && x !== undefined);
    return known.length === 0 ? '-' : `average ${(known.reduce((a, b) => a + b, 0) / known.length).toFixed(0)}, ` +
      `max ${Math.max(...known).toFixed(0)} (${known.length} samples)`;
  };
  console.log('');
  console.log(`Summary over ${run.length} blocks of steady load (${TESTNET ? 'four validators' : 'one --dev node'}, ` +
    `${NODES} nodes, ${NODES * CONTRACTS_PER_NODE} contracts of ${NODES * OWNERS_PER_NODE} owners):`);
  console.log(`  reports billed per block: average ${avg((b) => b.billed).toFixed(0)}, ` +
    `min ${Math.min(...run.map((b) => b.billed))}, max ${Math.max(...run.map((b) => b.billed))}`);
  // From the first block of the steady load to the last, by the blocks' timestamps: the blocks
  // without reports and the slots without a block count too.
  const [first, last] = [run[0], run[run.length - 1]];
  const seconds = (last.time - first.time) / 1000;
  const after = blocks.filter((b) => b.number > first.number && b.number <= last.number);
  console.log(`  blocks: ${after.length} in ${Math.round(seconds / 6)} slots of 6 s after the first, ` +
    `${after.filter((b) => b.billed === 0).length} of them without reports`);
  console.log(`  reports billed per second: ${(after.reduce((a, b) => a + b.billed, 0) / seconds).toFixed(0)}`);
  console.log(`  reports refused: ${sum((b) => b.rejected)}`);
  console.log(`  reports sent: ${(sent.reports / SECONDS * 6).toFixed(0)} per 6 s on average over the ${SECONDS} s; ` +
    `a batch taken by the validator it was sent to, ms after sending: ${stats(sent.answerMs)}`);
  console.log(`  normal-class block weight used: average ${avg((b) => b.fullness).toFixed(1)}%`);
  console.log(`  report batches included per node, as the pool reported them: min ${Math.min(...includedPerNode)}, ` +
    `max ${Math.max(...includedPerNode)}; batches the pool never reported in a block: ${stalled}`);
  console.log(`  reports billed per node, from the chain's events: min ${Math.min(...billedPerNode)}, ` +
    `max ${Math.max(...billedPerNode)}`);
  for (const [what, waits] of Object.entries(probes)) {
    const included = waits.filter((w) => w !== null);
    console.log(`  ${what}: ${included.length} of ${waits.length} included, after ` +
      `${included.length ? Math.min(...included) : '-'} to ${included.length ? Math.max(...included) : '-'} blocks ` +
      `(average ${(included.reduce((a, b) => a + b, 0) / Math.max(included.length, 1)).toFixed(1)})`);
  }
  console.log(`  load generator: CPU average ${(avg((b) => b.generatorCpu) * 100).toFixed(0)}% of one core; ` +
    `the machine's ${cpus().length} cores: ${(avg((b) => b.machineBusy) * 100).toFixed(0)}% busy on average`);
  validators.forEach((v, i) => {
    const rows = run.map((b) => b.validators[i]);
    const first = rows[0];
    const last = rows[rows.length - 1];
    console.log(`  ${v.name}: CPU average ${(avg((b) => b.validators[i].cpu) * 100).toFixed(0)}% of one core; ` +
      `resident memory max ${Math.max(...rows.map((r) => r.rss)).toFixed(0)} MiB` +
      (first && last ? `, ${first.rss.toFixed(0)} → ${last.rss.toFixed(0)} MiB from the first to the last block ` +
        `(heap ${first.anon.toFixed(0)} → ${last.anon.toFixed(0)}, mapped files ${first.file.toFixed(0)} → ${last.file.toFixed(0)})` : ''));
    if (v.metricsUrl) {
      console.log(`    import of a block from another validator, ms: ${stats(rows.map((r) => r.importMs))}; ` +
        `building its own, ms: ${stats(rows.map((r) => r.buildMs))}; ` +
        `finality lag, blocks: ${stats(rows.map((r) => r.lag))}`);
    }
  });
  return blocks;
}

/**
 * The run's blocks imported again, one after the other, by a fresh node that has the machine to
 * itself: the chain of the node at `replay.basePath` (Alice on the testnet) exported
 * (`export-blocks`) and imported into a new database in `dir` (`import-blocks`) with the same
 * chain specification, each block verified and executed as a validator does; the database is a
 * copy of `replay.start`, the state the run started on, if there is one, and the node takes the
 * run's LOAD_NODE_ARGS (`extra`) too. The node logs (at trace level) when it has executed a block
 * and when it has written it to its database, so a block's import time runs from the end of its
 * parent's write to the end of its own. Prints it,
 * and the part that is the write, for the run's blocks with reports and apart for the fullest
 * of them: what a validator that has a core of its own takes for a block, which validators
 * sharing this machine do not show.
 */
async function importAlone(replay, dir, blocks, extra) {
  const file = join(dir, 'blocks.bin');
  log('exporting the blocks and importing them into a fresh node');
  const exported = await runNode(['export-blocks', ...replay.chain, '--base-path', replay.basePath,
    '--binary', file], { timeoutMs: 600_000 });
  if (exported.code !== 0) throw new Error(`export-blocks failed: ${exported.stderr}`);
  const importPath = join(dir, 'import');
  if (replay.start) cpSync(replay.start, importPath, { recursive: true });
  const imported = await runNode(['import-blocks', ...replay.chain, ...extra, '--base-path', importPath,
    '--binary', '--log=sc_service::client::client=trace,db=trace', file], { timeoutMs: 3_600_000 });
  if (imported.code !== 0) throw new Error(`import-blocks failed: ${imported.stderr}`);
  // Block number → when it was executed and when written (ms); a write follows its block's line.
  const executed = new Map();
  const written = new Map();
  let current = null;
  for (const line of imported.stderr.split('\n')) {
    const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) .*(?:Imported \S+, \(#(\d+)\)|DB Commit done)/.exec(line);
    if (!match) continue;
    const at = Date.parse(`${match[1]}T${match[2]}Z`);
    if (match[3] !== undefined) {
      current = Number(match[3]);
      executed.set(current, at);
    } else if (current !== null) {
      written.set(current, at);
    }
  }
  const timed = blocks.filter((b) => b.billed > 0 && written.has(b.number) && written.has(b.number - 1)
    && executed.has(b.number));
  if (timed.length === 0) throw new Error('import-blocks logged no block of the run with reports');
  const fullest = Math.max(...timed.map((b) => b.billed));
  const describe = (list) => {
    const ms = list.map((b) => written.get(b.number) - written.get(b.number - 1)).sort((x, y) => x - y);
    const writes = list.map((b) => written.get(b.number) - executed.get(b.number));
    const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
    const mean = (values) => (values.reduce((x, y) => x + y, 0) / values.length).toFixed(0);
    return `mean ${mean(ms)} ms (writing to the database ${mean(writes)} ms of it), median ${at(0.5)}, ` +
      `95th percentile ${at(0.95)}, max ${ms[ms.length - 1]}, over 2 s: ${ms.filter((x) => x > 2_000).length} ` +
      `(${ms.length} blocks)`;
  };
  console.log(`  import of the run's blocks by a fresh node alone (import-blocks), blocks with reports: ` +
    `${describe(timed)}; blocks of ${fullest} reports: ${describe(timed.filter((b) => b.billed === fullest))}`);
}

/**
 * Until `deadline`, every 20 seconds: `prober` creates a contract on grid node `node`
 * (reserving nothing) and, on the dev chain, Alice sets the TFT price to what it is through
 * sudo, each signed mortal, as wallets sign. Returns, per kind, how many blocks after the best
 * block at sending each was included (`null`: not within 60 seconds).
 */
async function probe(api, provider, alice, prober, node, deadline, best) {
  const waits = { 'user createNodeContract': [], ...(TESTNET ? {} : { 'sudo call': [] }) };
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
        api.tx.smartContractModule.createNodeContract(node, hash, '0x', nothing, 0), prober, proberNonce, header),
    };
    if (!TESTNET) {
      txs['sudo call'] = signOffline(api, api.tx.sudo.sudo(api.tx.smartContractModule.setTftPrice(price)), alice, aliceNonce, header);
    }
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
