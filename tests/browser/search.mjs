// Browser journey of search, on the demo content, as a newcomer:
//   signs up, and from the search box in the header
//   - finds Swedish answers by another form of a word ("frågor"),
//   - finds a Dutch update by the plural of a word it holds in the singular,
//   - finds a question by a part of a compound ("delning" in
//     "kunskapsdelning") and a Dutch update by "kennis" in "kennisdeling",
//   - sees who knows about facilitation, and why,
//   - picks a title the box suggests while typing.
// Every step is asserted (address, visible text, highlighted words).
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node search.mjs

import {
	acceptConduct, alerts, assert, clickAndLoad, fail, fillByLabel, kringCli, launchBrowser, newContext, pathOf, run,
	runSteps, visible, watchPageErrors,
} from './lib.mjs';

const NEWCOMER = { name: 'Nora Newcomer', handle: 'nora', email: 'nora@example.org', password: 'a long enough password 1' };

async function signUp(page) {
	await page.goto('/signup', { waitUntil: 'load' });
	await fillByLabel(page, 'Your name', 'name', NEWCOMER.name);
	await fillByLabel(page, 'Handle', 'handle', NEWCOMER.handle);
	await fillByLabel(page, 'E-mail address', 'email', NEWCOMER.email);
	await fillByLabel(page, 'Password', 'password', NEWCOMER.password);
	await acceptConduct(page);
	await clickAndLoad(page, page.getByRole('button', { name: 'Create account', exact: true }), 'button "Create account"');
	if (pathOf(page) !== '/')
		fail(`after "Create account" the newcomer is at ${pathOf(page)}${await alerts(page)}`);
}

// Searches from the header's box and waits for the results page.
async function search(page, q) {
	const box = page.locator('header #site-search-q');
	await box.fill(q);
	await Promise.all([page.waitForURL((url) => url.pathname === '/search'), box.press('Enter')]);
	const url = new URL(page.url());
	assert(url.searchParams.get('q') === q, `the address should carry the query, it is ${url.search}`);
}

// The highlighted words of the result whose title contains title.
async function marksOf(page, title) {
	const result = page.locator('main .search-results > li', { has: page.locator('a.item-title', { hasText: title }) });
	await visible(result.first(), `the result "${title}"`);
	return (await result.first().locator('mark').allInnerTexts()).map((t) => t.trim().toLowerCase());
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const page = await (await newContext(browser, baseURL)).newPage();
	watchPageErrors(page, pageErrors, 'nora');

	const steps = [
		['nora: signs up', async () => {
			await signUp(page);
		}],

		['"frågor" finds Swedish answers with the word highlighted', async () => {
			await search(page, 'frågor');
			const marks = await marksOf(page, 'Har någon en bra mall för behovsanalys');
			assert(marks.some((m) => m.startsWith('fråg')), `"frågor" should be highlighted, marks: ${marks.join(', ')}`);
		}],

		['"gemeenten" finds the Dutch update, and the singular "gemeente" elsewhere', async () => {
			await search(page, 'gemeenten');
			const all = (await page.locator('main .search-results mark').allInnerTexts()).map((t) => t.trim().toLowerCase());
			assert(all.includes('gemeenten'), `"gemeenten" should be highlighted, marks: ${all.join(', ')}`);
			assert(all.includes('gemeente'), `the singular "gemeente" should be found too, marks: ${all.join(', ')}`);
		}],

		['"delning" finds a question about "kunskapsdelning"', async () => {
			await search(page, 'delning');
			const marks = await marksOf(page, 'Hur kommer vi igång med kunskapsdelning');
			assert(marks.includes('kunskapsdelning'), `"kunskapsdelning" should be highlighted, marks: ${marks.join(', ')}`);
		}],

		['"kennis" finds the Dutch update about "kennisdeling"', async () => {
			await search(page, 'kennis');
			const all = (await page.locator('main .search-results mark').allInnerTexts()).map((t) => t.trim().toLowerCase());
			assert(all.includes('kennisdeling'), `"kennisdeling" should be highlighted, marks: ${all.join(', ')}`);
		}],

		['"facilitation" shows who knows about it, and why', async () => {
			await search(page, 'facilitation');
			const people = page.locator('main .people-who-know');
			await visible(people.getByRole('link', { name: 'Anna Lindqvist', exact: true }), 'Anna Lindqvist among the people');
			await visible(people.getByText('Verifies posts on facilitation').first(), 'the reason "Verifies posts on facilitation"');
			// each person gives their own reason, one only
			const reasons = await people.locator('li .muted').allInnerTexts();
			const count = (t) => (t.match(/Verifies posts on|accepted answers? on|verified posts? on|Expert in|Practising|Learning/g) || []).length;
			assert(reasons.length > 1 && reasons.every((t) => count(t) === 1), `each person should give one reason: ${JSON.stringify(reasons)}`);
			await pickFacet(page, 'Kind', 'Method');
			const kinds = await page.locator('main .search-results .badge.kind').allInnerTexts();
			assert(kinds.length > 0 && kinds.every((k) => k.trim() === 'Method'), `only methods should be left: ${kinds.join(', ')}`);
		}],

		['the box suggests "Lean coffee" while typing, and the suggestion opens it', async () => {
			const box = page.locator('header #site-search-q');
			await box.fill('');
			await box.pressSequentially('lean co', { delay: 40 });
			const suggestion = page.locator('header .suggestions').getByRole('link', { name: 'Lean coffee', exact: true });
			await visible(suggestion, 'the suggestion "Lean coffee"');
			await clickAndLoad(page, suggestion, 'the suggestion');
			assert(/^\/items\/\d+-lean-coffee$/.test(pathOf(page)), `the suggestion should open the method, not ${pathOf(page)}`);
		}],
	];
	const ok = await runSteps(steps, { nora: page });
	await browser.close();
	if (pageErrors.length)
		fail(`errors in the pages: ${pageErrors.join('; ')}`);
	return ok;
}

// Follows the facet link with the label in the facet section.
async function pickFacet(page, section, label) {
	const link = page.locator('aside.facets section', { has: page.getByRole('heading', { name: section, exact: true }) })
		.getByRole('link', { name: label, exact: true });
	await clickAndLoad(page, link, `facet "${label}" under "${section}"`);
}

run({
	name: 'search.mjs',
	setup: ({ bin, dbPath }) => kringCli(bin, ['init', '--demo', '--db', dbPath]),
	journey,
});
