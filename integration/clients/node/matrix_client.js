// Runs named scenarios with the Node etcd3 client (pinned in package.json) against one endpoint
// and prints one JSON object: {"<scenario>": {"ok": true|false, "error": "...", "detail": {...}}}.
// A scenario reports what happened; integration/test_client_matrix.py decides whether that is
// what it expects. Usage: node matrix_client.js ENDPOINT PREFIX SCENARIOS [CA CERT KEY]
'use strict';
const fs = require('fs');
const { Etcd3, EtcdLockFailedError } = require('etcd3');

const [endpoint, prefix, names, ca, cert, key] = process.argv.slice(2);
const options = { hosts: ca ? `https://${endpoint}` : endpoint, dialTimeout: 5000 };
if (ca) {
  options.credentials = { rootCertificate: fs.readFileSync(ca), certChain: fs.readFileSync(cert),
                          privateKey: fs.readFileSync(key) };
}
// A client per scenario: etcd3's circuit breaker opens after errors a scenario provokes on
// purpose (a read below the compaction revision), which would fail the next scenarios' calls.
let client;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function watchers(key, n) {
  const list = [];
  for (let i = 0; i < n; i++) list.push(await client.watch().key(key).create());
  const events = list.map(w => new Promise(resolve => w.on('put', kv => resolve(kv.value.toString()))));
  await client.put(key).value('event');
  const seen = (await withTimeout(Promise.all(events), 5000, 'watch events')).filter(v => v === 'event').length;
  await Promise.all(list.map(w => w.cancel()));
  return { watchers: n, seen };
}

const scenarios = {
  async kv(p) {
    await client.put(p + 'k').value('v1');
    const got = await client.get(p + 'k').string();
    if (got !== 'v1') throw new Error(`get returned ${got}`);
    const deleted = (await client.delete().key(p + 'k')).deleted;
    return { deleted: Number(deleted) };
  },
  async range_prefix(p) {
    for (const k of ['r/a', 'r/b', 'r/c']) await client.put(p + k).value(k);
    const ranged = await client.getAll().inRange({ start: p + 'r/a', end: p + 'r/c' }).keys();
    const prefixed = await client.getAll().prefix(p + 'r/').keys();
    return { range: ranged.length, prefix: prefixed.length };
  },
  async txn(p) {
    await client.put(p + 't').value('old');
    const swap = async () => (await client.if(p + 't', 'Value', '==', 'old').then(client.put(p + 't').value('new'))
      .else(client.get(p + 't')).commit()).succeeded;
    return { first: await swap(), second: await swap() };
  },
  watch: p => watchers(p + 'w', 1),
  watch_many: p => watchers(p + 'wm', 10),
  async lease_keepalive(p) {
    const lease = client.lease(5);
    await lease.grant();
    await lease.put(p + 'l').value('leased');
    let answers = 0;
    await withTimeout(new Promise((resolve, reject) => {
      lease.on('keepaliveSucceeded', () => { if (++answers === 2) resolve(); });
      lease.on('lost', reject);
    }), 6000, 'two keep-alive answers');
    await lease.revoke();
    return { answers: Math.min(answers, 2) };  // one more may arrive before the revoke
  },
  async lease_refresh_once(p) {
    const lease = client.lease(30, { autoKeepAlive: false });
    await lease.grant();
    try {
      const res = await withTimeout(lease.keepaliveOnce(), 5000, 'keepaliveOnce');
      return { ttl: Number(res.TTL) };
    } finally {
      await lease.revoke();
    }
  },
  async lock(p) {
    const held = await client.lock(p + 'lock').ttl(10).acquire();
    let second = 'acquired';
    try {
      await (await client.lock(p + 'lock').ttl(10).acquire()).release();
    } catch (err) {
      second = err instanceof EtcdLockFailedError ? 'refused' : String(err.message);
    }
    await held.release();
    if (second !== 'refused' && second !== 'acquired') throw new Error(`the second acquire failed: ${second}`);
    return { second_holder_blocked: second === 'refused' };
  },
  async election(p) {
    const election = client.election(p + 'election', 10);
    const campaign = election.campaign('me');
    await withTimeout(campaign.wait(), 5000, 'campaign');
    const leader = await election.leader();
    if (leader !== 'me') throw new Error(`leader is ${leader}`);
    await campaign.resign();
    return { leader };
  },
  async compaction(p) {
    const first = await client.put(p + 'c').value('one').exec();
    const second = await client.put(p + 'c').value('two').exec();
    const old = await client.get(p + 'c').revision(first.header.revision).string();
    if (old !== 'one') throw new Error(`revision ${first.header.revision} read ${old}`);
    await client.kv.compact({ revision: second.header.revision, physical: true });
    try {
      await client.get(p + 'c').revision(first.header.revision).string();
    } catch (err) {
      if (/compacted/.test(err.message)) return { old_revision_readable: true, compacted_read_refused: true };
      throw err;
    }
    throw new Error('a read below the compaction revision succeeded');
  },
  async member_list() {
    const res = await client.cluster.memberList({});
    return { members: res.members.length, client_urls: res.members.flatMap(m => m.clientURLs) };
  },
};

(async () => {
  const results = {};
  for (const name of names.split(',')) {
    const run = scenarios[name];
    if (!run) {
      results[name] = { ok: false, error: 'no such scenario in the Node client driver' };
      continue;
    }
    client = new Etcd3(options);
    try {
      results[name] = { ok: true, detail: await withTimeout(run(prefix + name + '/'), 10000, name) };
    } catch (err) {
      results[name] = { ok: false, error: String(err && err.message || err) };
    }
    client.close();
  }
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0);
})();
