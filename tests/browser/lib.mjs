// Shared helpers of kring's browser tests (smoke.mjs, journeys.mjs, ...).
//
// Each test script is one process: it starts its own kring server on a fresh
// database in a temporary directory, drives Debian's Chromium through
// playwright-core, reports one line per step and ends with
// "N passed, M failed". Everything is bounded by timeouts and a watchdog.
//
// A script calls run({ name, setup, journey }) and keeps its steps to itself;
// see smoke.mjs for the smallest example.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.join(HERE, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
];

export const WHOLE_RUN_MS = 55_000;    // default watchdog for an entire script
export const SERVER_START_MS = 15_000; // wait for "listening on ..."
export const SERVER_STOP_MS = 5_000;   // SIGTERM grace before SIGKILL
export const BROWSER_LAUNCH_MS = 20_000;
export const ACTION_MS = 10_000;       // each click, fill, wait
export const NAVIGATION_MS = 10_000;
export const CLI_MS = 10_000;          // each `kring ...` command run before the server

const state = {
	passed: 0,
	failed: 0,
	server: null,     // child process
	serverLog: '',    // its stderr, for diagnostics
	serverDied: null, // how it ended, if it ended before we stopped it
	browser: null,
	tmpDir: null,
};

// ------------------------------------------------------------ reporting

export function fail(message) {
	throw new Error(message);
}

export function assert(cond, message) {
	if (!cond)
		fail(message);
}

// Runs one step; prints "ok - name" or "FAIL - name: why". Returns false on
// failure so the journey can stop (later steps depend on earlier ones).
export async function step(name, fn) {
	try {
		const detail = await fn();
		state.passed++;
		console.log(`ok   ${state.passed + state.failed} - ${name}${detail ? ` (${detail})` : ''}`);
		return true;
	} catch (err) {
		state.failed++;
		console.log(`FAIL ${state.passed + state.failed} - ${name}`);
		console.log(`     ${String(err && err.message || err).split('\n').join('\n     ')}`);
		return false;
	}
}

// Runs [name, fn] steps in order and stops at the first failure, saving a
// screenshot of every page in `pages` ({ label: page }; the label '' gives
// failure.png, 'asker' gives failure-asker.png). A step given as
// [name, fn, { soft: true }] checks something later steps do not depend on:
// its failure is counted and reported, and the journey goes on.
export async function runSteps(steps, pages) {
	const before = state.passed + state.failed;
	for (const [name, fn, opts] of steps) {
		if (await step(name, fn))
			continue;
		const n = state.passed + state.failed;
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		for (const [label, page] of Object.entries(typeof pages === 'function' ? pages() : pages)) {
			if (!page || page.isClosed())
				continue;
			const file = opts && opts.soft ? `failure-${n}${label ? `-${label}` : ''}.png`
				: label ? `failure-${label}.png` : 'failure.png';
			await withTimeout(page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true }),
				5000, 'failure screenshot').catch(() => {});
			console.log(`     ${label ? `${label} ` : ''}at ${page.url()}; screenshot screenshots/${file}`);
		}
		if (opts && opts.soft) {
			console.log('     (later steps do not depend on this one; going on)');
			continue;
		}
		if (state.serverDied)
			console.log(`     the kring server ended during the run (${state.serverDied})`);
		const skipped = steps.length - (state.passed + state.failed - before);
		if (skipped > 0)
			console.log(`     ${skipped} later step(s) not run`);
		return false;
	}
	return true;
}

export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- server

// Runs `kring ARGS...` to completion (before the server starts), with `input`
// on stdin. Fails with its output when it does not exit 0 in time.
export function kringCli(bin, args, input = '') {
	const res = spawnSync(bin, args, { input, encoding: 'utf8', timeout: CLI_MS, killSignal: 'SIGKILL' });
	if (res.error)
		fail(`kring ${args.join(' ')}: ${res.error.message}`);
	if (res.status !== 0)
		fail(`kring ${args.join(' ')} ended with ${res.signal ? `signal ${res.signal}` : `exit code ${res.status}`}:\n` +
			`${res.stdout}${res.stderr}`.trim());
	return `${res.stdout}${res.stderr}`.trim();
}

export function startServer(bin, dbPath) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, ['serve', '--db', dbPath, '--port', '0', '--bind', '127.0.0.1'], {
			stdio: ['ignore', 'pipe', 'pipe'],
			// a template name that falls through to an enclosing object
			// fails the page (src/render/template.h)
			env: { KRING_TEMPLATE_STRICT: '1', ...process.env },
		});
		state.server = child;
		let done = false;
		let pending = '';
		const finish = (err, port) => {
			if (done)
				return;
			done = true;
			clearTimeout(timer);
			err ? reject(err) : resolve(port);
		};
		const timer = setTimeout(() => finish(new Error(
			`kring did not print "listening on http://127.0.0.1:PORT" within ${SERVER_START_MS} ms; its stderr:\n${state.serverLog}`)),
			SERVER_START_MS);
		child.stdout.on('data', (d) => { state.serverLog += d; });
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk) => {
			state.serverLog += chunk;
			pending += chunk;
			let nl;
			while ((nl = pending.indexOf('\n')) >= 0) {
				const line = pending.slice(0, nl);
				pending = pending.slice(nl + 1);
				const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
				if (m)
					finish(null, Number(m[1]));
			}
		});
		child.on('error', (err) => finish(new Error(`cannot start ${bin}: ${err.message}`)));
		child.on('exit', (code, signal) => {
			if (state.server === child)
				state.serverDied = signal ? `killed by ${signal}` : `exit code ${code}`;
			finish(new Error(`kring exited before listening (code ${code}, signal ${signal}); its stderr:\n${state.serverLog}`));
		});
	});
}

export async function stopServer() {
	const child = state.server;
	state.server = null;
	if (!child || child.exitCode !== null || child.signalCode !== null)
		return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	let timer;
	const late = new Promise((resolve) => { timer = setTimeout(() => resolve('late'), SERVER_STOP_MS); });
	const how = await Promise.race([exited, late]);
	clearTimeout(timer);
	if (how === 'late') {
		console.log(`note: kring did not stop within ${SERVER_STOP_MS} ms of SIGTERM; sending SIGKILL`);
		child.kill('SIGKILL');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
	}
}

// --------------------------------------------------------------- browser

export async function launchBrowser() {
	state.browser = await withTimeout(chromium.launch({
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
		headless: true,
		timeout: BROWSER_LAUNCH_MS,
	}), BROWSER_LAUNCH_MS + 2000, 'launching Chromium');
	return state.browser;
}

// A fresh context (no cookies, no storage) in English with the usual timeouts;
// `options` adds to or overrides Playwright's context options (timezoneId).
export async function newContext(browser, baseURL, options = {}) {
	const context = await browser.newContext({
		...options,
		baseURL,
		locale: 'en-US',
		extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' },
		viewport: { width: 1280, height: 860 },
	});
	context.setDefaultTimeout(ACTION_MS);
	context.setDefaultNavigationTimeout(NAVIGATION_MS);
	return context;
}

// A maker of people for a journey: each person is a page in a fresh context
// (options as for newContext) whose errors go to `pageErrors`, kept in
// `pages` under its label for the failure screenshots.
export function personMaker(browser, baseURL, pageErrors, pages) {
	return async (label, options) => {
		const page = await (await newContext(browser, baseURL, options)).newPage();
		watchPageErrors(page, pageErrors, label);
		pages[label] = page;
		return page;
	};
}

// Collects script errors and failing subresources of `page` into `errors`,
// each line prefixed with `label` when given.
export function watchPageErrors(page, errors, label = '') {
	const who = label ? `${label}: ` : '';
	page.on('pageerror', (err) => errors.push(`${who}script error on ${pathOf(page)}: ${err.message}`));
	page.on('response', (resp) => {
		const type = resp.request().resourceType();
		if (type !== 'document' && resp.status() >= 400)
			errors.push(`${who}${type} ${resp.url()} answered ${resp.status()}`);
	});
	page.on('requestfailed', (req) => {
		// ERR_ABORTED: the page moved on before the request ended (an icon
		// still loading when a link is followed), which is no fault.
		if (req.resourceType() !== 'document' && req.failure()?.errorText !== 'net::ERR_ABORTED')
			errors.push(`${who}${req.resourceType()} ${req.url()} failed: ${req.failure()?.errorText}`);
	});
}

async function cleanup() {
	if (state.browser) {
		const b = state.browser;
		state.browser = null;
		await withTimeout(b.close(), 5000, 'closing Chromium').catch((e) => console.log(`note: ${e.message}`));
	}
	await stopServer();
	if (state.tmpDir) {
		fs.rmSync(state.tmpDir, { recursive: true, force: true });
		state.tmpDir = null;
	}
}

// ------------------------------------------------------------- page checks

export function pathOf(page) {
	const u = new URL(page.url());
	return u.pathname + u.search;
}

export async function expectPath(page, want) {
	const got = pathOf(page);
	if (want instanceof RegExp)
		assert(want.test(got), `expected to be at an address matching ${want}, but the browser is at ${got}`);
	else
		assert(got === want, `expected to be at ${want}, but the browser is at ${got}`);
}

export async function visible(locator, what) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: ACTION_MS });
	} catch {
		fail(`${what} is not visible`);
	}
}

export async function absent(locator, what) {
	const n = await locator.count();
	assert(n === 0, `${what} should not be there, but ${n} found`);
}

export const header = (page) => page.locator('header.site-header');
export const nav = (page) => header(page).getByRole('navigation');
// The signed-in member's menu in the header (their name, Settings, Review,
// Administration, Sign out); openAccountMenu opens it when it is closed.
export const accountMenu = (page) => header(page).locator('details.account-menu');
export async function openAccountMenu(page) {
	const menu = accountMenu(page);
	await visible(menu.locator('summary'), 'the account menu in the header');
	if (!(await menu.evaluate((d) => d.open)))
		await menu.locator('summary').click({ timeout: ACTION_MS });
	return menu;
}

// The texts of the page's role=alert messages, for failure reports.
export async function alerts(page) {
	const texts = await page.getByRole('alert').allInnerTexts().catch(() => []);
	return texts.length ? `, page says: ${texts.join(' | ')}` : '';
}

// Clicks something that submits a form or follows a link and waits for the
// resulting document to load.
export async function clickAndLoad(page, locator, what) {
	await visible(locator, what);
	// Settle the navigation promise at once so that an early rejection (the
	// server went away) is never left unhandled while the click runs.
	const loaded = page.waitForNavigation({ timeout: NAVIGATION_MS, waitUntil: 'load' })
		.then((resp) => ({ resp }), (err) => ({ err }));
	await locator.first().click({ timeout: ACTION_MS });
	const { resp, err } = await loaded;
	if (err)
		fail(`no page loaded after clicking ${what}: ${err.message.split('\n')[0]}`);
	return resp;
}

// Fills a field found by its label and checks it is the input with the expected id.
export async function fillByLabel(page, label, id, value) {
	const field = page.getByLabel(label, { exact: true });
	const n = await field.count();
	assert(n === 1, `expected exactly one field labelled "${label}", found ${n}`);
	const gotId = await field.getAttribute('id');
	assert(gotId === id, `the field labelled "${label}" should have id "${id}", has "${gotId}"`);
	await field.fill(value, { timeout: ACTION_MS });
}

// Ticks the box that accepts the code of conduct on /signup, which the
// form has once the site has one (the demo's has).
export async function acceptConduct(page) {
	const box = page.locator('input[name="conduct"]');
	if (await box.count() > 0)
		await box.check({ timeout: ACTION_MS });
}

// Signs a new member up through /signup; lands on / signed in.
export async function signUp(page, who) {
	const resp = await page.goto('/signup', { waitUntil: 'load' });
	assert(resp && resp.status() === 200, `GET /signup answered ${resp && resp.status()}`);
	await fillByLabel(page, 'Your name', 'name', who.name);
	await fillByLabel(page, 'Handle', 'handle', who.handle);
	await fillByLabel(page, 'E-mail address', 'email', who.email);
	await fillByLabel(page, 'Password', 'password', who.password);
	await acceptConduct(page);
	const created = await clickAndLoad(page, page.getByRole('button', { name: 'Create account', exact: true }),
		'button "Create account"');
	if (pathOf(page) !== '/')
		fail(`after "Create account" the browser is at ${pathOf(page)} (HTTP ${created && created.status()})${await alerts(page)}`);
	const me = await (await openAccountMenu(page)).locator('summary').innerText();
	assert(me.includes(who.name), `the account menu in the header names "${me}", expected "${who.name}"`);
}

// Signs in on /login; lands on / signed in.
export async function signIn(page, login, password) {
	await page.goto('/login', { waitUntil: 'load' });
	await page.locator('#login').fill(login);
	await page.locator('#password').fill(password);
	const resp = await clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
	if (pathOf(page) !== '/')
		fail(`after "Sign in" ${login} is at ${pathOf(page)} (HTTP ${resp && resp.status()})${await alerts(page)}`);
}

// ------------------------------------------------------------------- main

// Runs one browser test script:
//   name      the script's name, for messages;
//   setup     optional, ({ bin, dbPath, tmpDir }) before the server starts
//             (e.g. `kring user add` on the fresh database);
//   journey   (baseURL) with the server running: launches the browser and
//             runs its steps (launchBrowser, newContext, runSteps);
//   wholeRunMs  the watchdog (default WHOLE_RUN_MS).
// Prints "N passed, M failed" and exits 1 on failure.
export async function run({ name, setup, journey, wholeRunMs = WHOLE_RUN_MS }) {
	const bin = process.env.KRING_BIN;
	if (!bin) {
		console.error(`${name}: set KRING_BIN to the kring binary, e.g. KRING_BIN=../../build/kring node ${name}`);
		process.exit(1);
	}
	if (!fs.existsSync(bin)) {
		console.error(`${name}: KRING_BIN=${bin} does not exist`);
		process.exit(1);
	}
	if (!fs.existsSync(CHROMIUM)) {
		console.error(`${name}: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
		process.exit(1);
	}

	const watchdog = setTimeout(async () => {
		console.log(`FAIL - the whole run took longer than ${wholeRunMs / 1000} s; stopping`);
		const child = state.server;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
		}
		try {
			if (state.tmpDir)
				fs.rmSync(state.tmpDir, { recursive: true, force: true, maxRetries: 3 });
		} catch (err) {
			console.log(`note: could not remove ${state.tmpDir}: ${err.message}`);
		}
		console.log(`${state.passed} passed, ${state.failed + 1} failed`);
		process.exit(1);
	}, wholeRunMs);

	state.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-browser-'));
	const absBin = path.resolve(bin);
	const dbPath = path.join(state.tmpDir, 'kring.db');
	try {
		let ok = true;
		if (setup)
			ok = await step('set up the database', () => setup({ bin: absBin, dbPath, tmpDir: state.tmpDir }));
		let port = 0;
		if (ok)
			ok = await step('kring server starts', async () => {
				port = await startServer(absBin, dbPath);
				return `http://127.0.0.1:${port}`;
			});
		if (ok)
			await journey(`http://127.0.0.1:${port}`);
	} catch (err) {
		state.failed++;
		console.log(`FAIL - ${err && err.stack || err}`);
	} finally {
		await cleanup();
		clearTimeout(watchdog);
	}
	if (state.failed > 0 && state.serverLog)
		console.log(`kring stderr (last lines):\n${state.serverLog.trim().split('\n').slice(-15).map((l) => `  ${l}`).join('\n')}`);
	console.log(`${state.passed} passed, ${state.failed} failed`);
	process.exit(state.failed > 0 ? 1 : 0);
}
