// polkadot.js apps in headless Chromium: its production build served on a loopback port, a page
// pointed at a node, and the steps a user takes in it (pick an account, a call, fill in its
// arguments, sign; query storage; make a runtime call), driven through the UI.

import { createServer } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

/**
 * The apps build to test: `$APPS_DIR`, or its `build/` folder when it has one (the layout of
 * `../shared/polkadot-js-apps`). Undefined when `APPS_DIR` is not set.
 */
export function appsBuild() {
  const dir = process.env.APPS_DIR;
  if (!dir) return undefined;
  return existsSync(join(dir, 'build', 'index.html')) ? join(dir, 'build') : dir;
}

const contentTypes = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves the static files of `root` on a free loopback port. Resolves with { url, close() }. */
export function serveApps(root) {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname));
    const file = path.endsWith('/') ? `${path}index.html` : path;
    try {
      const body = await readFile(join(root, file));
      response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}

/** How long apps may take to load its 21 MB bundle and connect, on a loaded machine. */
const LOAD_MS = 180_000;

/**
 * Opens apps at `appsUrl`, connected to the node at `rpcUrl`, in headless Chromium
 * ($CHROMIUM, default Debian's /usr/bin/chromium). Requests that leave the machine (a web
 * font) are refused. Screenshots go to `shotsDir`.
 */
export async function openApps(appsUrl, rpcUrl, shotsDir) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.setDefaultTimeout(60_000);
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  mkdirSync(shotsDir, { recursive: true });
  return new Apps(browser, page, `${appsUrl}?rpc=${encodeURIComponent(rpcUrl)}`, shotsDir);
}

/** A page of apps and what a user does on it. */
export class Apps {
  constructor(browser, page, base, shotsDir) {
    this.browser = browser;
    this.page = page;
    this.base = base;
    this.shotsDir = shotsDir;
  }

  close() {
    return this.browser.close();
  }

  /** Opens `route` (e.g. `/extrinsics`) and waits until its call selector is ready. */
  async open(route) {
    await this.page.goto(`${this.base}#${route}`);
    await this.page.locator('.ui--DropdownLinked').first().waitFor({ timeout: LOAD_MS });
  }

  /** Picks `section` and `method` in the page's two linked dropdowns (pallet or API, then call). */
  async choose(section, method) {
    const dropdowns = this.page.locator('.ui--DropdownLinked .ui.dropdown');
    await dropdowns.nth(0).click();
    await dropdowns.nth(0).locator('input.search').fill(section);
    await dropdowns.nth(0).locator('.item').filter({ hasText: new RegExp(`^${section}$`) }).click();
    await dropdowns.nth(1).click();
    await dropdowns.nth(1).locator('input.search').fill(method);
    await dropdowns.nth(1).locator('.item')
      .filter({ has: this.page.locator('.ui--DropdownLinked-Item-call', { hasText: new RegExp(`^${method}\\(`) }) })
      .click();
  }

  /**
   * Picks the signing account by its name (ALICE, BOB, ...); waits for apps to have loaded the
   * development accounts.
   */
  async signAs(name) {
    const account = this.page.locator('.ui--InputAddress').first();
    await account.locator('input.search').fill(name);
    await this.page.locator('.ui--InputAddress .menu .item').filter({ hasText: name.toUpperCase() }).first().click();
  }

  /** The text box of the argument labelled `label` (e.g. `nodeId: u32 (NodeId)`), by its label's start. */
  input(label) {
    return this.page.locator(`input[data-testid^="${label}"]`).first();
  }

  /** Fills in arguments: `{ 'nodeId:': 1, 'cru:': 2 }`, each key the start of its label. */
  async fill(values) {
    for (const [label, value] of Object.entries(values)) await this.input(label).fill(String(value));
  }

  /** Whether apps accepts what the argument labelled `label` holds (it marks a wrong one red). */
  async inputIsValid(label) {
    return !(await this.input(label).locator('xpath=..').getAttribute('class')).includes('error');
  }

  /**
   * Fills in the hash argument labelled `label` by "hash a file": apps hashes the file `name`
   * with contents `bytes` itself.
   */
  async hashFile(label, name, bytes) {
    const param = this.page.locator('.ui--Param-composite').filter({ hasText: label });
    await param.locator('.ui--Toggle').filter({ hasText: 'hash a file' }).click();
    await param.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  }

  /** Turns on "include option" for the optional argument whose label starts with `label`. */
  async includeOption(label) {
    await this.page.locator('.ui--Param-composite').filter({ hasText: label })
      .locator('.ui--Toggle').filter({ hasText: 'include option' }).first().click();
  }

  /**
   * The text of the output box labelled `label` ("encoded call data", ...) once it is `expected`
   * (apps updates it a moment after an input changes), or what it shows after 10 seconds.
   */
  async output(label, expected) {
    const box = this.page.locator('.ui--Output').filter({ hasText: label }).locator('.ui--output');
    await box.filter({ hasText: expected }).waitFor({ timeout: 10_000 }).catch(() => {});
    return box.innerText();
  }

  /**
   * Submits the transaction composed on the Extrinsics page: "Submit Transaction", then, in the
   * "authorize transaction" dialog, "Sign and Submit". Resolves once apps reports the call in
   * a block, with what the dialog said (`sender`, `fee`) and `outcome`: `ok`, or the error apps
   * names for a failed call (`smartContractModule.NodeNotFound`).
   */
  async signAndSubmit(callName) {
    // Earlier notifications are dismissed, so that what follows is this call's.
    await this.dismissNotifications();
    await this.page.getByRole('button', { name: 'Submit Transaction' }).click();
    const dialog = this.page.locator('.ui--Modal').filter({ hasText: 'authorize transaction' });
    const fee = await dialog.getByText(/Fees of/).innerText();
    const sender = await dialog.locator('.ui--InputAddress').first().innerText();
    await dialog.getByRole('button', { name: 'Sign and Submit' }).click();

    const item = (header, status) => this.page.locator('.ui--Status .item')
      .filter({ has: this.page.locator('.header', { hasText: header }) })
      .filter({ has: this.page.locator('.status', { hasText: status }) });
    await item(callName, /^(inblock|finalized)$/).waitFor({ timeout: LOAD_MS });
    const succeeded = item('system.ExtrinsicSuccess', /./);
    const failed = item('system.ExtrinsicFailed', /./);
    await succeeded.or(failed).first().waitFor();
    const outcome = await failed.count() > 0 ? await failed.locator('.status').innerText() : 'ok';
    return { fee, sender, outcome };
  }

  /** Closes apps' notifications (of transactions and their events), top right. */
  async dismissNotifications() {
    const notifications = this.page.locator('.ui--Status .item');
    const deadline = Date.now() + 30_000;
    while (await notifications.count() > 0) {
      assert.ok(Date.now() < deadline, 'the notifications are dismissed');
      await notifications.first().locator('svg[data-icon="xmark"]')
        .click({ force: true, timeout: 2000 }).catch(() => {}); // it may have gone by itself
    }
  }

  /**
   * Opens block `hash` in the Explorer and expands its event `name` (e.g.
   * `system.ExtrinsicFailed`). Resolves with the expanded event.
   */
  async blockEvent(hash, name) {
    await this.page.goto(`${this.base}#/explorer/query/${hash}`);
    const event = this.page.locator('.ui--Expander').filter({ hasText: name }).last();
    await event.locator('.ui--Expander-summary-header', { hasText: name }).click({ timeout: LOAD_MS });
    return event;
  }

  /**
   * Saves a screenshot as `<name>.png`, cropped to the box around `locators`, without
   * notifications in the way.
   */
  async screenshot(name, ...locators) {
    await this.dismissNotifications();
    const boxes = await Promise.all(locators.map((locator) => locator.boundingBox()));
    const left = Math.min(...boxes.map((b) => b.x));
    const top = Math.min(...boxes.map((b) => b.y));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    const [scrollX, scrollY] = await this.page.evaluate(() => [window.scrollX, window.scrollY]);
    const margin = 8;
    const path = join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({
      path,
      fullPage: true,
      clip: {
        x: Math.max(0, left + scrollX - margin),
        y: Math.max(0, top + scrollY - margin),
        width: right - left + 2 * margin,
        height: bottom - top + 2 * margin,
      },
    });
    return path;
  }
}
