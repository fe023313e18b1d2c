// Browser journey of kring's notifications and daily digest: follow a tag,
// another member posts in it, the bell shows it, the daily digest arrives as
// an .eml file, and one click in the browser unsubscribes from it.
//
// Starts its own kring server on a fresh database with a test clock (the
// server reads the time from the file KRING_CLOCK_FILE names; the script
// moves it by renaming a new file into place) and no --smtp-url, so mail is
// written as .eml files to mail/ beside the database. Two people, one
// browser context each:
//   follower  an admin made with `kring user add` before the server starts
//             (members may not create communities by default); signs in,
//             creates a public community anyone can join, follows a tag on
//             /tags/{tag} (and not the community), sees the bell count and
//             the notification, reads the daily digest and unsubscribes from
//             it through its link;
//   poster    signs up in the browser, joins the community and asks a
//             question with the tag there.
// The clock starts on a Tuesday at 09:00 UTC and moves to Wednesday 07:30,
// after the daily digests' hour (07:00 UTC, src/features/digests.h).
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node digest.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import fs from 'node:fs';
import path from 'node:path';
import {
	absent, alerts, assert, clickAndLoad, expectPath, fail, fillByLabel, header, kringCli, launchBrowser, nav,
	newContext, openAccountMenu, pathOf, personMaker, run, runSteps, signUp, visible, watchPageErrors,
} from './lib.mjs';

const FOLLOWER = {
	name: 'Ada Follower',
	handle: 'ada',
	email: 'ada@example.test',
	password: 'follower password 1234',
};
const POSTER = {
	name: 'Bo Poster',
	handle: 'bo',
	email: 'bo@example.test',
	password: 'poster password 1234',
};
const COMMUNITY = {
	name: 'Backup Circle',
	slug: 'backup-circle',
	description: 'Where we compare notes on **backups**.',
};
const TAG = 'backups';
const QUESTION = {
	// Not only ASCII, so the digest's text is quoted-printable beyond plain letters.
	title: 'How often should we test restoring the nightly backups — weekly or monthly?',
	body: 'We take backups every night but have **never** restored one.\n\nHow often do you practise it?',
	tags: [TAG, 'restore'],
};
const DIGEST_SUBJECT = 'Daily digest from kring: what you follow';
const DIGEST_SECTION = 'New questions waiting for an answer';

// Tuesday 1 December 2026, 09:00 UTC, and the next morning at 07:30, half
// an hour after the daily digests are due.
const START = Date.UTC(2026, 11, 1, 9, 0, 0) / 1000;
const DIGEST_TIME = START + 22 * 3600 + 30 * 60;
// The jobs worker looks at the clock every second; the digest then takes a
// maintenance job, the digests job and a mail job.
const DIGEST_WAIT_MS = 15_000;
// How long after the follower's digest another would have followed it (the
// mail jobs of one digests run are queued together and run one after the other).
const SETTLE_MS = 2_000;

const communityPath = `/c/${COMMUNITY.slug}`;
const tagPath = `/tags/${TAG}`;

// Filled in as the journey goes.
let clockFile = null;
let mailDir = null;
let questionPath = null; // /items/ID-slug
let digest = null;       // the follower's digest, parsed
let unsubscribeUrl = null;

if (new Date(START * 1000).getUTCDay() !== 2 || new Date(DIGEST_TIME * 1000).getUTCDay() !== 3)
	throw new Error('the clock must start on a Tuesday and move to the Wednesday');

// ------------------------------------------------------------------ clock

// Sets the server's time: a new file renamed into place, so the server
// never reads a half-written number.
function setClock(seconds) {
	const next = `${clockFile}.next`;
	fs.writeFileSync(next, `${seconds}\n`);
	fs.renameSync(next, clockFile);
}

// ------------------------------------------------------------------ mail

// The .eml files in the mail directory (none when it is not made yet).
function mailFiles() {
	try {
		return fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).sort();
	} catch (err) {
		if (err.code === 'ENOENT')
			return [];
		throw err;
	}
}

// Splits a message (or a MIME part) into its header fields, unfolded and
// keyed by lower-case name (the values of repeated fields in a list), and
// its body.
function splitMessage(raw) {
	const text = raw.replace(/\r\n/g, '\n');
	const end = text.indexOf('\n\n');
	const head = end >= 0 ? text.slice(0, end) : text;
	const body = end >= 0 ? text.slice(end + 2) : '';
	const headers = {};
	for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0)
			continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		(headers[name] ||= []).push(line.slice(colon + 1).trim());
	}
	return { headers, body };
}

function header1(headers, name) {
	return headers[name] ? headers[name][0] : null;
}

// RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) in a header
// value; white space between two encoded words goes.
function decodeWords(value) {
	return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, data) => {
		const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64')
			: Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g,
				(__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
		return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1');
	});
}

// Quoted-printable (RFC 2045) to text: soft line breaks go, =XX are bytes.
function decodeQuotedPrintable(body) {
	const bytes = [];
	const s = body.replace(/=\n/g, '');
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(s[i], 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

function decodePart(part) {
	const cte = (header1(part.headers, 'content-transfer-encoding') || '7bit').toLowerCase();
	if (cte === 'quoted-printable')
		return decodeQuotedPrintable(part.body);
	if (cte === 'base64')
		return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
	return part.body;
}

// A message's headers and its text and HTML parts, decoded.
function parseMail(raw) {
	const msg = splitMessage(raw);
	const type = header1(msg.headers, 'content-type') || 'text/plain';
	const parts = [];
	const boundary = /boundary="?([^";]+)"?/i.exec(type);
	if (/^multipart\//i.test(type) && boundary) {
		const body = msg.body.replace(/\r\n/g, '\n');
		const chunks = body.split(`--${boundary[1]}`);
		for (const chunk of chunks.slice(1)) {
			if (chunk.startsWith('--'))
				break; // the closing boundary
			parts.push(splitMessage(chunk.replace(/^\n/, '')));
		}
	} else {
		parts.push(msg);
	}
	const partOf = (want) => {
		const p = parts.find((x) => (header1(x.headers, 'content-type') || 'text/plain').toLowerCase().startsWith(want));
		return p ? decodePart(p) : null;
	};
	return {
		headers: msg.headers,
		subject: decodeWords(header1(msg.headers, 'subject') || ''),
		to: decodeWords(header1(msg.headers, 'to') || ''),
		text: partOf('text/plain'),
		html: partOf('text/html'),
	};
}

function readMail(file) {
	return parseMail(fs.readFileSync(path.join(mailDir, file), 'utf8'));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------- the people

// The header's link to the notifications and its unread count ('' when it
// shows none).
const bell = (page) => header(page).locator('a.notifications-link');
async function unreadCount(page) {
	await visible(bell(page), 'the link "Notifications" in the header');
	const count = bell(page).locator('.unread-count');
	return (await count.count()) ? (await count.innerText()).trim() : '';
}

// The pace chosen for e-mail of new posts on /settings/notifications.
async function postPace(page) {
	const select = page.locator('select#pace-post');
	await visible(select, 'the choice for new posts (select#pace-post)');
	const label = await page.locator('label[for="pace-post"]').innerText();
	assert(/new post/i.test(label), `select#pace-post should be labelled about new posts, is labelled "${label}"`);
	return (await select.locator('option:checked').innerText()).trim();
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const follower = await person('follower');
	const poster = await person('poster');

	const steps = [
		// ---------------------------------------- 1. two members, a community
		['follower: signs in', async () => {
			await follower.goto('/login', { waitUntil: 'load' });
			await follower.locator('#login').fill(FOLLOWER.handle);
			await follower.locator('#password').fill(FOLLOWER.password);
			const resp = await clickAndLoad(follower, follower.getByRole('button', { name: 'Sign in', exact: true }),
				'button "Sign in"');
			if (pathOf(follower) !== '/')
				fail(`after "Sign in" the follower is at ${pathOf(follower)} (HTTP ${resp && resp.status()})${await alerts(follower)}`);
			const me = await (await openAccountMenu(follower)).locator('summary').innerText();
			assert(me.includes(FOLLOWER.name), `the account menu names "${me}", expected "${FOLLOWER.name}"`);
		}],

		['poster: signs up in the browser', () => signUp(poster, POSTER)],

		['follower: creates a public community anyone can join at /c/new', async () => {
			await clickAndLoad(follower, nav(follower).getByRole('link', { name: 'Communities', exact: true }), 'header link "Communities"');
			await expectPath(follower, '/c');
			await clickAndLoad(follower, follower.getByRole('link', { name: 'New community', exact: true }), 'link "New community"');
			await expectPath(follower, '/c/new');
			await fillByLabel(follower, 'Name', 'name', COMMUNITY.name);
			await fillByLabel(follower, 'Address', 'slug', COMMUNITY.slug);
			await fillByLabel(follower, 'Description', 'description', COMMUNITY.description);
			await follower.getByRole('radio', { name: 'Public: anyone can read, even when signed out' }).check();
			await follower.getByRole('radio', { name: 'Open: anyone can join' }).check();
			await follower.getByLabel('Language', { exact: true }).selectOption('en');
			const resp = await clickAndLoad(follower, follower.getByRole('button', { name: 'Save', exact: true }), 'button "Save"');
			if (pathOf(follower) !== communityPath)
				fail(`after "Save" the follower is at ${pathOf(follower)} (HTTP ${resp && resp.status()}), expected ${communityPath}${await alerts(follower)}`);
			const badges = (await follower.locator('main .page-head .badge').allInnerTexts()).map((t) => t.trim());
			assert(badges.includes('public') && badges.includes('open to join'),
				`the community should be marked "public" and "open to join", badges: ${JSON.stringify(badges)}`);
			return `badges ${badges.join(', ')}`;
		}],

		['poster: "Join" on the community page makes a member who can ask', async () => {
			const resp = await poster.goto(communityPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${communityPath} answered ${resp && resp.status()}`);
			await visible(poster.getByRole('heading', { level: 1, name: COMMUNITY.name, exact: true }), `heading "${COMMUNITY.name}"`);
			const joined = await clickAndLoad(poster, poster.locator('main .page-head').getByRole('button', { name: 'Join', exact: true }),
				'button "Join"');
			if (pathOf(poster) !== communityPath)
				fail(`after "Join" the poster is at ${pathOf(poster)} (HTTP ${joined && joined.status()}), expected ${communityPath}${await alerts(poster)}`);
			await visible(poster.locator('main').getByRole('link', { name: 'Ask a question', exact: true }), 'link "Ask a question"');
			await visible(poster.getByRole('button', { name: 'Leave', exact: true }), 'button "Leave"');
		}],

		// ------------------------------------------------------ 2. follow a tag
		['follower: "Follow" on /tags/{tag} follows the tag', async () => {
			const resp = await follower.goto(tagPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${tagPath} answered ${resp && resp.status()}`);
			await visible(follower.getByText('Nothing you can see has this tag yet.', { exact: true }), 'the empty tag page');
			const n = await unreadCount(follower);
			assert(n === '', `the header should show no unread count yet, shows "${n}"`);
			const head = follower.locator('main .page-head');
			await clickAndLoad(follower, head.getByRole('button', { name: 'Follow', exact: true }), 'button "Follow"');
			await expectPath(follower, tagPath);
			const following = head.getByRole('button', { name: 'Following', exact: true });
			await visible(following, 'button "Following"');
			const pressed = await following.getAttribute('aria-pressed');
			assert(pressed === 'true', `"Following" should have aria-pressed="true", has "${pressed}"`);
			await absent(head.getByRole('button', { name: 'Follow', exact: true }), 'button "Follow" after following');
		}],

		['follower: /settings/follows lists the tag and no community', async () => {
			const resp = await follower.goto('/settings/follows', { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET /settings/follows answered ${resp && resp.status()}`);
			const sections = (await follower.locator('main section.follows h2').allInnerTexts()).map((t) => t.trim());
			assert(sections.join() === 'Tags', `the follower should follow tags only, the page lists: ${sections.join(', ') || 'nothing'}`);
			const tags = (await follower.locator('main section.follows li a').allInnerTexts()).map((t) => t.trim());
			assert(tags.includes(TAG), `the followed tags should include "${TAG}", are ${tags.join(', ')}`);
		}],

		// -------------------------------------------- 3. the other member posts
		['poster: asks a question with the tag through the composer', async () => {
			const resp = await poster.goto(communityPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${communityPath} answered ${resp && resp.status()}`);
			await clickAndLoad(poster, poster.locator('main').getByRole('link', { name: 'Ask a question', exact: true }), 'link "Ask a question"');
			await expectPath(poster, `${communityPath}/new?kind=question`);
			await fillByLabel(poster, 'Your question', 'title', QUESTION.title);
			await fillByLabel(poster, 'Details', 'body', QUESTION.body);
			await fillByLabel(poster, 'Tags', 'tags', QUESTION.tags.join(', '));
			const asked = await clickAndLoad(poster, poster.getByRole('button', { name: 'Ask', exact: true }), 'button "Ask"');
			if (!/^\/items\/\d+-[a-z0-9-]+$/.test(pathOf(poster)))
				fail(`after "Ask" the browser is at ${pathOf(poster)} (HTTP ${asked && asked.status()}), expected /items/ID-slug${await alerts(poster)}`);
			questionPath = pathOf(poster);
			await visible(poster.getByRole('heading', { level: 1, name: QUESTION.title, exact: true }), `heading "${QUESTION.title}"`);
			const tags = (await poster.locator('main article.item p.tags a.tag').allInnerTexts()).map((t) => t.trim());
			assert(tags.includes(TAG), `the question should carry the tag "${TAG}", shows ${tags.join(', ') || 'none'}`);
			return questionPath;
		}],

		// -------------------------------------------------- 4. the bell shows it
		['follower: the tag\'s page lists the question; the header shows 1 unread notification', async () => {
			const resp = await follower.goto(tagPath, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${tagPath} answered ${resp && resp.status()}`);
			const n = await unreadCount(follower);
			assert(n === '1', `the header should show the unread count 1, shows "${n || 'none'}"`);
			await visible(follower.locator('main').getByRole('link', { name: QUESTION.title, exact: true }),
				`the question "${QUESTION.title}" on ${tagPath}`);
			return `"${(await bell(follower).innerText()).replace(/\s+/g, ' ').trim()}"`;
		}],

		['follower: /notifications says the poster posted the question, linking to it', async () => {
			await clickAndLoad(follower, bell(follower), 'the link "Notifications" in the header');
			await expectPath(follower, '/notifications');
			const items = follower.locator('main ul.notifications > li.notification');
			const n = await items.count();
			assert(n === 1, `/notifications should list 1 notification, lists ${n}`);
			const item = items.first();
			const cls = (await item.getAttribute('class')).split(/\s+/);
			assert(cls.includes('unread'), `the notification should be marked unread, has class "${cls.join(' ')}"`);
			const link = item.locator('a').first();
			const text = (await link.innerText()).replace(/\s+/g, ' ').trim();
			const want = `${POSTER.name} posted ${QUESTION.title}`;
			assert(text === want, `the notification should say "${want}", says "${text}"`);
			const href = await link.getAttribute('href');
			assert(new URL(href, baseURL).pathname === questionPath,
				`the notification should link to ${questionPath}, links to ${href}`);
			return `"${text}"`;
		}],

		['follower: following the notification opens the question', async () => {
			const link = follower.locator('main ul.notifications > li.notification a').first();
			await clickAndLoad(follower, link, 'the notification');
			await expectPath(follower, questionPath);
			await visible(follower.getByRole('heading', { level: 1, name: QUESTION.title, exact: true }), `heading "${QUESTION.title}"`);
			await visible(follower.locator('main article.item .prose strong', { hasText: 'never' }), 'the question body');
		}],

		// ------------------------------------------- 5. what comes by e-mail
		['follower: Settings → "Choose what you receive by e-mail": new posts "In the daily digest"', async () => {
			await clickAndLoad(follower, (await openAccountMenu(follower)).getByRole('link', { name: 'Settings', exact: true }),
				'the account menu link "Settings"');
			await expectPath(follower, '/settings');
			await clickAndLoad(follower, follower.locator('main').getByRole('link', { name: 'Choose what you receive by e-mail', exact: true }),
				'link "Choose what you receive by e-mail"');
			await expectPath(follower, '/settings/notifications');
			const pace = await postPace(follower);
			assert(pace === 'In the daily digest', `new posts should come "In the daily digest", the page says "${pace}"`);
			return `new posts: "${pace}"`;
		}],

		// ------------------------------------------------- 6. the daily digest
		['the clock moves to Wednesday 07:30 UTC; the daily digest arrives as an .eml', async () => {
			const before = new Set(mailFiles());
			const waiting = [...before].map(readMail).filter((m) => m.subject === DIGEST_SUBJECT);
			assert(waiting.length === 0, `a digest was written before its time: ${waiting.map((m) => m.to).join(', ')}`);
			setClock(DIGEST_TIME);
			const started = Date.now();
			while (Date.now() - started < DIGEST_WAIT_MS) {
				for (const file of mailFiles()) {
					if (before.has(file))
						continue;
					const mail = readMail(file);
					if (mail.subject === DIGEST_SUBJECT && mail.to.includes(`<${FOLLOWER.email}>`)) {
						digest = { file, ...mail };
						return `${file} after ${((Date.now() - started) / 1000).toFixed(1)} s`;
					}
				}
				await sleep(250);
			}
			const got = mailFiles().filter((f) => !before.has(f)).map((f) => {
				const m = readMail(f);
				return `${f}: to ${m.to}, "${m.subject}"`;
			});
			fail(`no "${DIGEST_SUBJECT}" for ${FOLLOWER.email} in ${mailDir} within ${DIGEST_WAIT_MS / 1000} s; ` +
				`new files: ${got.length ? got.join('; ') : 'none'}`);
		}],

		['the digest lists the question under "New questions waiting for an answer" with its link', async () => {
			assert(digest.text !== null, 'the digest has no text/plain part');
			const link = `${baseURL}${questionPath}`;
			const lines = digest.text.split('\n');
			const heading = lines.findIndex((l) => l.trim() === `== ${DIGEST_SECTION} ==`);
			assert(heading >= 0, `the text part has no heading "== ${DIGEST_SECTION} ==":\n${digest.text}`);
			// The section runs to the next heading.
			const next = lines.findIndex((l, i) => i > heading && /^== .* ==$/.test(l.trim()));
			const section = lines.slice(heading + 1, next < 0 ? undefined : next).join('\n');
			// A line is "- what happened (where)", then its link.
			const entry = section.split(/\n(?=- )/).find((e) => e.startsWith('- ') && e.includes(QUESTION.title));
			assert(entry, `"${QUESTION.title}" is not listed under "${DIGEST_SECTION}":\n${section}`);
			assert(entry.split(/\s+/).includes(link), `the question's line has no link ${link}:\n${entry}`);
			assert(digest.html !== null, 'the digest has no text/html part');
			assert(digest.html.includes(`href="${link}"`) && digest.html.includes(DIGEST_SECTION),
				`the HTML part should list the question under "${DIGEST_SECTION}" with a link to ${link}`);
			return `"${entry.split('\n')[0]}"`;
		}],

		['the digest has one-click List-Unsubscribe headers (RFC 8058)', async () => {
			const list = header1(digest.headers, 'list-unsubscribe');
			assert(list, `the digest has no List-Unsubscribe header; its headers: ${Object.keys(digest.headers).join(', ')}`);
			const m = /<(https?:\/\/[^>]+)>/.exec(list);
			assert(m, `List-Unsubscribe should hold an http(s) address in <...>, is "${list}"`);
			unsubscribeUrl = m[1];
			assert(new URL(unsubscribeUrl).origin === new URL(baseURL).origin,
				`the unsubscribe link ${unsubscribeUrl} should point at the server ${baseURL}`);
			const post = header1(digest.headers, 'list-unsubscribe-post');
			assert(post === 'List-Unsubscribe=One-Click', `List-Unsubscribe-Post should be "List-Unsubscribe=One-Click", is "${post}"`);
			assert(digest.text.includes(unsubscribeUrl), `the text part should show the unsubscribe link ${unsubscribeUrl}`);
			return new URL(unsubscribeUrl).pathname.replace(/\/unsubscribe\/[^/]+\//, '/unsubscribe/…/');
		}],

		['no digest for the poster, to whom nothing happened', async () => {
			await sleep(SETTLE_MS);
			const theirs = mailFiles().map(readMail).filter((m) => m.to.includes(`<${POSTER.email}>`));
			const digests = theirs.filter((m) => /digest/i.test(m.subject));
			assert(digests.length === 0, `the poster got ${digests.map((m) => `"${m.subject}"`).join(', ')}`);
			return `the poster's mail: ${theirs.map((m) => `"${m.subject}"`).join(', ') || 'none'}`;
		}],

		// ------------------------------------------- 7. unsubscribe in one click
		['follower: the digest\'s unsubscribe link asks with a button', async () => {
			const resp = await follower.goto(unsubscribeUrl, { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET ${new URL(unsubscribeUrl).pathname} answered ${resp && resp.status()}`);
			const main = follower.locator('main');
			const ask = main.getByText(`Stop e-mail for @${FOLLOWER.handle} about this:`);
			await visible(ask, `the question "Stop e-mail for @${FOLLOWER.handle} about this: …"`);
			await visible(main.getByRole('button', { name: 'Unsubscribe', exact: true }), 'button "Unsubscribe"');
			await absent(main.getByText('Done:'), '"Done: …" before the button is pressed');
			return `"${(await ask.first().innerText()).replace(/\s+/g, ' ').trim()}"`;
		}],

		['follower: opening the link changed nothing: new posts still "In the daily digest"', async () => {
			const settings = await follower.context().newPage();
			try {
				const resp = await settings.goto('/settings/notifications', { waitUntil: 'load' });
				assert(resp && resp.status() === 200, `GET /settings/notifications answered ${resp && resp.status()}`);
				const pace = await postPace(settings);
				assert(pace === 'In the daily digest', `after only opening the link new posts should still be "In the daily digest", are "${pace}"`);
			} finally {
				await settings.close();
			}
		}],

		['follower: "Unsubscribe" says it is done', async () => {
			const before = new URL(unsubscribeUrl).pathname;
			const resp = await clickAndLoad(follower, follower.locator('main').getByRole('button', { name: 'Unsubscribe', exact: true }),
				'button "Unsubscribe"');
			assert(resp && resp.status() === 200, `"Unsubscribe" answered ${resp && resp.status()}${await alerts(follower)}`);
			await expectPath(follower, before);
			const done = follower.locator('main').getByRole('status');
			await visible(done, 'the notice that it is done');
			const text = (await done.first().innerText()).replace(/\s+/g, ' ').trim();
			assert(text.startsWith(`Done: no more e-mail for @${FOLLOWER.handle} about this:`),
				`the notice should say "Done: no more e-mail for @${FOLLOWER.handle} about this: …", says "${text}"`);
			await absent(follower.locator('main').getByRole('button', { name: 'Unsubscribe', exact: true }), 'button "Unsubscribe" when done');
			return `"${text}"`;
		}],

		['follower: /settings/notifications now shows new posts "Not by e-mail"', async () => {
			await clickAndLoad(follower, follower.locator('main').getByRole('link', { name: 'Choose what you receive by e-mail', exact: true }),
				'link "Choose what you receive by e-mail"');
			await expectPath(follower, '/settings/notifications');
			const pace = await postPace(follower);
			assert(pace === 'Not by e-mail', `new posts should now be "Not by e-mail", the page says "${pace}"`);
			return `new posts: "${pace}"`;
		}],

		['no script errors or failing requests on the way', async () => {
			assert(pageErrors.length === 0, pageErrors.join('\n'));
		}],
	];

	await runSteps(steps, () => pages);
}

run({
	name: 'digest.mjs',
	wholeRunMs: 90_000,
	setup: ({ bin, dbPath, tmpDir }) => {
		// The server and `kring user add` read the time from this file.
		clockFile = path.join(tmpDir, 'clock');
		setClock(START);
		process.env.KRING_CLOCK_FILE = clockFile;
		// Without --smtp-url mail goes to mail/ beside the SQLite file
		// (docs/operations.md, "E-mail"); its links point at the address
		// the server listens on and its subject names the site: none of
		// that may come from the caller's environment.
		mailDir = path.join(path.dirname(dbPath), 'mail');
		for (const name of ['KRING_SMTP_URL', 'KRING_MAIL_DIR', 'KRING_BASE_URL', 'KRING_SITE_NAME'])
			delete process.env[name];
		return kringCli(bin,
			['user', 'add', FOLLOWER.handle, '--email', FOLLOWER.email, '--name', FOLLOWER.name, '--admin', '--password-stdin', '--db', dbPath],
			`${FOLLOWER.password}\n`);
	},
	journey,
});
