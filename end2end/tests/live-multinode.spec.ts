import { test } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as path from 'path';
import { liveScenario } from './live-scenario';

// Two `oxidesk serve` processes on one PostgreSQL database, each polling the outbox only once an
// hour: everything live between them travels through LISTEN/NOTIFY.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'live updates need JavaScript');

const pgAdmin = process.env.OXIDESK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `oxidesk_e2e_${Date.now()}`;
const ports = [3221, 3222];
const nodes: ChildProcess[] = [];
let available = true;

function psql(sql: string) {
  execFileSync('psql', [pgAdmin, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' });
}

async function healthy(port: number) {
  for (let i = 0; i < 150; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`node on port ${port} did not start`);
}

function start(port: number, demo: boolean): ChildProcess {
  const root = path.resolve(__dirname, '../..');
  const bin = process.env.OXIDESK_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug/oxidesk');
  const child = spawn(bin, ['serve', ...(demo ? ['--demo'] : []), '--bind', `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      DATABASE_URL: pgAdmin.replace(/\/[^/]*$/, `/${database}`),
      OXIDESK_DATA_DIR: `/tmp/oxidesk-e2e-node-${port}`,
      OXIDESK_LIVE_POLL_INTERVAL_MS: '3600000',
      OXIDESK_LOG_LEVEL: 'warn',
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site'),
    },
    stdio: 'ignore',
  });
  nodes.push(child);
  return child;
}

test.beforeAll(async () => {
  try {
    psql(`CREATE DATABASE ${database}`);
  } catch (e) {
    if (process.env.OXIDESK_REQUIRE_PG === '1') throw e;
    available = false;
    return;
  }
  for (const port of ports) execFileSync('rm', ['-rf', `/tmp/oxidesk-e2e-node-${port}`]);
  start(ports[0], true);
  await healthy(ports[0]);
  start(ports[1], false);
  await healthy(ports[1]);
});

test.afterAll(async () => {
  for (const n of nodes) n.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (available) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

test('across two server processes on PostgreSQL: live queue, presence and typing, stale save refused', async ({ browser }) => {
  test.skip(!available, 'PostgreSQL unreachable (set OXIDESK_REQUIRE_PG=1 to fail instead)');
  await liveScenario(browser, `http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`);
});
