#!/usr/bin/env node
// Takes a screenshot of the running demo after one turn, in headless Debian Chromium:
//   npm start            (in one terminal; no OPENAI_API_KEY → the embedded emulator)
//   node scripts/demo-screenshot.mjs [url] [out.png]
// It clicks "Say hello" (which starts the session and sends a turn), waits for the reply to finish in
// the transcript, then saves the page as a PNG (default .tmp/demo.png).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromiumFlags } from './chromium-flags.mjs';
import { findChrome } from './find-chrome.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const out = process.argv[3] ?? '.tmp/demo.png';
const executablePath = findChrome();
if (!executablePath) throw new Error('No Chromium found: install Debian chromium or set CHROME_PATH.');

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: chromiumFlags.filter((flag) => !flag.startsWith('--headless')),
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => customElements.get('charivo-realtime') !== undefined);
  // Push-to-talk, so the fake microphone moves the meter without starting turns of its own.
  await page.evaluate(() => document.querySelector('charivo-realtime').setAttribute('push-to-talk', ''));
  await page.click('button[data-say^="Hello"]');
  // After one turn: the reply has finished (status completed) and is in the transcript.
  await page.waitForFunction(
    () => {
      const session = document.querySelector('charivo-realtime');
      const text = document.querySelector('charivo-transcript')?.shadowRoot?.textContent ?? '';
      return session.state.response.status === 'completed' && text.includes('This is the emulator speaking');
    },
    { timeout: 30_000 },
  );
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`screenshot written to ${out}`);
} finally {
  await browser.close();
}
