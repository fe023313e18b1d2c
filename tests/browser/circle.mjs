// Browser journey of an intervision circle, from a case to a published best
// practice: a member starts a circle and invites two others, one of them
// brings a case, the host takes it through the rounds (a contribution that
// does not fit the round is refused with the rule shown), the case-bringer
// reflects, the host closes it with the lessons learned, and the
// case-bringer publishes the lessons, anonymised and edited, as a best
// practice in a public community, which a visitor then reads without any
// trace of the circle.
//
// Starts its own kring server on a fresh database with one admin (made with
// `kring user add --admin` before the server starts), then drives Debian's
// Chromium through playwright-core with one browser context per person:
//   admin    signs in and creates the public community "Open Leadership";
//   host     signs up, starts the circle, invites the two others, moves the
//            case through its rounds and closes it with the lessons;
//   bringer  signs up, joins the public community, accepts the invitation,
//            brings the case, answers a question, reflects and publishes
//            the lessons;
//   peer     signs up, accepts the invitation, gives advice too early (and
//            is refused), asks a question, analyses;
//   visitor  signed out: reads the best practice.
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node circle.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import {
	absent, alerts, assert, clickAndLoad, expectPath, fail, fillByLabel, kringCli, launchBrowser, newContext,
	pathOf, personMaker, run, runSteps, signIn, signUp, visible, watchPageErrors,
} from './lib.mjs';

const ADMIN = { handle: 'root', email: 'root@example.org', password: 'root password for the circle' };
const HOST = { name: 'Hanna Holm', handle: 'hanna', email: 'hanna@example.test', password: 'host password 1234' };
const BRINGER = { name: 'Bo Berg', handle: 'bo', email: 'bo@example.test', password: 'bringer password 1234' };
const PEER = { name: 'Cyrus Lind', handle: 'cyrus', email: 'cyrus@example.test', password: 'peer password 1234' };

const CIRCLE = {
	name: 'Harbour Managers',
	slug: 'harbour-managers',
	description: 'New managers in the harbour district.',
	purpose: 'We take one real case a session through the rounds.',
};
const PUBLIC = { name: 'Open Leadership', slug: 'open-leadership', description: 'Leadership, openly shared.' };
const CASE = {
	title: 'A team that stopped talking to me',
	situation: 'Since the reorganisation my team avoids me. Cyrus Lind saw it too when he visited the Harbour Managers.',
	question: 'How do I get them talking again?',
};
const EARLY_ADVICE = 'Talk to them one by one.';
const ROUND_RULE = 'In the clarifying round, ask a question: analysis and advice come in their own rounds.';
const CLARIFYING = 'When did it start, exactly?';
const ANSWER = 'Right after the reorganisation was announced.';
const ANALYSIS = 'The reorganisation broke their trust; nobody named what they lost.';
const REFLECTION = 'I will hold a retrospective on the reorganisation next week.';
const LESSONS = 'As @cyrus said: name the loss before you plan ahead. Thanks, Hanna!';
const ARTICLE = {
	title: 'Name the loss before you plan ahead',
	extra: 'Hold a retrospective on the change before the next plan.',
};

const circlePath = `/c/${CIRCLE.slug}`;
const publicPath = `/c/${PUBLIC.slug}`;

// Filled in as the journey goes.
let casePath = null;    // /items/ID-slug
let articlePath = null;

// Traces of the circle that must not leave it.
const TRACES = [CIRCLE.name, circlePath, PEER.name, `@${PEER.handle}`, HOST.name, `@${HOST.handle}`, 'Cyrus', 'Hanna'];

// Opens the circle and accepts the invitation waiting there.
async function acceptInvitation(page) {
	const resp = await page.goto(circlePath, { waitUntil: 'load' });
	assert(resp && resp.status() === 200, `GET ${circlePath} answered ${resp && resp.status()}`);
	await clickAndLoad(page, page.getByRole('button', { name: 'Accept the invitation', exact: true }),
		'button "Accept the invitation"');
	await expectPath(page, circlePath);
	await visible(page.getByRole('link', { name: 'Bring a case', exact: true }), 'link "Bring a case"');
}

// Contributes text in the case's current round; returns the response.
async function contribute(page, text) {
	const resp = await page.goto(casePath, { waitUntil: 'load' });
	assert(resp && resp.status() === 200, `GET ${casePath} answered ${resp && resp.status()}`);
	await fillByLabel(page, 'Your contribution', 'contribution', text);
	return clickAndLoad(page, page.getByRole('button', { name: 'Contribute', exact: true }), 'button "Contribute"');
}

// The case's current round, as the page marks it.
async function currentRound(page) {
	const step = page.locator('main ol.rounds li[aria-current="step"]');
	await visible(step, 'the current round (aria-current="step")');
	return (await step.innerText()).trim();
}

// The host moves the case on to the round named label.
async function nextRound(page, label, lessons) {
	const resp = await page.goto(casePath, { waitUntil: 'load' });
	assert(resp && resp.status() === 200, `GET ${casePath} answered ${resp && resp.status()}`);
	if (lessons)
		await fillByLabel(page, 'Lessons learned', 'lessons', lessons);
	const moved = await clickAndLoad(page, page.getByRole('button', { name: `On to the next round: ${label}`, exact: true }),
		`button "On to the next round: ${label}"`);
	if (pathOf(page) !== casePath)
		fail(`after moving on the host is at ${pathOf(page)} (HTTP ${moved && moved.status()})${await alerts(page)}`);
	const round = await currentRound(page);
	assert(round === label, `the current round should be "${label}", is "${round}"`);
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const admin = await person('admin');
	const host = await person('host');
	const bringer = await person('bringer');
	const peer = await person('peer');

	const steps = [
		// ---------------------------------------------------- 1. the people
		['admin: signs in and creates the public community', async () => {
			await signIn(admin, ADMIN.handle, ADMIN.password);
			await admin.goto('/c/new', { waitUntil: 'load' });
			await fillByLabel(admin, 'Name', 'name', PUBLIC.name);
			await fillByLabel(admin, 'Address', 'slug', PUBLIC.slug);
			await fillByLabel(admin, 'Description', 'description', PUBLIC.description);
			await admin.getByRole('radio', { name: 'Public: anyone can read, even when signed out' }).check();
			await admin.getByRole('radio', { name: 'Open: anyone can join' }).check();
			await admin.getByLabel('Language', { exact: true }).selectOption('en');
			const resp = await clickAndLoad(admin, admin.getByRole('button', { name: 'Save', exact: true }), 'button "Save"');
			if (pathOf(admin) !== publicPath)
				fail(`after "Save" the admin is at ${pathOf(admin)} (HTTP ${resp && resp.status()})${await alerts(admin)}`);
		}],

		['host, case-bringer and peer sign up', async () => {
			await signUp(host, HOST);
			await signUp(bringer, BRINGER);
			await signUp(peer, PEER);
		}],

		['case-bringer: joins the public community', async () => {
			await bringer.goto(publicPath, { waitUntil: 'load' });
			await clickAndLoad(bringer, bringer.locator('main .page-head').getByRole('button', { name: 'Join', exact: true }),
				'button "Join"');
			await expectPath(bringer, publicPath);
			await visible(bringer.getByRole('button', { name: 'Leave', exact: true }), 'button "Leave"');
		}],

		// --------------------------------------------------- 2. the circle
		['host: starts the circle from Communities → Start a circle', async () => {
			await host.goto('/c', { waitUntil: 'load' });
			await clickAndLoad(host, host.getByRole('link', { name: 'Start a circle', exact: true }), 'link "Start a circle"');
			await expectPath(host, '/c/new?kind=circle');
			await fillByLabel(host, 'Name', 'name', CIRCLE.name);
			await fillByLabel(host, 'Address', 'slug', CIRCLE.slug);
			await fillByLabel(host, 'Description', 'description', CIRCLE.description);
			await fillByLabel(host, 'Purpose', 'purpose', CIRCLE.purpose);
			const resp = await clickAndLoad(host, host.getByRole('button', { name: 'Save', exact: true }), 'button "Save"');
			if (pathOf(host) !== circlePath)
				fail(`after "Save" the host is at ${pathOf(host)} (HTTP ${resp && resp.status()})${await alerts(host)}`);
			const badges = (await host.locator('main .page-head .badge').allInnerTexts()).map((t) => t.trim());
			assert(badges.includes('Circle'), `the circle's page should be marked "Circle", badges: ${JSON.stringify(badges)}`);
			return `badges ${badges.join(', ')}`;
		}],

		['host: invites the case-bringer and the peer on the members page', async () => {
			for (const who of [BRINGER, PEER]) {
				await host.goto(`${circlePath}/members`, { waitUntil: 'load' });
				await fillByLabel(host, 'Handle', 'handle', who.handle);
				const resp = await clickAndLoad(host, host.getByRole('button', { name: 'Invite', exact: true }), 'button "Invite"');
				if (pathOf(host) !== `${circlePath}/members`)
					fail(`after inviting ${who.handle} the host is at ${pathOf(host)} (HTTP ${resp && resp.status()})${await alerts(host)}`);
			}
		}],

		['case-bringer and peer accept the invitation', async () => {
			await acceptInvitation(bringer);
			await acceptInvitation(peer);
		}],

		// ----------------------------------------------------- 3. the case
		['case-bringer: brings a case from the circle\'s page', async () => {
			await bringer.goto(circlePath, { waitUntil: 'load' });
			await clickAndLoad(bringer, bringer.getByRole('link', { name: 'Bring a case', exact: true }), 'link "Bring a case"');
			await expectPath(bringer, `${circlePath}/new?kind=case`);
			await fillByLabel(bringer, 'The case in a few words', 'title', CASE.title);
			await fillByLabel(bringer, 'The situation', 'situation', CASE.situation);
			await fillByLabel(bringer, 'The question to the circle', 'question', CASE.question);
			const resp = await clickAndLoad(bringer, bringer.getByRole('button', { name: 'Bring it to the circle', exact: true }),
				'button "Bring it to the circle"');
			if (!/^\/items\/\d+-[a-z0-9-]+$/.test(pathOf(bringer)))
				fail(`after bringing the case the browser is at ${pathOf(bringer)} (HTTP ${resp && resp.status()})${await alerts(bringer)}`);
			casePath = pathOf(bringer);
			const round = await currentRound(bringer);
			assert(round === 'Clarifying questions', `a new case should be in "Clarifying questions", is in "${round}"`);
			return casePath;
		}],

		['peer: advice in the clarifying round is refused with the round\'s rule', async () => {
			const resp = await contribute(peer, EARLY_ADVICE);
			assert(resp && resp.status() === 422, `early advice should be refused with 422, got ${resp && resp.status()}`);
			const alert = peer.getByRole('alert').filter({ hasText: ROUND_RULE });
			await visible(alert, 'the refusal');
			const text = (await alert.first().innerText()).trim();
			assert(text === ROUND_RULE, `the refusal should say "${ROUND_RULE}"${await alerts(peer)}`);
			await visible(peer.locator('main pre.kept', { hasText: EARLY_ADVICE }), 'what the peer wrote, kept');
			return `"${text}"`;
		}],

		['peer asks, the case-bringer answers', async () => {
			let resp = await contribute(peer, CLARIFYING);
			assert(pathOf(peer) === casePath, `after a question the peer is at ${pathOf(peer)} (HTTP ${resp && resp.status()})${await alerts(peer)}`);
			resp = await contribute(bringer, ANSWER);
			assert(pathOf(bringer) === casePath, `after answering the case-bringer is at ${pathOf(bringer)} (HTTP ${resp && resp.status()})${await alerts(bringer)}`);
			const round = bringer.locator('main section.round-contributions', { hasText: 'Clarifying questions' });
			await visible(round.getByText(CLARIFYING), 'the question in the clarifying round');
			await visible(round.getByText(ANSWER), 'the answer in the clarifying round');
		}],

		['host: on to the analysis; the peer analyses', async () => {
			await nextRound(host, 'Analysis');
			const resp = await contribute(peer, ANALYSIS);
			assert(pathOf(peer) === casePath, `after analysing the peer is at ${pathOf(peer)} (HTTP ${resp && resp.status()})${await alerts(peer)}`);
		}],

		['host: on to the advice and the reflection; the case-bringer reflects', async () => {
			await nextRound(host, 'Advice');
			await nextRound(host, 'Reflection');
			const resp = await contribute(bringer, REFLECTION);
			assert(pathOf(bringer) === casePath, `after reflecting the case-bringer is at ${pathOf(bringer)} (HTTP ${resp && resp.status()})${await alerts(bringer)}`);
			await visible(bringer.locator('main section.round-contributions', { hasText: 'Reflection' }).getByText(REFLECTION),
				'the reflection in its round');
		}],

		['host: closes the case with the lessons learned', async () => {
			await nextRound(host, 'Closed', LESSONS);
			await visible(host.locator('main .lessons', { hasText: 'name the loss' }), 'the lessons learned');
			await absent(host.getByRole('link', { name: 'Publish the lessons as a best practice', exact: true }),
				'the link to publish the lessons for the host');
		}],

		// ------------------------------------------ 4. publishing the lessons
		['case-bringer: the draft leaves out the circle\'s name and its members\' names', async () => {
			await bringer.goto(casePath, { waitUntil: 'load' });
			await clickAndLoad(bringer, bringer.getByRole('link', { name: 'Publish the lessons as a best practice', exact: true }),
				'link "Publish the lessons as a best practice"');
			await expectPath(bringer, /\/items\/\d+\/publish-lessons$/);
			const situation = await bringer.locator('#situation').inputValue();
			const approach = await bringer.locator('#approach').inputValue();
			for (const trace of [CIRCLE.name, PEER.name, `@${PEER.handle}`, 'Hanna'])
				assert(!situation.includes(trace) && !approach.includes(trace),
					`the draft still has "${trace}": situation "${situation}", approach "${approach}"`);
			assert(situation.includes('[the circle]') && approach.includes('[a member]'),
				`the draft should mark what it left out: situation "${situation}", approach "${approach}"`);
			const summary = await bringer.locator('#summary').inputValue();
			assert(summary === CASE.question, `the summary should be the case's question, is "${summary}"`);
			return `approach "${approach}"`;
		}],

		['case-bringer: edits the draft and sees the preview', async () => {
			await fillByLabel(bringer, 'Title', 'title', ARTICLE.title);
			await fillByLabel(bringer, 'Approach', 'approach', `${ARTICLE.title}.\n\n${ARTICLE.extra}`);
			await clickAndLoad(bringer, bringer.getByRole('button', { name: 'Update the preview', exact: true }),
				'button "Update the preview"');
			const preview = bringer.locator('main section.preview');
			await visible(preview.getByRole('heading', { name: ARTICLE.title, exact: true }), 'the preview\'s title');
			await visible(preview.getByText(ARTICLE.extra), 'the edited approach in the preview');
		}],

		['case-bringer: publishes it in the public community', async () => {
			await bringer.getByLabel('Community', { exact: true }).selectOption(PUBLIC.slug);
			const resp = await clickAndLoad(bringer, bringer.getByRole('button', { name: 'Publish as a best practice', exact: true }),
				'button "Publish as a best practice"');
			if (!/^\/items\/\d+-[a-z0-9-]+$/.test(pathOf(bringer)))
				fail(`after publishing the case-bringer is at ${pathOf(bringer)} (HTTP ${resp && resp.status()})${await alerts(bringer)}`);
			articlePath = pathOf(bringer);
			await visible(bringer.getByRole('heading', { level: 1, name: ARTICLE.title, exact: true }), 'the best practice\'s title');
			return articlePath;
		}],

		['the case links to the best practice, inside the circle', async () => {
			await peer.goto(casePath, { waitUntil: 'load' });
			const note = peer.locator('main .lessons-published');
			await visible(note, 'the note that the lessons were published');
			const href = await note.getByRole('link', { name: ARTICLE.title, exact: true }).getAttribute('href');
			assert(href === articlePath, `the case should link to ${articlePath}, links to ${href}`);
		}],

		// --------------------------------------------- 5. outside the circle
		['visitor: reads the best practice, with no trace of the circle', async () => {
			const visitor = await person('visitor');
			const resp = await visitor.goto(articlePath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${articlePath} answered ${resp && resp.status()}`);
			await visible(visitor.getByRole('heading', { level: 1, name: ARTICLE.title, exact: true }), 'the title');
			await visible(visitor.getByText(ARTICLE.extra), 'the approach');
			const community = visitor.locator('main .item-meta a.community-link');
			assert((await community.innerText()).trim() === PUBLIC.name, 'the best practice should be in the public community');
			await visible(visitor.locator('main .byline').getByRole('link', { name: BRINGER.name, exact: true }), 'the case-bringer as its author');
			const html = await visitor.content();
			for (const trace of [...TRACES, casePath])
				assert(!html.includes(trace), `the best practice's page shows "${trace}"`);
			const gone = await visitor.goto(casePath, { waitUntil: 'load' });
			assert(gone && gone.status() === 404, `the case should be 404 to the visitor, is ${gone && gone.status()}`);
		}],

		['no script errors or failing requests on the way', async () => {
			assert(pageErrors.length === 0, pageErrors.join('\n'));
		}],
	];

	await runSteps(steps, () => pages);
}

run({
	name: 'circle.mjs',
	wholeRunMs: 120_000,
	setup: ({ bin, dbPath }) => kringCli(bin,
		['user', 'add', ADMIN.handle, '--email', ADMIN.email, '--name', 'Root Admin', '--admin', '--password-stdin', '--db', dbPath],
		`${ADMIN.password}\n`),
	journey,
});
