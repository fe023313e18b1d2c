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

import fs from 'node:fs';
import path from 'node:path';
import {
	SCREENSHOTS, absent, acceptConduct, assert, clickAndLoad, expectPath, fail, fillByLabel, launchBrowser, nav,
	newContext, openAccountMenu, pathOf, run, runSteps, visible, watchPageErrors,
} from './lib.mjs';

// The member created by the journey. The run starts on an empty database.
const MEMBER = {
	name: 'Ada Smoketest',
	handle: 'ada-smoke',
	email: 'ada.smoke@example.test',
	password: 'correct horse battery',
};
const WRONG_PASSWORD = 'not the password at all';

// Signed out: header offers "Sign in" and "Sign up", no member name, no "Sign out".
async function expectSignedOut(page) {
	await visible(nav(page).getByRole('link', { name: 'Sign in', exact: true }), 'header link "Sign in"');
	await visible(nav(page).getByRole('link', { name: 'Sign up', exact: true }), 'header link "Sign up"');
	await absent(nav(page).getByRole('button', { name: 'Sign out' }), 'header button "Sign out"');
	await absent(nav(page).getByRole('link', { name: MEMBER.name }), `header link "${MEMBER.name}"`);
}

// Signed in: the header's account menu has the member's name, a link to
// /settings and a "Sign out" button.
async function expectSignedIn(page) {
	const menu = await openAccountMenu(page);
	const me = await menu.locator('summary').innerText();
	assert(me.includes(MEMBER.name), `the account menu names "${me}", expected "${MEMBER.name}"`);
	const settings = menu.getByRole('link', { name: 'Settings', exact: true });
	await visible(settings, 'link "Settings" in the account menu');
	const href = await settings.getAttribute('href');
	assert(href === '/settings', `"Settings" should link to /settings, links to ${href}`);
	await visible(menu.getByRole('button', { name: 'Sign out', exact: true }), 'header button "Sign out"');
	await absent(nav(page).getByRole('link', { name: 'Sign in', exact: true }), 'header link "Sign in"');
	await absent(nav(page).getByRole('link', { name: 'Sign up', exact: true }), 'header link "Sign up"');
}

// ------------------------------------------------------------------- main

async function journey(baseURL) {
	const browser = await launchBrowser();
	// A fresh context: no cookies, no storage from anything before.
	const context = await newContext(browser, baseURL);
	const page = await context.newPage();

	// Problems anywhere in the journey: script errors and failing subresources.
	const pageErrors = [];
	watchPageErrors(page, pageErrors);

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
			await acceptConduct(page);
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
			// A new member who has done nothing yet is welcomed, not "back".
			await visible(page.getByRole('heading', { level: 1, name: `Welcome, ${MEMBER.name}`, exact: true }),
				`heading "Welcome, ${MEMBER.name}"`);
			fs.mkdirSync(SCREENSHOTS, { recursive: true });
			await page.screenshot({ path: path.join(SCREENSHOTS, 'home-signed-in.png'), fullPage: true });
			return 'screenshot screenshots/home-signed-in.png';
		}],

		['"Sign out" in the header signs out', async () => {
			await clickAndLoad(page, (await openAccountMenu(page)).getByRole('button', { name: 'Sign out', exact: true }),
				'header button "Sign out"');
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
			// A new member who has done nothing yet is welcomed, not "back".
			await visible(page.getByRole('heading', { level: 1, name: `Welcome, ${MEMBER.name}`, exact: true }),
				`heading "Welcome, ${MEMBER.name}"`);
		}],

		['"Settings" in the account menu opens /settings', async () => {
			const resp = await clickAndLoad(page, (await openAccountMenu(page)).getByRole('link', { name: 'Settings', exact: true }),
				'header link "Settings"');
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

	await runSteps(steps, { '': page });
}

run({ name: 'smoke.mjs', journey });
