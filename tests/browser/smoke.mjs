// Browser smoke test of kring.
//
// Starts its own kring server on a fresh database, drives Debian's Chromium
// through playwright-core along the main account journey (sign up, sign out,
// wrong password, sign in, settings) and asserts every step.
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node smoke.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = path.join(HERE, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
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

const WHOLE_RUN_MS = 55_000;    // watchdog for the entire script
const SERVER_START_MS = 15_000; // wait for "listening on ..."
const SERVER_STOP_MS = 5_000;   // SIGTERM grace before SIGKILL
const BROWSER_LAUNCH_MS = 20_000;
const ACTION_MS = 10_000;       // each click, fill, wait
const NAVIGATION_MS = 10_000;

// The member created by the journey. The run starts on an empty database.
const MEMBER = {
	name: 'Ada Smoketest',
	handle: 'ada-smoke',
	email: 'ada.smoke@example.test',
	password: 'correct horse battery',
};
const WRONG_PASSWORD = 'not the password at all';

let passed = 0;
let failed = 0;
let server = null;     // child process
let serverLog = '';    // its stderr, for diagnostics
let serverDied = null; // how it ended, if it ended before we stopped it
let browser = null;
let tmpDir = null;

function fail(message) {
	throw new Error(message);
}

function assert(cond, message) {
	if (!cond)
		fail(message);
}

// Runs one step; prints "ok - name" or "FAIL - name: why". Returns false on
// failure so the journey can stop (later steps depend on earlier ones).
async function step(name, fn) {
	try {
		const detail = await fn();
		passed++;
		console.log(`ok   ${passed + failed} - ${name}${detail ? ` (${detail})` : ''}`);
		return true;
	} catch (err) {
		failed++;
		console.log(`FAIL ${passed + failed} - ${name}`);
		console.log(`     ${String(err && err.message || err).split('\n').join('\n     ')}`);
		return false;
	}
}

function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- server

function startServer(bin, dbPath) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, ['serve', '--db', dbPath, '--port', '0', '--bind', '127.0.0.1'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		server = child;
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
			`kring did not print "listening on http://127.0.0.1:PORT" within ${SERVER_START_MS} ms; its stderr:\n${serverLog}`)),
			SERVER_START_MS);
		child.stdout.on('data', (d) => { serverLog += d; });
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk) => {
			serverLog += chunk;
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
			if (server === child)
				serverDied = signal ? `killed by ${signal}` : `exit code ${code}`;
			finish(new Error(`kring exited before listening (code ${code}, signal ${signal}); its stderr:\n${serverLog}`));
		});
	});
}

async function stopServer() {
	const child = server;
	server = null;
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

async function cleanup() {
	if (browser) {
		const b = browser;
		browser = null;
		await withTimeout(b.close(), 5000, 'closing Chromium').catch((e) => console.log(`note: ${e.message}`));
	}
	await stopServer();
	if (tmpDir) {
		fs.rmSync(tmpDir, { recursive: true, force: true });
		tmpDir = null;
	}
}

// ------------------------------------------------------------- page checks

function pathOf(page) {
	const u = new URL(page.url());
	return u.pathname + u.search;
}

async function expectPath(page, want) {
	const got = pathOf(page);
	assert(got === want, `expected to be at ${want}, but the browser is at ${got}`);
}

async function visible(locator, what) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: ACTION_MS });
	} catch {
		fail(`${what} is not visible`);
	}
}

async function absent(locator, what) {
	const n = await locator.count();
	assert(n === 0, `${what} should not be there, but ${n} found`);
}

const header = (page) => page.locator('header.site-header');
const nav = (page) => header(page).getByRole('navigation');

// Signed out: header offers "Sign in" and "Sign up", no member name, no "Sign out".
async function expectSignedOut(page) {
	await visible(nav(page).getByRole('link', { name: 'Sign in', exact: true }), 'header link "Sign in"');
	await visible(nav(page).getByRole('link', { name: 'Sign up', exact: true }), 'header link "Sign up"');
	await absent(nav(page).getByRole('button', { name: 'Sign out' }), 'header button "Sign out"');
	await absent(nav(page).getByRole('link', { name: MEMBER.name }), `header link "${MEMBER.name}"`);
}

// Signed in: header shows the member's name linking to /settings and a "Sign out" button.
async function expectSignedIn(page) {
	const me = nav(page).getByRole('link', { name: MEMBER.name, exact: true });
	await visible(me, `header link with the member's name "${MEMBER.name}"`);
	const href = await me.getAttribute('href');
	assert(href === '/settings', `the member's name should link to /settings, links to ${href}`);
	await visible(nav(page).getByRole('button', { name: 'Sign out', exact: true }), 'header button "Sign out"');
	await absent(nav(page).getByRole('link', { name: 'Sign in', exact: true }), 'header link "Sign in"');
	await absent(nav(page).getByRole('link', { name: 'Sign up', exact: true }), 'header link "Sign up"');
}

// Clicks something that submits a form or follows a link and waits for the
// resulting document to load.
async function clickAndLoad(page, locator, what) {
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
async function fillByLabel(page, label, id, value) {
	const field = page.getByLabel(label, { exact: true });
	const n = await field.count();
	assert(n === 1, `expected exactly one field labelled "${label}", found ${n}`);
	const gotId = await field.getAttribute('id');
	assert(gotId === id, `the field labelled "${label}" should have id "${id}", has "${gotId}"`);
	await field.fill(value, { timeout: ACTION_MS });
}

// ------------------------------------------------------------------- main

async function journey(baseURL) {
	browser = await withTimeout(chromium.launch({
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
		headless: true,
		timeout: BROWSER_LAUNCH_MS,
	}), BROWSER_LAUNCH_MS + 2000, 'launching Chromium');
	// A fresh context: no cookies, no storage from anything before.
	const context = await browser.newContext({
		baseURL,
		locale: 'en-US',
		extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' },
		viewport: { width: 1280, height: 860 },
	});
	context.setDefaultTimeout(ACTION_MS);
	context.setDefaultNavigationTimeout(NAVIGATION_MS);
	const page = await context.newPage();

	// Problems anywhere in the journey: script errors and failing subresources.
	const pageErrors = [];
	page.on('pageerror', (err) => pageErrors.push(`script error on ${pathOf(page)}: ${err.message}`));
	page.on('response', (resp) => {
		const type = resp.request().resourceType();
		if (type !== 'document' && resp.status() >= 400)
			pageErrors.push(`${type} ${resp.url()} answered ${resp.status()}`);
	});
	page.on('requestfailed', (req) => {
		if (req.resourceType() !== 'document')
			pageErrors.push(`${req.resourceType()} ${req.url()} failed: ${req.failure()?.errorText}`);
	});

	const steps = [
		['open / signed out', async () => {
			const resp = await page.goto('/', { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET / answered ${resp && resp.status()}`);
			await expectPath(page, '/');
			await expectSignedOut(page);
			await visible(page.getByRole('heading', { level: 1 }), 'the page heading');
			const rules = await page.evaluate(() => [...document.styleSheets]
				.reduce((n, sheet) => n + sheet.cssRules.length, 0));
			assert(rules > 0, 'the stylesheet did not load (no CSS rules on the page)');
			return `title "${await page.title()}", ${rules} CSS rules`;
		}],

		['follow the "Sign up" link to /signup', async () => {
			await clickAndLoad(page, nav(page).getByRole('link', { name: 'Sign up', exact: true }), 'header link "Sign up"');
			await expectPath(page, '/signup');
			await visible(page.getByRole('heading', { level: 1 }), 'the sign-up heading');
			await visible(page.getByRole('button', { name: 'Create account', exact: true }), 'button "Create account"');
		}],

		['fill in the sign-up form', async () => {
			await fillByLabel(page, 'Your name', 'name', MEMBER.name);
			await fillByLabel(page, 'Handle', 'handle', MEMBER.handle);
			await fillByLabel(page, 'E-mail address', 'email', MEMBER.email);
			await fillByLabel(page, 'Password', 'password', MEMBER.password);
		}],

		['"Create account" lands on / signed in', async () => {
			const resp = await clickAndLoad(page, page.getByRole('button', { name: 'Create account', exact: true }),
				'button "Create account"');
			const status = resp && resp.status();
			if (pathOf(page) !== '/') {
				const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
				fail(`after "Create account" the browser is at ${pathOf(page)} (HTTP ${status})` +
					(alerts.length ? `, page says: ${alerts.join(' | ')}` : ''));
			}
			assert(status === 200, `the home page answered HTTP ${status}`);
			await expectSignedIn(page);
			await visible(page.getByRole('heading', { level: 1, name: `Welcome back, ${MEMBER.name}` }),
				`heading "Welcome back, ${MEMBER.name}"`);
			fs.mkdirSync(SCREENSHOTS, { recursive: true });
			await page.screenshot({ path: path.join(SCREENSHOTS, 'home-signed-in.png'), fullPage: true });
			return 'screenshot screenshots/home-signed-in.png';
		}],

		['"Sign out" in the header signs out', async () => {
			await clickAndLoad(page, nav(page).getByRole('button', { name: 'Sign out', exact: true }), 'header button "Sign out"');
			await expectPath(page, '/');
			await expectSignedOut(page);
			const cookies = (await context.cookies()).map((c) => c.name);
			return `cookies left: ${cookies.join(', ') || 'none'}`;
		}],

		['signed out, /settings sends to /login', async () => {
			await page.goto('/settings', { waitUntil: 'load' });
			const u = new URL(page.url());
			assert(u.pathname === '/login' && u.searchParams.get('next') === '/settings',
				`expected /login?next=/settings, but the browser is at ${pathOf(page)}`);
			await visible(page.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
			await expectSignedOut(page);
		}],

		['open /login', async () => {
			const resp = await page.goto('/login', { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET /login answered ${resp && resp.status()}`);
			await expectPath(page, '/login');
			await visible(page.locator('input#login[name="login"]'), 'field "login"');
			await visible(page.locator('input#password[name="password"][type="password"]'), 'password field');
			await visible(page.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
			await page.screenshot({ path: path.join(SCREENSHOTS, 'login.png'), fullPage: true });
			return 'screenshot screenshots/login.png';
		}],

		['a wrong password shows an error and keeps the handle', async () => {
			await page.locator('#login').fill(MEMBER.handle);
			await page.locator('#password').fill(WRONG_PASSWORD);
			const resp = await clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
			const status = resp && resp.status();
			assert(pathOf(page) === '/login', `after a wrong password the browser is at ${pathOf(page)}, expected /login`);
			assert(status >= 400 && status < 500, `a wrong password answered HTTP ${status}, expected a 4xx`);
			const alert = page.getByRole('alert');
			await visible(alert, 'an error message (role=alert)');
			const text = (await alert.allInnerTexts()).join(' | ').trim();
			assert(text.length > 0, 'the error message is empty');
			assert(/wrong|incorrect|invalid/i.test(text), `the error message does not say the login is wrong: "${text}"`);
			const kept = await page.locator('#login').inputValue();
			assert(kept === MEMBER.handle, `the login field should keep "${MEMBER.handle}", holds "${kept}"`);
			const pw = await page.locator('#password').inputValue();
			assert(pw === '', 'the password field should be emptied after a failed sign-in');
			await expectSignedOut(page);
			await page.screenshot({ path: path.join(SCREENSHOTS, 'login-error.png'), fullPage: true });
			return `HTTP ${status}, "${text}"`;
		}],

		['sign in with the right password lands on / signed in', async () => {
			await page.locator('#login').fill(MEMBER.handle);
			await page.locator('#password').fill(MEMBER.password);
			const resp = await clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
			if (pathOf(page) !== '/') {
				const alerts = await page.getByRole('alert').allInnerTexts().catch(() => []);
				fail(`after "Sign in" the browser is at ${pathOf(page)} (HTTP ${resp && resp.status()})` +
					(alerts.length ? `, page says: ${alerts.join(' | ')}` : ''));
			}
			await expectSignedIn(page);
			await visible(page.getByRole('heading', { level: 1, name: `Welcome back, ${MEMBER.name}` }),
				`heading "Welcome back, ${MEMBER.name}"`);
		}],

		['the name in the header opens /settings', async () => {
			const resp = await clickAndLoad(page, nav(page).getByRole('link', { name: MEMBER.name, exact: true }),
				`header link "${MEMBER.name}"`);
			assert(resp && resp.status() === 200, `GET /settings answered ${resp && resp.status()}`);
			await expectPath(page, '/settings');
			await expectSignedIn(page);
			await visible(page.getByRole('heading', { level: 1, name: 'Settings', exact: true }), 'heading "Settings"');
			const name = await page.getByLabel('Your name', { exact: true }).inputValue();
			assert(name === MEMBER.name, `the settings form should show the name "${MEMBER.name}", shows "${name}"`);
			await page.screenshot({ path: path.join(SCREENSHOTS, 'settings.png'), fullPage: true });
			return 'screenshot screenshots/settings.png';
		}],

		['no script errors or failing requests on the way', async () => {
			assert(pageErrors.length === 0, pageErrors.join('\n'));
		}],
	];

	for (const [name, fn] of steps) {
		if (!(await step(name, fn))) {
			fs.mkdirSync(SCREENSHOTS, { recursive: true });
			await page.screenshot({ path: path.join(SCREENSHOTS, 'failure.png'), fullPage: true }).catch(() => {});
			console.log(`     at ${page.url()}; screenshot screenshots/failure.png`);
			if (serverDied)
				console.log(`     the kring server ended during the run (${serverDied})`);
			const skipped = steps.length - (passed + failed);
			if (skipped > 0)
				console.log(`     ${skipped} later step(s) not run`);
			break;
		}
	}
}

async function main() {
	const bin = process.env.KRING_BIN;
	if (!bin) {
		console.error('smoke.mjs: set KRING_BIN to the kring binary, e.g. KRING_BIN=../../build/kring node smoke.mjs');
		process.exit(1);
	}
	if (!fs.existsSync(bin)) {
		console.error(`smoke.mjs: KRING_BIN=${bin} does not exist`);
		process.exit(1);
	}
	if (!fs.existsSync(CHROMIUM)) {
		console.error(`smoke.mjs: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
		process.exit(1);
	}

	const watchdog = setTimeout(async () => {
		console.log(`FAIL - the whole run took longer than ${WHOLE_RUN_MS / 1000} s; stopping`);
		const child = server;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
		}
		try {
			if (tmpDir)
				fs.rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
		} catch (err) {
			console.log(`note: could not remove ${tmpDir}: ${err.message}`);
		}
		console.log(`${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	}, WHOLE_RUN_MS);

	tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kring-browser-'));
	try {
		await step('kring server starts', async () => {
			const port = await startServer(path.resolve(bin), path.join(tmpDir, 'kring.db'));
			server.__port = port;
			return `http://127.0.0.1:${port}`;
		});
		if (failed === 0)
			await journey(`http://127.0.0.1:${server.__port}`);
	} catch (err) {
		failed++;
		console.log(`FAIL - ${err && err.stack || err}`);
	} finally {
		await cleanup();
		clearTimeout(watchdog);
	}
	if (failed > 0 && serverLog)
		console.log(`kring stderr (last lines):\n${serverLog.trim().split('\n').slice(-15).map((l) => `  ${l}`).join('\n')}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed > 0 ? 1 : 0);
}

main();
