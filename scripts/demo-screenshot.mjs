#!/usr/bin/env node
// Takes a screenshot of the running demo after one spoken turn, in headless Debian Chromium:
//   npm start            (in one terminal; no OPENAI_API_KEY → the embedded emulator)
//   node scripts/demo-screenshot.mjs [url] [out.png]
// The fake microphone says one sentence and then stays silent for a while (a WAV this script makes
// with the emulator's synthesizer), so the assistant's reply plays to its end. The script presses
// Start, waits until the transcript holds the user's words and the finished reply, and saves the
// first screen (1280×860) as a PNG (default .tmp/demo.png).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromiumFlags } from './chromium-flags.mjs';
import { findChrome } from './find-chrome.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const out = process.argv[3] ?? '.tmp/demo.png';
const executablePath = findChrome();
if (!executablePath) throw new Error('No Chromium found: install Debian chromium or set CHROME_PATH.');

const mic = resolve('.tmp/demo-screenshot-mic.wav');
const made = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-fake-mic.ts', mic, '15'], { stdio: 'inherit' });
if (made.status !== 0) throw new Error('could not write the fake microphone file');

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: [...chromiumFlags.filter((flag) => !flag.startsWith('--headless')), `--use-file-for-fake-audio-capture=${mic}`],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => window.charivoDemo !== undefined && customElements.get('charivo-realtime') !== undefined);
  // Listen before starting: the user's final transcript and the reply that follows it.
  await page.evaluate(() => {
    const session = document.querySelector('charivo-realtime');
    window.turn = { user: '', reply: '' };
    session.addEventListener('charivo-user-transcript', (event) => {
      if (event.detail.final && !window.turn.user) window.turn.user = event.detail.text;
    });
    session.addEventListener('charivo-assistant-done', (event) => {
      if (window.turn.user && event.detail.status === 'completed') window.turn.reply = event.detail.text;
    });
  });
  // Press Start as a user does (the button inside <charivo-controls>).
  await page.evaluate(() => document.querySelector('charivo-controls').shadowRoot.querySelector('[part~="start"]').click());
  await page.waitForFunction(
    () => {
      const text = document.querySelector('charivo-transcript')?.shadowRoot?.textContent ?? '';
      return window.turn.reply !== '' && text.includes(window.turn.user) && text.includes(window.turn.reply);
    },
    { timeout: 45_000 },
  );
  // Let the avatar close its mouth and the figures settle.
  await page.waitForFunction(() => !document.querySelector('charivo-realtime').state.audioPlaying, { timeout: 15_000 });
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  const turn = await page.evaluate(() => window.turn);
  console.log(`screenshot written to ${out} (you: "${turn.user}"; assistant: "${turn.reply}")`);
} finally {
  await browser.close();
}
