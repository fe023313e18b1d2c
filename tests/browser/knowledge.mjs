// Browser journey of the knowledge base, on the demo content:
//   anna      signs in, opens "Fika with a topic", shares a best practice
//             with a contact person, tags and an attached file, and lands
//             on it;
//   helena    an expert in facilitation: finds the practice in her review
//             queue and verifies it with a note;
//   visitor   signed out: opens Best practices, narrows the catalogue by
//             tag, organisation and verification through the facets, finds
//             anna's practice, who verified it and the person to ask; then
//             downloads the Lean coffee template from the Method book;
//   noor      signs in, opens the Method book, filters it to methods of at
//             most 30 minutes, opens one and marks "I used this" with a note.
// Every step is asserted (address, visible text, counts).
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node knowledge.mjs

import {
	alerts, assert, clickAndLoad, expectPath, fail, fillByLabel, kringCli, launchBrowser, nav, newContext,
	openAccountMenu, pathOf, personMaker, run, runSteps, signIn as signInAs, visible, watchPageErrors,
} from './lib.mjs';

const PASSWORD = 'kring-demo-2026';
const PRACTICE = {
	title: 'Walking meetings for one-to-ones',
	summary: 'One-to-ones as a 30-minute walk outside: people speak more freely side by side.',
	approach: 'Agree on a **fixed route** of about 2 km.\n\nWrite the three agreements down right after.',
	results: 'Twelve managers tried it for a month; ten kept it.',
	contact: 'helena',
	contactName: 'Helena Marklund',
	tag: 'walking-meetings',
	file: 'walking-route.pdf',
};
const EXPERT = { handle: 'helena', name: 'Helena Marklund', note: 'We walk our one-to-ones too; the fixed route matters.' };
const FIKA = '/c/fika-with-a-topic';

let practicePath = null;

const signIn = (page, handle) => signInAs(page, handle, PASSWORD);

// Follows the facet link with the label in the catalogue's facet section.
async function pickFacet(page, section, label) {
	const link = page.locator('aside.facets section', { has: page.getByRole('heading', { name: section, exact: true }) })
		.getByRole('link', { name: label, exact: true });
	await clickAndLoad(page, link, `facet "${label}" under "${section}"`);
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const anna = await person('anna');
	const helena = await person('helena');
	const visitor = await person('visitor');
	const noor = await person('noor');

	const steps = [
		['anna: signs in and opens "Fika with a topic"', async () => {
			await signIn(anna, 'anna');
			await anna.goto(FIKA, { waitUntil: 'load' });
			await visible(anna.getByRole('link', { name: 'Share a best practice', exact: true }), 'link "Share a best practice"');
		}],

		['anna: "Share a best practice" opens the composer with its sections', async () => {
			await clickAndLoad(anna, anna.getByRole('link', { name: 'Share a best practice', exact: true }), 'link "Share a best practice"');
			await expectPath(anna, `${FIKA}/new?kind=article`);
			await fillByLabel(anna, 'Title', 'title', PRACTICE.title);
			await fillByLabel(anna, 'Summary', 'summary', PRACTICE.summary);
			await fillByLabel(anna, 'Approach', 'approach', PRACTICE.approach);
			await fillByLabel(anna, 'Results and lessons', 'results', PRACTICE.results);
			await fillByLabel(anna, 'People to contact', 'contacts', PRACTICE.contact);
			await fillByLabel(anna, 'Tags', 'tags', `${PRACTICE.tag}, facilitation`);
			await anna.locator('#file').setInputFiles({
				name: PRACTICE.file, mimeType: 'application/pdf',
				buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
			});
		}],

		['anna: "Share" lands on the practice with its sections and contact', async () => {
			await clickAndLoad(anna, anna.getByRole('button', { name: 'Share', exact: true }), 'button "Share"');
			if (!/^\/items\/\d+-walking-meetings/.test(pathOf(anna)))
				fail(`after "Share" anna is at ${pathOf(anna)}${await alerts(anna)}`);
			practicePath = pathOf(anna);
			await visible(anna.getByRole('heading', { level: 1, name: PRACTICE.title, exact: true }), 'the title');
			await visible(anna.getByRole('heading', { level: 2, name: 'Approach', exact: true }), 'heading "Approach"');
			await visible(anna.locator('main .article strong', { hasText: 'fixed route' }), 'the approach as Markdown');
			await visible(anna.getByRole('heading', { level: 2, name: 'Results and lessons', exact: true }), 'heading "Results and lessons"');
			const contact = anna.locator('main .contacts').getByRole('link', { name: PRACTICE.contactName, exact: true });
			await visible(contact, `contact "${PRACTICE.contactName}"`);
			assert(await contact.getAttribute('href') === `/people/${PRACTICE.contact}`, 'the contact links to the profile');
			const file = anna.locator('#files').getByRole('link', { name: PRACTICE.file, exact: true });
			await visible(file, `the attached file "${PRACTICE.file}"`);
			assert(/^\/files\/[0-9a-f]{64}\/walking-route\.pdf$/.test(await file.getAttribute('href')),
				`the file links to its content address, not ${await file.getAttribute('href')}`);
			return practicePath;
		}],

		['helena: her review queue lists the practice; she verifies it', async () => {
			await signIn(helena, EXPERT.handle);
			await clickAndLoad(helena, (await openAccountMenu(helena)).getByRole('link', { name: 'Review', exact: true }), 'header link "Review"');
			await expectPath(helena, '/review');
			await clickAndLoad(helena, helena.getByRole('link', { name: PRACTICE.title, exact: true }), 'the practice in the queue');
			await expectPath(helena, practicePath);
			await helena.locator('details.verify > summary').click();
			await helena.locator('textarea[name="note"]').fill(EXPERT.note);
			await clickAndLoad(helena, helena.getByRole('button', { name: 'Verify', exact: true }), 'button "Verify"');
			const badge = helena.locator('main .verification');
			await visible(badge.locator('.badge.verified'), 'the "Verified" badge');
			await visible(badge.getByRole('link', { name: EXPERT.name, exact: true }), 'the verifier');
			await visible(badge.getByText(EXPERT.note), 'the verifier\'s note');
		}],

		['visitor: Best practices lists the practice with facet counts', async () => {
			await visitor.goto('/', { waitUntil: 'load' });
			await clickAndLoad(visitor, nav(visitor).getByRole('link', { name: 'Best practices', exact: true }), 'header link "Best practices"');
			await expectPath(visitor, '/articles');
			await visible(visitor.getByRole('link', { name: PRACTICE.title, exact: true }), 'the new practice in the list');
			const tagCount = visitor.locator('aside.facets li', { has: visitor.getByRole('link', { name: PRACTICE.tag, exact: true }) })
				.locator('.count');
			assert((await tagCount.innerText()).trim() === '1', `the tag facet should count 1, counts ${await tagCount.innerText()}`);
		}],

		['visitor: narrows by tag, organisation and verification, finds it and who verified it', async () => {
			await pickFacet(visitor, 'Tags', PRACTICE.tag);
			await expectPath(visitor, `/articles?tag=${PRACTICE.tag}`);
			await pickFacet(visitor, 'Organisations', 'Älvbacka kommun');
			const url = new URL(visitor.url());
			assert(url.searchParams.get('tag') === PRACTICE.tag && url.searchParams.get('org') === 'alvbacka-kommun',
				`both filters should be in the address, it is ${url.pathname}${url.search}`);
			await pickFacet(visitor, 'Verification', 'Verified by an expert');
			assert(new URL(visitor.url()).searchParams.get('verified') === 'yes', 'the verified filter is in the address');
			const items = visitor.locator('main ul.item-list > li');
			assert(await items.count() === 1, `one practice should match, ${await items.count()} do`);
			await visible(items.first().locator('.badge.verified'), 'the "Verified" badge in the list');
			await clickAndLoad(visitor, visitor.getByRole('link', { name: PRACTICE.title, exact: true }), 'the practice');
			await expectPath(visitor, practicePath);
			await visible(visitor.getByRole('heading', { level: 2, name: 'Ask them about it', exact: true }), 'heading "Ask them about it"');
			await visible(visitor.locator('main .verification').getByRole('link', { name: EXPERT.name, exact: true }),
				'who verified it');
		}],

		['visitor: downloads the Lean coffee template from the Method book', async () => {
			await clickAndLoad(visitor, nav(visitor).getByRole('link', { name: 'Method book', exact: true }), 'header link "Method book"');
			await clickAndLoad(visitor, visitor.getByRole('link', { name: 'Lean coffee', exact: true }), 'link "Lean coffee"');
			await visible(visitor.getByRole('heading', { level: 2, name: 'Templates and files', exact: true }), 'heading "Templates and files"');
			const link = visitor.locator('#files').getByRole('link', { name: 'lean-coffee-board.pdf', exact: true });
			const [download] = await Promise.all([visitor.waitForEvent('download'), link.click()]);
			assert(download.suggestedFilename() === 'lean-coffee-board.pdf',
				`the download is named ${download.suggestedFilename()}`);
			const bytes = await new Promise((resolve, reject) => {
				download.createReadStream().then((stream) => {
					const parts = [];
					stream.on('data', (d) => parts.push(d));
					stream.on('end', () => resolve(Buffer.concat(parts)));
					stream.on('error', reject);
				}, reject);
			});
			assert(bytes.subarray(0, 5).toString() === '%PDF-', 'the template is a PDF');
		}],

		['noor: the Method book filtered to 30 minutes shows 1-2-4-All', async () => {
			await signIn(noor, 'noor');
			await clickAndLoad(noor, nav(noor).getByRole('link', { name: 'Method book', exact: true }), 'header link "Method book"');
			await expectPath(noor, '/methods');
			await noor.locator('select[name="max_duration"]').selectOption('30');
			await clickAndLoad(noor, noor.getByRole('button', { name: 'Filter', exact: true }), 'button "Filter"');
			const titles = (await noor.locator('main ul.item-list a.item-title').allInnerTexts()).map((t) => t.trim());
			assert(titles.includes('1-2-4-All') && !titles.includes('Lean coffee'),
				`at most 30 minutes should list 1-2-4-All and not Lean coffee (45 minutes): ${titles.join(', ')}`);
		}],

		['noor: opens it and marks "I used this" with a note', async () => {
			await clickAndLoad(noor, noor.getByRole('link', { name: '1-2-4-All', exact: true }), 'link "1-2-4-All"');
			await visible(noor.getByRole('heading', { level: 2, name: 'Used 2 times', exact: true }), 'heading "Used 2 times"');
			await noor.locator('#use-note').fill('Ran it with 24 students; the pairs step mattered most.');
			await clickAndLoad(noor, noor.getByRole('button', { name: 'I used this', exact: true }), 'button "I used this"');
			await visible(noor.getByRole('heading', { level: 2, name: 'Used 3 times', exact: true }), 'heading "Used 3 times"');
			await visible(noor.locator('#uses', { hasText: 'Ran it with 24 students' }), 'the note under the uses');
			await visible(noor.getByRole('button', { name: 'Take back my mark', exact: true }), 'button "Take back my mark"');
		}],
	];
	const ok = await runSteps(steps, pages);
	await browser.close();
	if (pageErrors.length)
		fail(`errors in the pages: ${pageErrors.join('; ')}`);
	return ok;
}

run({
	name: 'knowledge.mjs',
	setup: ({ bin, dbPath }) => kringCli(bin, ['init', '--demo', '--db', dbPath]),
	journey,
});
