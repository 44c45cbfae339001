// PouchDB to PouchDB (LevelDB) replication of the sync bench's synthetic
// sites (src-tauri/core/benches/sync.rs, `site_cells`): the peer Kizuna's
// initial sync is compared with. Run by .ci/peers, which installs PouchDB.
// Prints one line: `pouchdb_replicate_seconds <s> docs <n> batch_size <b>`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import PouchDB from "pouchdb-node";

const n = Number(process.env.KIZUNA_BENCH_SITES || 100000);
const batchSize = Number(process.env.POUCHDB_BATCH_SIZE || 100);
const pad = (i, w) => String(i).padStart(w, "0");

function site(i) {
  return {
    _id: `0190b000-0000-7000-8000-${pad(i, 12)}`,
    member_id: `0190a000-0000-7000-8000-${pad(i % 500, 12)}`,
    name: `拠点 ${i}`,
    name_en: `Site ${i}`,
    prefecture_code: ["03", "04", "07"][i % 3],
    municipality: `Town ${i % 40}`,
    address: `${i} Chome, Somewhere`,
    latitude: 38.0 + (i % 1000) / 1000,
    longitude: 141.0 + (i % 700) / 1000,
    sectors: ["shelter", "food"],
    status: "active",
    opened_on: "2011-04-01",
    closed_on: "2013-03-31",
    created_on: "2011-03-20",
    notes: `Synthetic benchmark site ${i}`,
    office_id: "tokyo",
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kizuna-peers-"));
try {
  const src = new PouchDB(path.join(dir, "src"));
  for (let i = 0; i < n; i += 5000) {
    const docs = [];
    for (let j = i; j < Math.min(n, i + 5000); j++) docs.push(site(j));
    await src.bulkDocs(docs);
  }
  const dst = new PouchDB(path.join(dir, "dst"));
  const t = performance.now();
  const result = await PouchDB.replicate(src, dst, { batch_size: batchSize });
  const seconds = (performance.now() - t) / 1000;
  const info = await dst.info();
  if (info.doc_count !== n || result.docs_written !== n) {
    throw new Error(`replicated ${info.doc_count} of ${n} documents (${result.docs_written} written)`);
  }
  console.log(`pouchdb_replicate_seconds ${seconds.toFixed(3)} docs ${n} batch_size ${batchSize}`);
  await src.close();
  await dst.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
