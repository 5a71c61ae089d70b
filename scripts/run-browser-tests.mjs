#!/usr/bin/env node
// Runs @web/test-runner. As root on Linux it runs inside a fresh network namespace with only loopback
// up, so WebRTC in the tests cannot reach anything but 127.0.0.1 (../shared/FIELD-NOTES.md).
// Set CHARIVO_NO_NETNS=1 to run in the host namespace.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// tsx lets the config load the emulator and the route from their TypeScript sources.
// CHARIVO_WTR_CONFIG picks another config (the benchmarks use bench/wtr-bench.config.mjs).
const config = process.env.CHARIVO_WTR_CONFIG || 'web-test-runner.config.mjs';
// --expose-gc: CHARIVO_GC_STRESS=<ms> makes the runner collect garbage that often, so a native object
// (the emulator's WebRTC) finalized at a bad moment shows up in a local run, not only on CI.
const wtrArgs = ['--expose-gc', '--import', 'tsx', 'node_modules/.bin/wtr', '--config', config, ...process.argv.slice(2)];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canIsolate =
  isRoot && process.platform === 'linux' && !process.env.CHARIVO_NO_NETNS && existsSync('/usr/bin/unshare');

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  // A native crash (the emulator's WebRTC runs in this process) ends the run without a summary: say so.
  if (result.signal) console.error(`[browser tests] the test runner was killed by ${result.signal}`);
  if (result.error) console.error(`[browser tests] could not start the test runner: ${result.error.message}`);
  return result.status ?? 1;
}

if (canIsolate) {
  const probe = spawnSync('unshare', ['-n', 'true']);
  if (probe.status === 0) {
    const quoted = wtrArgs.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    console.log('[browser tests] isolated network namespace: loopback only');
    // A veth pair whose both ends stay in this namespace, plus a default route, makes Chromium report
    // navigator.onLine = true (the manager waits for `online` before reconnecting). Packets routed there
    // come back on the twin end and are dropped: only loopback traffic is ever delivered.
    const network = [
      'ip link set lo up',
      'ip link add charivo0 type veth peer name charivo1',
      'ip addr add 198.51.100.1/24 dev charivo0',
      'ip link set charivo0 up',
      'ip link set charivo1 up',
      'ip route add default via 198.51.100.2 dev charivo0 onlink',
    ].join(' && ');
    process.exit(run('unshare', ['-n', 'sh', '-c', `${network} && exec node ${quoted}`]));
  }
  console.log('[browser tests] unshare -n not permitted here; running in the host network namespace');
}
process.exit(run('node', wtrArgs));
