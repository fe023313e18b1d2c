// Browser journeys of kring: join a community, ask, answer, accept, comment,
// react.
//
// Starts its own kring server on a fresh database with one admin (made with
// `kring user add --admin` before the server starts), then drives Debian's
// Chromium through playwright-core with one browser context per person:
//   admin     signs in, creates a public community anyone can join (/c/new);
//   asker     signs up, joins from /c, asks a question with Markdown and tags,
//             accepts the answer, finds it under /questions "Accepted",
//             reacts "Thanks" on the answer and takes it back;
//   answerer  signs up, joins, answers from the community page, comments on
//             the question with links;
//   visitor   signed out: reads the public question, can neither answer nor
//             react.
// Every step is asserted (address, visible text, attributes).
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node journeys.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import fs from 'node:fs';
import path from 'node:path';
import {
	absent, ACTION_MS, alerts, assert, clickAndLoad, expectPath, fail, fillByLabel, kringCli, launchBrowser, nav,
	newContext, openAccountMenu, pathOf, personMaker, run, runSteps, SCREENSHOTS, signUp, visible,
	watchPageErrors,
} from './lib.mjs';

const ADMIN = { handle: 'root', email: 'root@example.org', password: 'root password for the journey' };
const ASKER = {
	name: 'Astrid Asker',
	handle: 'astrid',
	email: 'astrid@example.test',
	password: 'asker password 1234',
};
const ANSWERER = {
	name: 'Bram Answerer',
	handle: 'bram',
	email: 'bram@example.test',
	password: 'answerer password 1234',
};
const COMMUNITY = {
	name: 'Platform Guild',
	slug: 'platform-guild',
	description: 'Where the **platform** people share what they learn.',
};
const QUESTION = {
	title: 'How do we rotate the staging TLS certificates?',
	body: 'The certificates on **staging** expire next month.\n\nWho knows the steps?',
	strong: 'staging',
	tags: ['tls', 'staging'],
};
const ANSWER = {
	body: 'Run the `rotate-certs` job, then **restart the proxies** one by one.',
	strong: 'restart the proxies',
};
const COMMENT = {
	url: 'https://example.org/runbook/tls',
	endUrl: 'https://example.org/faq',
};
COMMENT.body = `The runbook: ${COMMENT.url} (step 3), and the FAQ is at ${COMMENT.endUrl}.`;
const LINK_REL = 'nofollow ugc noopener';

// A date about a month ahead, YYYY-MM-DD.
const NEEDED_BY = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);

const communityPath = `/c/${COMMUNITY.slug}`;

// Filled in as the journey goes.
let questionPath = null; // /items/ID-slug
let questionId = null;
let answerId = null;

const questionArticle = (page) => page.locator('main article.item');
const answers = (page) => page.locator('main section.answers article.answer');
const statusBadge = (page) => questionArticle(page).locator('.item-meta .badge[class*="status-"]');

async function screenshot(page, name) {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
	return `screenshot screenshots/${name}`;
}

async function expectStatus(page, code, label) {
	const badge = statusBadge(page);
	const n = await badge.count();
	assert(n === 1, `the question should show one status badge, shows ${n}`);
	const cls = await badge.getAttribute('class');
	const text = (await badge.innerText()).trim();
	assert(cls.split(/\s+/).includes(`status-${code}`) && text === label,
		`the question's status should be "${label}" (class status-${code}), is "${text}" (class "${cls}")`);
}

// The number in the community page's "N members" link.
async function memberCount(page) {
	const link = page.locator('main .page-head').getByRole('link', { name: /\d+ members?$/ });
	await visible(link, 'the "N members" link on the community page');
	return Number(/(\d+) members?/.exec(await link.innerText())[1]);
}

// From anywhere: header "Communities" → /c → the community's card → its page.
async function openCommunityFromList(page) {
	await clickAndLoad(page, nav(page).getByRole('link', { name: 'Communities', exact: true }), 'header link "Communities"');
	await expectPath(page, '/c');
	const card = page.locator('main .community-card').filter({ hasText: COMMUNITY.name });
	await clickAndLoad(page, card.getByRole('link', { name: COMMUNITY.name, exact: true }),
		`the link "${COMMUNITY.name}" on /c`);
	await expectPath(page, communityPath);
	await visible(page.getByRole('heading', { level: 1, name: COMMUNITY.name, exact: true }),
		`heading "${COMMUNITY.name}"`);
}

// Joins the open community from its page; "Ask a question" appears.
async function join(page) {
	const before = await memberCount(page);
	await absent(page.locator('main').getByRole('link', { name: 'Ask a question', exact: true }), 'link "Ask a question" before joining');
	const resp = await clickAndLoad(page, page.locator('main .page-head').getByRole('button', { name: 'Join', exact: true }),
		'button "Join"');
	if (pathOf(page) !== communityPath)
		fail(`after "Join" the browser is at ${pathOf(page)} (HTTP ${resp && resp.status()}), expected ${communityPath}${await alerts(page)}`);
	await visible(page.locator('main').getByRole('link', { name: 'Ask a question', exact: true }), 'link "Ask a question"');
	await absent(page.getByRole('button', { name: 'Join', exact: true }), 'button "Join" after joining');
	await visible(page.getByRole('button', { name: 'Leave', exact: true }), 'button "Leave"');
	const after = await memberCount(page);
	assert(after === before + 1, `the member count should go from ${before} to ${before + 1}, shows ${after}`);
	return `${after} members`;
}

// Clicks a reaction button, which the page updates in place (kring.js),
// and waits until its count is `count`.
async function clickReaction(page, button, count, what) {
	await visible(button, what);
	await button.first().click({ timeout: ACTION_MS });
	await visible(button.locator('.count').filter({ hasText: new RegExp(`^${count}$`) }),
		`${what} with the count ${count}`);
}

// The "Thanks" reaction button on the (only) answer, and its state.
function thanksButton(page) {
	return answers(page).first().locator('.reactions button.reaction').filter({ hasText: 'Thanks' });
}

async function thanksState(page) {
	const button = thanksButton(page);
	const n = await button.count();
	assert(n === 1, `expected one "Thanks" button on the answer, found ${n}`);
	return {
		count: (await button.locator('.count').innerText()).trim(),
		pressed: await button.getAttribute('aria-pressed'),
		on: (await button.getAttribute('class')).split(/\s+/).includes('on'),
	};
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const admin = await person('admin');
	const asker = await person('asker');
	const answerer = await person('answerer');
	let visitor = null;

	const steps = [
		// ---------------------------------------------------------- 1. set up
		['admin: signs in', async () => {
			await admin.goto('/login', { waitUntil: 'load' });
			await admin.locator('#login').fill(ADMIN.handle);
			await admin.locator('#password').fill(ADMIN.password);
			const resp = await clickAndLoad(admin, admin.getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
			if (pathOf(admin) !== '/')
				fail(`after "Sign in" the admin is at ${pathOf(admin)} (HTTP ${resp && resp.status()})${await alerts(admin)}`);
			await visible((await openAccountMenu(admin)).getByRole('link', { name: 'Administration', exact: true }), 'header link "Administration"');
		}],

		['admin: creates a public, open community at /c/new', async () => {
			await clickAndLoad(admin, nav(admin).getByRole('link', { name: 'Communities', exact: true }), 'header link "Communities"');
			await expectPath(admin, '/c');
			await clickAndLoad(admin, admin.getByRole('link', { name: 'New community', exact: true }), 'link "New community"');
			await expectPath(admin, '/c/new');
			await fillByLabel(admin, 'Name', 'name', COMMUNITY.name);
			await fillByLabel(admin, 'Address', 'slug', COMMUNITY.slug);
			await fillByLabel(admin, 'Description', 'description', COMMUNITY.description);
			await admin.getByRole('radio', { name: 'Public: anyone can read, even when signed out' }).check();
			await admin.getByRole('radio', { name: 'Open: anyone can join' }).check();
			await admin.getByLabel('Language', { exact: true }).selectOption('en');
			const resp = await clickAndLoad(admin, admin.getByRole('button', { name: 'Save', exact: true }), 'button "Save"');
			if (pathOf(admin) !== communityPath)
				fail(`after "Save" the admin is at ${pathOf(admin)} (HTTP ${resp && resp.status()}), expected ${communityPath}${await alerts(admin)}`);
			await visible(admin.getByRole('heading', { level: 1, name: COMMUNITY.name, exact: true }), `heading "${COMMUNITY.name}"`);
			const badges = (await admin.locator('main .page-head .badge').allInnerTexts()).map((t) => t.trim());
			assert(badges.includes('public') && badges.includes('open to join'),
				`the community should be marked "public" and "open to join", badges: ${JSON.stringify(badges)}`);
			await visible(admin.locator('main aside strong', { hasText: 'platform' }), 'the description rendered as Markdown (<strong>platform</strong>)');
			return `badges ${badges.join(', ')}`;
		}],

		['asker: signs up in the browser', () => signUp(asker, ASKER)],
		['answerer: signs up in the browser', () => signUp(answerer, ANSWERER)],

		// ---------------------------------------------------------- 2. asker
		['asker: opens /c and the community, it offers "Join"', async () => {
			await openCommunityFromList(asker);
			await visible(asker.getByRole('button', { name: 'Join', exact: true }), 'button "Join"');
		}],

		['asker: "Join" makes a member who can ask', () => join(asker)],

		['asker: "Ask a question" opens the question composer', async () => {
			await clickAndLoad(asker, asker.locator('main').getByRole('link', { name: 'Ask a question', exact: true }), 'link "Ask a question"');
			await expectPath(asker, `${communityPath}/new?kind=question`);
			await fillByLabel(asker, 'Your question', 'title', QUESTION.title);
			await fillByLabel(asker, 'Details', 'body', QUESTION.body);
			await fillByLabel(asker, 'Tags', 'tags', QUESTION.tags.join(', '));
			await fillByLabel(asker, 'Needed by (optional)', 'needed_by', NEEDED_BY);
		}],

		['asker: "Ask" lands on the question with title, Markdown and tags', async () => {
			const resp = await clickAndLoad(asker, asker.getByRole('button', { name: 'Ask', exact: true }), 'button "Ask"');
			const m = /^\/items\/(\d+)-[a-z0-9-]+$/.exec(pathOf(asker));
			if (!m)
				fail(`after "Ask" the browser is at ${pathOf(asker)} (HTTP ${resp && resp.status()}), expected /items/ID-slug${await alerts(asker)}`);
			questionId = Number(m[1]);
			questionPath = pathOf(asker);
			await visible(asker.getByRole('heading', { level: 1, name: QUESTION.title, exact: true }), `heading "${QUESTION.title}"`);
			const strong = questionArticle(asker).locator('.prose strong');
			await visible(strong, 'the question body rendered as Markdown (a <strong>)');
			const strongText = (await strong.first().innerText()).trim();
			assert(strongText === QUESTION.strong, `the <strong> should say "${QUESTION.strong}", says "${strongText}"`);
			const prose = await questionArticle(asker).locator('.prose').first().innerHTML();
			assert(!prose.includes('**'), `the question body still shows Markdown asterisks: ${prose}`);
			const tagLinks = questionArticle(asker).locator('p.tags a.tag');
			const tags = (await tagLinks.allInnerTexts()).map((t) => t.trim());
			assert([...tags].sort().join() === [...QUESTION.tags].sort().join(),
				`the question should show the tags ${QUESTION.tags.join(', ')}, shows ${tags.join(', ') || 'none'}`);
			for (const tag of QUESTION.tags) {
				const href = await tagLinks.filter({ hasText: tag }).first().getAttribute('href');
				assert(href === `/tags/${tag}`, `the tag "${tag}" should link to /tags/${tag}, links to ${href}`);
			}
			const community = await questionArticle(asker).locator('.item-meta a.community-link').getAttribute('href');
			assert(community === communityPath, `the question should link to its community ${communityPath}, links to ${community}`);
			await expectStatus(asker, 'unanswered', 'Unanswered');
			await visible(asker.getByRole('heading', { level: 2, name: '0 answers', exact: true }), 'heading "0 answers"');
			return `${questionPath}; ${await screenshot(asker, 'question-asked.png')}`;
		}],

		['asker: the question shows its "needed by" date', async () => {
			const time = questionArticle(asker).locator('.item-meta .badge time');
			const n = await time.count();
			assert(n === 1, `expected one "needed by" <time> on the question, found ${n}`);
			const datetime = await time.getAttribute('datetime');
			const text = (await time.innerText()).trim();
			assert(datetime && datetime.startsWith(NEEDED_BY),
				`the "needed by" <time> should have datetime="${NEEDED_BY}...", has datetime="${datetime}" and text "${text}"`);
			assert(text.length > 0, `the "needed by" <time datetime="${datetime}"> shows no date`);
			return `datetime ${datetime}, "${text}"`;
		}, { soft: true }],

		// ------------------------------------------------------- 3. answerer
		['answerer: joins the community', async () => {
			await openCommunityFromList(answerer);
			return join(answerer);
		}],

		['answerer: opens the question from the community page', async () => {
			const link = answerer.locator('main .item-list a.item-title', { hasText: QUESTION.title });
			await clickAndLoad(answerer, link, `the question "${QUESTION.title}" in the community's stream`);
			await expectPath(answerer, questionPath);
			await visible(answerer.getByRole('heading', { level: 1, name: QUESTION.title, exact: true }), `heading "${QUESTION.title}"`);
			await visible(answerer.getByRole('button', { name: 'Post your answer', exact: true }), 'button "Post your answer"');
		}],

		['answerer: "Post your answer" shows the answer on the page', async () => {
			await fillByLabel(answerer, 'Your answer', 'answer-body', ANSWER.body);
			const resp = await clickAndLoad(answerer, answerer.getByRole('button', { name: 'Post your answer', exact: true }),
				'button "Post your answer"');
			if (pathOf(answerer) !== questionPath)
				fail(`after "Post your answer" the browser is at ${pathOf(answerer)} (HTTP ${resp && resp.status()}), expected ${questionPath}${await alerts(answerer)}`);
			const n = await answers(answerer).count();
			assert(n === 1, `the question should show 1 answer, shows ${n}`);
			const answer = answers(answerer).first();
			const strong = (await answer.locator('.prose strong').allInnerTexts()).map((t) => t.trim());
			assert(strong.includes(ANSWER.strong), `the answer should render **${ANSWER.strong}** as <strong>, has ${JSON.stringify(strong)}`);
			await visible(answer.locator('.prose code', { hasText: 'rotate-certs' }), 'the answer\'s `rotate-certs` as <code>');
			await visible(answer.locator('.byline').getByRole('link', { name: ANSWERER.name, exact: true }), `the answer's author "${ANSWERER.name}"`);
			answerId = Number(/^answer-(\d+)$/.exec(await answer.getAttribute('id'))?.[1]);
			assert(answerId > 0, `the answer has no id="answer-N": ${await answer.getAttribute('id')}`);
			const hash = new URL(answerer.url()).hash;
			assert(hash === `#answer-${answerId}`, `the address should point at #answer-${answerId}, has "${hash}"`);
			await visible(answerer.getByRole('heading', { level: 2, name: '1 answer', exact: true }), 'heading "1 answer"');
			await expectStatus(answerer, 'answered', 'Answered');
			await absent(answer.getByRole('button', { name: 'Accept this answer' }), 'button "Accept this answer" for the answerer');
			return `answer-${answerId}`;
		}],

		// ------------------------------------------------------------ 4. accept
		['asker: reloads and sees the answer', async () => {
			const resp = await asker.reload({ waitUntil: 'load' });
			assert(resp && resp.status() === 200, `reloading ${questionPath} answered ${resp && resp.status()}`);
			const n = await answers(asker).count();
			assert(n === 1, `after reloading the asker should see 1 answer, sees ${n}`);
			await visible(answers(asker).first().locator('.prose strong', { hasText: ANSWER.strong }), 'the answer');
			await absent(answers(asker).first().getByText('Accepted answer', { exact: true }), '"Accepted answer" before accepting');
		}],

		['asker: "Accept this answer" marks it accepted', async () => {
			const answer = answers(asker).first();
			const resp = await clickAndLoad(asker, answer.getByRole('button', { name: 'Accept this answer', exact: true }),
				'button "Accept this answer"');
			if (pathOf(asker) !== questionPath)
				fail(`after "Accept this answer" the browser is at ${pathOf(asker)} (HTTP ${resp && resp.status()}), expected ${questionPath}${await alerts(asker)}`);
			const accepted = answers(asker).first();
			await visible(accepted.getByText('Accepted answer', { exact: true }), 'the "Accepted answer" marker');
			const cls = await accepted.getAttribute('class');
			assert(cls.split(/\s+/).includes('accepted'), `the answer should have class "accepted", has "${cls}"`);
			await visible(accepted.getByRole('button', { name: 'Withdraw acceptance', exact: true }), 'button "Withdraw acceptance"');
			await expectStatus(asker, 'accepted', 'Accepted');
			return screenshot(asker, 'question-accepted.png');
		}],

		['asker: /questions with status "Accepted" lists the question as accepted', async () => {
			await clickAndLoad(asker, nav(asker).getByRole('link', { name: 'Questions', exact: true }), 'header link "Questions"');
			await expectPath(asker, '/questions');
			await asker.getByLabel('Status').selectOption({ label: 'Accepted' });
			await clickAndLoad(asker, asker.getByRole('button', { name: 'Filter', exact: true }), 'button "Filter"');
			const u = new URL(asker.url());
			assert(u.pathname === '/questions' && u.searchParams.get('status') === 'accepted',
				`expected /questions?status=accepted..., the browser is at ${pathOf(asker)}`);
			const selected = await asker.getByLabel('Status').inputValue();
			assert(selected === 'accepted', `the status filter should stay on "accepted", is "${selected}"`);
			const entry = asker.locator('main .item-list li.item-summary').filter({ hasText: QUESTION.title });
			await visible(entry, `the question "${QUESTION.title}" in the list`);
			const badge = entry.locator('.badge.status-accepted');
			await visible(badge, 'the "Accepted" status badge in the list');
			const text = (await badge.innerText()).trim();
			assert(text === 'Accepted', `the list's status badge should say "Accepted", says "${text}"`);
			const href = await entry.locator('a.item-title').getAttribute('href');
			assert(href === questionPath, `the list should link to ${questionPath}, links to ${href}`);
			return pathOf(asker);
		}],

		['asker: /questions with status "Unanswered" does not list it', async () => {
			await asker.getByLabel('Status').selectOption({ label: 'Unanswered' });
			await clickAndLoad(asker, asker.getByRole('button', { name: 'Filter', exact: true }), 'button "Filter"');
			const u = new URL(asker.url());
			assert(u.searchParams.get('status') === 'unanswered', `expected ?status=unanswered, the browser is at ${pathOf(asker)}`);
			await absent(asker.locator('main .item-list a.item-title', { hasText: QUESTION.title }), `the accepted question under "Unanswered"`);
			await visible(asker.getByText('No questions match.', { exact: true }), 'the text "No questions match."');
		}],

		// ----------------------------------------------------------- 5. comment
		['answerer: "Add a comment" on the question opens a comment box', async () => {
			const resp = await answerer.goto(questionPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${questionPath} answered ${resp && resp.status()}`);
			const details = questionArticle(answerer).locator('details.add-comment').first();
			await details.locator('summary', { hasText: 'Add a comment' }).click();
			const box = details.locator(`textarea#comment-${questionId}`);
			await visible(box, `the comment box #comment-${questionId}`);
		}],

		['answerer: the opened comment box has the focus', async () => {
			// The script moves the focus on the details' toggle event, which
			// the browser fires after it has opened them: wait for it a while.
			const want = `comment-${questionId}`;
			await answerer.waitForFunction(id => document.activeElement && document.activeElement.id === id, want,
				{ timeout: 3000 }).catch(() => {});
			const focused = await answerer.evaluate(() => document.activeElement && document.activeElement.id);
			assert(focused === want, `the focus should be in #${want}, is on "${focused}"`);
		}, { soft: true }],

		['answerer: "Comment" posts it; its URL becomes a nofollow link', async () => {
			const details = questionArticle(answerer).locator('details.add-comment').first();
			await details.locator(`textarea#comment-${questionId}`).fill(COMMENT.body);
			const resp = await clickAndLoad(answerer, details.getByRole('button', { name: 'Comment', exact: true }), 'button "Comment"');
			if (pathOf(answerer) !== questionPath)
				fail(`after "Comment" the browser is at ${pathOf(answerer)} (HTTP ${resp && resp.status()}), expected ${questionPath}${await alerts(answerer)}`);
			const comment = questionArticle(answerer).locator('ul.comments > li.comment').first();
			await visible(comment, 'the comment under the question');
			const hash = new URL(answerer.url()).hash;
			const id = await comment.getAttribute('id');
			assert(hash === `#${id}`, `the address should point at the comment #${id}, has "${hash}"`);
			await visible(comment.locator('.comment-foot').getByRole('link', { name: ANSWERER.name, exact: true }), `the comment's author "${ANSWERER.name}"`);
			const link = comment.locator(`.comment-body a[href="${COMMENT.url}"]`);
			const n = await link.count();
			if (n !== 1) {
				const html = await comment.locator('.comment-body').innerHTML();
				fail(`expected one link to ${COMMENT.url} in the comment, found ${n}; the comment is: ${html}`);
			}
			const rel = await link.getAttribute('rel');
			assert(rel === LINK_REL, `the link should have rel="${LINK_REL}", has rel="${rel}"`);
			const text = (await link.innerText()).trim();
			assert(text === COMMENT.url, `the link should show "${COMMENT.url}", shows "${text}"`);
			const body = (await comment.locator('.comment-body').innerText()).replace(/\s+/g, ' ').trim();
			assert(body.includes('(step 3)'), `the comment text should be kept around the link, reads "${body}"`);
			return `${id}, rel="${rel}"`;
		}],

		['answerer: a URL ending a sentence links without the full stop', async () => {
			const body = questionArticle(answerer).locator('ul.comments > li.comment .comment-body').first();
			const hrefs = await body.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			assert(hrefs.includes(COMMENT.endUrl),
				`"...at ${COMMENT.endUrl}." should link to ${COMMENT.endUrl}; the comment's links: ${JSON.stringify(hrefs)}`);
		}, { soft: true }],

		// ------------------------------------------------------------ 6. react
		['asker: the answer offers "Thanks" at 0, not pressed', async () => {
			const resp = await asker.goto(questionPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${questionPath} answered ${resp && resp.status()}`);
			const s = await thanksState(asker);
			assert(s.count === '0' && s.pressed === 'false' && !s.on,
				`"Thanks" should start at count 0, aria-pressed="false"; has count ${s.count}, aria-pressed="${s.pressed}"${s.on ? ', class "on"' : ''}`);
		}],

		['asker: "Thanks" on the answer counts 1 and is pressed', async () => {
			await clickReaction(asker, thanksButton(asker), '1', 'the "Thanks" button on the answer');
			const want = new RegExp(`^/items/${questionId}(-[a-z0-9-]+)?$`);
			if (!want.test(pathOf(asker)))
				fail(`after "Thanks" the browser is at ${pathOf(asker)}, expected the question ${questionPath}${await alerts(asker)}`);
			const s = await thanksState(asker);
			assert(s.count === '1', `the "Thanks" count should be 1, is ${s.count}`);
			assert(s.pressed === 'true', `the "Thanks" button should have aria-pressed="true", has "${s.pressed}"`);
			assert(s.on, 'the "Thanks" button should have the class "on"');
			await visible(asker.locator('main').getByText(COMMENT.url, { exact: true }), 'the comment\'s link');
			return `at ${pathOf(asker)}${new URL(asker.url()).hash}; ${await screenshot(asker, 'question-asker.png')}`;
		}],

		['asker: "Thanks" again takes it back (count 0)', async () => {
			await clickReaction(asker, thanksButton(asker), '0', 'the "Thanks" button on the answer');
			const s = await thanksState(asker);
			assert(s.count === '0', `the "Thanks" count should be back to 0, is ${s.count}`);
			assert(s.pressed === 'false', `the "Thanks" button should have aria-pressed="false", has "${s.pressed}"`);
			assert(!s.on, 'the "Thanks" button should lose the class "on"');
		}],

		// ---------------------------------------------------------- 7. visitor
		['signed-out visitor: reads the public question', async () => {
			visitor = await person('visitor');
			const resp = await visitor.goto(questionPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${questionPath} signed out answered ${resp && resp.status()}`);
			await expectPath(visitor, questionPath);
			await visible(nav(visitor).getByRole('link', { name: 'Sign in', exact: true }), 'header link "Sign in"');
			await visible(visitor.getByRole('heading', { level: 1, name: QUESTION.title, exact: true }), `heading "${QUESTION.title}"`);
			await visible(questionArticle(visitor).locator('.prose strong', { hasText: QUESTION.strong }), 'the question body');
			await visible(answers(visitor).first().locator('.prose strong', { hasText: ANSWER.strong }), 'the answer');
			await visible(answers(visitor).first().getByText('Accepted answer', { exact: true }), 'the "Accepted answer" marker');
			await visible(visitor.locator(`main a[href="${COMMENT.url}"]`), 'the comment\'s link');
			await expectStatus(visitor, 'accepted', 'Accepted');
		}],

		['signed-out visitor: no answer form, no reaction buttons, no comment or accept', async () => {
			await absent(visitor.locator('textarea#answer-body'), 'the answer box');
			await absent(visitor.getByRole('button', { name: 'Post your answer' }), 'button "Post your answer"');
			await absent(visitor.locator('main form[action$="/answers"]'), 'a form posting to .../answers');
			await absent(visitor.locator('main button.reaction'), 'a reaction button');
			await absent(visitor.locator('main form[action$="/react"]'), 'a form posting to .../react');
			await absent(visitor.getByRole('button', { name: /^(Like|Thanks|Insightful)\b/ }), 'a "Like", "Thanks" or "Insightful" button');
			await absent(visitor.locator('main details.add-comment'), '"Add a comment"');
			await absent(visitor.getByRole('button', { name: 'Accept this answer' }), 'button "Accept this answer"');
			await absent(visitor.getByRole('button', { name: 'Withdraw acceptance' }), 'button "Withdraw acceptance"');
			const hint = (await visitor.locator('main section.answers > p.muted').allInnerTexts()).join(' | ').trim();
			return hint ? `the page says "${hint.replace(/\s+/g, ' ')}"` : 'no hint how to answer';
		}],

		['no script errors or failing requests on the way', async () => {
			assert(pageErrors.length === 0, pageErrors.join('\n'));
		}],
	];

	await runSteps(steps, () => pages);
}

run({
	name: 'journeys.mjs',
	setup: ({ bin, dbPath }) => kringCli(bin,
		['user', 'add', ADMIN.handle, '--email', ADMIN.email, '--admin', '--password-stdin', '--db', dbPath],
		`${ADMIN.password}\n`),
	journey,
});
