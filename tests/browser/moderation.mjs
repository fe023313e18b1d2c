// Browser journey of moderation on the demo content: a member reports a rude
// comment, the community's host finds it in the review queue and warns its
// author from the queue, a site moderator suspends the author from the
// queue, and the host hides the comment; the author sees why and until
// when on every page, and the warning in the bell and in their standing;
// the reporter sees the outcome of their report.
//
// Starts its own kring server on a database made with `kring init --demo`,
// whose queue already holds one open report: noor's, on david's comment on
// the question "Running a two-hour workshop online …" in Fika with a topic.
// People, demo members each in a browser context of their own:
//   ingrid  a member of the community, who reports the comment too;
//   helena  the community's host, who acts in /moderation;
//   david   the comment's author, who is warned and suspended;
//   anna    a site moderator, who suspends him.
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node moderation.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import fs from 'node:fs';
import path from 'node:path';
import {
	assert, clickAndLoad, expectPath, fail, fillByLabel, header, kringCli, launchBrowser, pathOf, personMaker, run,
	runSteps, SCREENSHOTS, signIn, visible,
} from './lib.mjs';

const DEMO_PASSWORD = 'kring-demo-2026';
const QUESTION = 'Running a two-hour workshop online without losing people after 40 minutes';
const RUDE = 'If people leave after 40 minutes, maybe your workshops are just boring.';
const WARNING = 'Please disagree without mocking: Erik asked in good faith.';
const SUSPENSION = 'Mocking members again after a warning.';

async function screenshot(page, name) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
	return `screenshot screenshots/${name}`;
}

// The queue's section of the rude comment.
const rudeSubject = (page) => page.locator('main section.report-subject', { hasText: RUDE });

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const ingrid = await person('ingrid');
	const helena = await person('helena');
	const david = await person('david');
	const anna = await person('anna');
	let questionPath = null;
	// a week from today, as the date field takes it (UTC)
	const until = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);

	const steps = [
		['ingrid, helena, david and anna sign in', async () => {
			await signIn(ingrid, 'ingrid', DEMO_PASSWORD);
			await signIn(helena, 'helena', DEMO_PASSWORD);
			await signIn(david, 'david', DEMO_PASSWORD);
			await signIn(anna, 'anna', DEMO_PASSWORD);
		}],

		['ingrid: reports the rude comment from the question\'s page', async () => {
			await ingrid.goto('/c/fika-with-a-topic', { waitUntil: 'load' });
			await clickAndLoad(ingrid, ingrid.getByRole('link', { name: QUESTION }).first(), `link "${QUESTION}"`);
			questionPath = pathOf(ingrid);
			const comment = ingrid.locator('main li.comment', { hasText: RUDE });
			await visible(comment, 'the rude comment');
			await clickAndLoad(ingrid, comment.getByRole('link', { name: 'Report', exact: true }), 'link "Report"');
			await expectPath(ingrid, /^\/comments\/\d+\/report$/);
			await ingrid.getByRole('radio', { name: 'Harassment or abuse' }).check();
			await fillByLabel(ingrid, 'Note for the moderators', 'note', 'Mocking a question asked in good faith.');
			const resp = await clickAndLoad(ingrid, ingrid.getByRole('button', { name: 'Send report', exact: true }),
				'button "Send report"');
			if (pathOf(ingrid) !== '/settings/reports?filed=1')
				fail(`after "Send report" ingrid is at ${pathOf(ingrid)} (HTTP ${resp && resp.status()})`);
			await visible(ingrid.locator('main table.list tr', { hasText: 'Waiting for review' }), 'the open report');
			return questionPath;
		}],

		['helena (host): the queue shows the comment with both reports', async () => {
			await helena.goto('/moderation', { waitUntil: 'load' });
			const subject = rudeSubject(helena);
			await visible(subject, 'the comment in the queue');
			await visible(subject.getByRole('heading', { name: '2 reports' }), 'two reports on it');
			await visible(subject.getByText('Harassment or abuse').first(), 'the reason');
			return screenshot(helena, 'moderation-queue.png');
		}],

		['helena: warns the author from the queue and comes back to it', async () => {
			const subject = rudeSubject(helena);
			await subject.locator('details.author-actions summary').click();
			const form = subject.locator('form[action="/people/david/warn"]');
			await visible(form, 'the warn form');
			await form.locator('textarea[name="reason"]').fill(WARNING);
			const resp = await clickAndLoad(helena, form.getByRole('button', { name: 'Warn', exact: true }), 'button "Warn"');
			if (pathOf(helena) !== '/moderation')
				fail(`after "Warn" helena is at ${pathOf(helena)} (HTTP ${resp && resp.status()})`);
			// a host suspends no one: that is the site's moderators'
			assert(await rudeSubject(helena).locator('form[action="/people/david/suspend"]').count() === 0,
				'the host should not be offered a suspension');
			await rudeSubject(helena).locator('details.author-actions summary').click();
			await visible(rudeSubject(helena).locator('details.author-actions li', { hasText: WARNING }),
				'the warning among the author\'s earlier warnings');
		}],

		['anna (moderator): suspends the author for a week from the queue', async () => {
			await anna.goto('/moderation', { waitUntil: 'load' });
			const subject = rudeSubject(anna);
			await visible(subject, 'the comment in the moderator\'s queue');
			await subject.locator('details.author-actions summary').click();
			const form = subject.locator('form[action="/people/david/suspend"]');
			await visible(form, 'the suspend form');
			await form.locator('input[name="until"]').fill(until);
			await form.locator('textarea[name="reason"]').fill(SUSPENSION);
			anna.once('dialog', (dialog) => dialog.accept()); // a danger button asks first
			const resp = await clickAndLoad(anna, form.getByRole('button', { name: 'Suspend', exact: true }),
				'button "Suspend"');
			if (pathOf(anna) !== '/moderation')
				fail(`after "Suspend" anna is at ${pathOf(anna)} (HTTP ${resp && resp.status()})`);
			await visible(rudeSubject(anna).locator('details.author-actions summary .badge', { hasText: 'Suspended' }),
				'the author marked suspended in the queue');
		}],

		['david: every page says why he is suspended and until when; he can no longer comment', async () => {
			await david.goto(questionPath, { waitUntil: 'load' });
			const banner = david.locator('.alert.suspended');
			await visible(banner, 'the suspension banner');
			const text = await banner.innerText();
			assert(text.includes(SUSPENSION), `the banner should give the reason, it says: ${text}`);
			assert(text.includes(until), `the banner should say until when (${until}), it says: ${text}`);
			assert(await david.locator('main form[action$="/comments"]').count() === 0,
				'a suspended member should be offered no comment form');
			assert(await david.locator('main a[href$="/report"]').count() === 0,
				'a suspended member should be offered no report links');
			assert(await david.getByText('Join the community to answer.').count() === 0,
				'a suspended member is a member still: nothing should ask him to join');
			return screenshot(david, 'moderation-suspended.png');
		}],

		['helena: hides the comment', async () => {
			const subject = rudeSubject(helena);
			// a danger button asks first (static/kring.js)
			let asked = null;
			helena.once('dialog', (dialog) => {
				asked = dialog.message();
				dialog.accept();
			});
			const resp = await clickAndLoad(helena, subject.getByRole('button', { name: 'Hide', exact: true }), 'button "Hide"');
			assert(asked, 'hiding should ask for confirmation first');
			if (pathOf(helena) !== '/moderation')
				fail(`after "Hide" helena is at ${pathOf(helena)} (HTTP ${resp && resp.status()})`);
			await visible(helena.locator('main section[id^="hidden-comment-"]', { hasText: RUDE }),
				'the comment among the hidden content');
			// gone for other members
			await ingrid.goto(questionPath, { waitUntil: 'load' });
			assert(await ingrid.locator('main li.comment', { hasText: RUDE }).count() === 0,
				'the hidden comment should be gone from the question for other members');
		}],

		['david: the bell tells him of the warning, which leads to his standing', async () => {
			await david.goto('/', { waitUntil: 'load' });
			await visible(header(david).locator('.unread-count'), 'the unread count in the header');
			await clickAndLoad(david, header(david).getByRole('link', { name: /Notifications/ }), 'link "Notifications"');
			const told = david.getByRole('link', { name: `You were warned: ${WARNING}` });
			await visible(told, 'the warning in the notifications');
			await clickAndLoad(david, told, 'the warning');
			await expectPath(david, '/settings/standing');
			await visible(david.locator('main #warnings li', { hasText: WARNING }), 'the warning in his standing');
			await visible(david.locator('main #warnings li', { hasText: 'Fika with a topic' }), 'where it was given');
			return screenshot(david, 'moderation-standing.png');
		}],

		['ingrid: sees the outcome of her report', async () => {
			await ingrid.goto('/settings/reports', { waitUntil: 'load' });
			await visible(ingrid.locator('main table.list tr', { hasText: 'Reviewed: hidden by a moderator' }),
				'the outcome "hidden"');
			return screenshot(ingrid, 'moderation-report-outcome.png');
		}],

		['no script errors or failing requests on the way', async () => {
			assert(pageErrors.length === 0, pageErrors.join('\n'));
		}],
	];

	await runSteps(steps, () => pages);
}

run({
	name: 'moderation.mjs',
	setup: ({ bin, dbPath }) => {
		const out = kringCli(bin, ['init', '--demo', '--db', dbPath]);
		assert(/Loaded the demo/.test(out), `kring init --demo said: ${out}`);
	},
	journey,
	wholeRunMs: 90_000,
});
