// Browser journey of a newcomer, on the demo content, at a phone's width
// (390×844) and a desktop's (1280×800):
//   a new member signs up and is welcomed (not "welcomed back") with the
//   first-visit start and its three steps; asks a question with the
//   header's "Ask a question", choosing the open community "Fika with a
//   topic" that they are not in, and is told they joined it; thanks a
//   comment under an answer there (the count and the pressed state change
//   in place and stay after a reload); back home, two steps are done.
// And the header itself: at 390 px it is one row (brand, "Ask a question",
// Menu) with the navigation folded behind the Menu button; at 1280 px it is
// one row that does not wrap in English, Swedish and Dutch.
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node newcomer.mjs

import {
	ACTION_MS, acceptConduct, alerts, assert, clickAndLoad, expectPath, fail, fillByLabel, header, kringCli, launchBrowser,
	nav, pathOf, run, runSteps, visible, watchPageErrors,
} from './lib.mjs';

const COMMUNITY = { slug: 'fika-with-a-topic', name: 'Fika with a topic' };
// A demo question in the community, with a comment under its first answer.
const DEMO_QUESTION = "How do you start a 'fika with a topic' that people actually come to?";
const DEMO_COMMENT = 'Speakers ask speakers is brilliant';
const PASSWORD = 'correct horse battery';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
// One row of the header: the brand's 28 px picture and a button, padded.
const ONE_ROW_PX = 64;

async function context(browser, baseURL, viewport, lang = 'en') {
	const ctx = await browser.newContext({
		baseURL,
		locale: lang,
		extraHTTPHeaders: { 'Accept-Language': `${lang};q=1` },
		viewport,
	});
	ctx.setDefaultTimeout(ACTION_MS);
	return ctx;
}

async function signUp(page, who) {
	await page.goto('/signup', { waitUntil: 'load' });
	await page.locator('#name').fill(who.name);
	await page.locator('#handle').fill(who.handle);
	await page.locator('#email').fill(`${who.handle}@example.test`);
	await page.locator('#password').fill(PASSWORD);
	await acceptConduct(page);
	await clickAndLoad(page, page.locator('main form button[type="submit"]'), 'the sign-up button');
	if (pathOf(page) !== '/')
		fail(`after signing up ${who.handle} is at ${pathOf(page)}${await alerts(page)}`);
}

// The header's height and whether its parts stand in one row: every shown
// part's vertical middle within a few pixels of the brand's, and nothing
// wider than the header.
async function headerShape(page) {
	return header(page).evaluate((h) => {
		const wrap = h.querySelector('.wrap');
		const brand = h.querySelector('.brand').getBoundingClientRect();
		const middle = (r) => r.top + r.height / 2;
		const parts = [...wrap.querySelectorAll('.brand, .site-ask, .site-menu-button, .site-search, .site-nav a, .account-menu > summary, .site-menu > .account-links a')]
			.map((el) => ({ el, r: el.getBoundingClientRect() }))
			.filter(({ r }) => r.width > 0 && r.height > 0);
		const off = parts.filter(({ r }) => Math.abs(middle(r) - middle(brand)) > 6)
			.map(({ el }) => el.textContent.trim() || el.className);
		return {
			height: Math.round(h.getBoundingClientRect().height),
			overflow: wrap.scrollWidth - wrap.clientWidth,
			off,
			shown: parts.length,
		};
	});
}

function assertOneRow(shape, what) {
	assert(shape.height <= ONE_ROW_PX, `${what}: the header is ${shape.height} px high, expected one row (at most ${ONE_ROW_PX} px)`);
	assert(shape.off.length === 0, `${what}: out of the header's row: ${shape.off.join(', ')}`);
	assert(shape.overflow <= 0, `${what}: the header is ${shape.overflow} px wider than the window`);
}

// The newcomer's journey at one width.
function newcomerSteps(label, page, who, viewport) {
	let questionPath = '';
	const thanks = () => page.locator('main li.comment', { hasText: DEMO_COMMENT })
		.locator('.reactions button.reaction').filter({ hasText: 'Thanks' });
	const thanksState = async () => {
		const b = thanks().first();
		return {
			count: (await b.locator('.count').innerText()).trim(),
			pressed: await b.getAttribute('aria-pressed'),
		};
	};
	return [
		[`${label}: signs up and is welcomed with the first-visit start`, async () => {
			await signUp(page, who);
			await visible(page.getByRole('heading', { level: 1, name: `Welcome, ${who.name}`, exact: true }),
				`heading "Welcome, ${who.name}"`);
			assert(await page.getByText('Welcome back').count() === 0, 'a new member should not be welcomed back');
			assert(await page.getByRole('heading', { name: 'From your communities' }).count() === 0,
				'"From your communities" before joining any');
			const start = page.locator('main section.start');
			await visible(start.getByRole('heading', { name: 'Get started', exact: true }), 'the "Get started" steps');
			await visible(start.getByRole('link', { name: 'Complete your profile', exact: true }), 'step "Complete your profile"');
			await visible(start.getByRole('link', { name: 'Ask your first question', exact: true }), 'step "Ask your first question"');
			await visible(start.locator('.join-list li', { hasText: COMMUNITY.name }).getByRole('button', { name: 'Join' }),
				`"Join" for ${COMMUNITY.name}`);
			assert(await start.locator('li.step.done').count() === 0, 'no step should be done yet');
		}],

		[`${label}: the header at ${viewport.width} px`, async () => {
			const shape = await headerShape(page);
			assertOneRow(shape, `${viewport.width} px`);
			const menuButton = header(page).locator('label.site-menu-button');
			if (viewport.width < 600) {
				await visible(menuButton, 'the "Menu" button');
				assert(!(await nav(page).first().isVisible()), 'the navigation should be folded behind "Menu"');
				await menuButton.click();
				await visible(nav(page).getByRole('link', { name: 'Questions', exact: true }), 'link "Questions" in the open menu');
				await menuButton.click();
				assert(!(await nav(page).first().isVisible()), '"Menu" again should fold the navigation');
			} else {
				assert(!(await menuButton.isVisible()), 'no "Menu" button on a wide screen');
				await visible(nav(page).getByRole('link', { name: 'Questions', exact: true }), 'link "Questions" in the header');
			}
			return `${shape.height} px high, ${shape.shown} parts in one row`;
		}],

		[`${label}: "Ask a question" in the header, in a community not yet joined`, async () => {
			await clickAndLoad(page, header(page).getByRole('link', { name: 'Ask a question', exact: true }),
				'header link "Ask a question"');
			await expectPath(page, '/ask');
			const select = page.getByLabel('Community', { exact: true });
			await visible(select, 'the "Community" choice');
			await select.selectOption(COMMUNITY.slug);
			const chosen = await select.locator('option:checked').innerText();
			assert(chosen.includes('you join it'), `the choice should say joining, says "${chosen}"`);
			await fillByLabel(page, 'Your question', 'title', `${who.name}: where do newcomers start?`);
			await fillByLabel(page, 'Details', 'body', 'I am new here and would like to **listen in** first.');
			await clickAndLoad(page, page.locator('main').getByRole('button', { name: 'Ask', exact: true }), 'button "Ask"');
			await expectPath(page, /^\/items\/\d+-[a-z0-9-]+\?joined=1$/);
			questionPath = pathOf(page);
			await visible(page.getByRole('status').filter({ hasText: `You joined ${COMMUNITY.name} to ask there.` }),
				'the notice that they joined');
			await visible(page.getByRole('heading', { level: 1, name: `${who.name}: where do newcomers start?` }),
				'the question');
			return questionPath;
		}],

		[`${label}: thanks a comment (in place, and it stays)`, async () => {
			await page.goto(`/c/${COMMUNITY.slug}`, { waitUntil: 'load' });
			await clickAndLoad(page, page.locator('main').getByRole('link', { name: DEMO_QUESTION, exact: true }),
				'the demo question');
			await visible(thanks(), `"Thanks" under the comment "${DEMO_COMMENT}…"`);
			const before = await thanksState();
			assert(before.pressed === 'false', `"Thanks" should start unpressed, is aria-pressed="${before.pressed}"`);
			const at = pathOf(page);
			await thanks().first().click();
			const want = String(Number(before.count) + 1);
			await visible(thanks().locator('.count').filter({ hasText: new RegExp(`^${want}$`) }),
				`"Thanks" on the comment with the count ${want}`);
			assert(pathOf(page) === at, `the page should stay at ${at}, is at ${pathOf(page)}`);
			await page.reload({ waitUntil: 'load' });
			const after = await thanksState();
			assert(after.count === want && after.pressed === 'true',
				`after a reload "Thanks" should count ${want} and be pressed; counts ${after.count}, aria-pressed="${after.pressed}"`);
			return `count ${before.count} → ${want}`;
		}],

		[`${label}: back home, joining and asking are done`, async () => {
			await page.goto('/', { waitUntil: 'load' });
			await visible(page.getByRole('heading', { level: 1, name: `Welcome back, ${who.name}`, exact: true }),
				`heading "Welcome back, ${who.name}"`);
			const done = await page.locator('main section.start li.step.done').count();
			assert(done === 2, `two steps should be done, ${done} are`);
			await visible(page.getByRole('heading', { name: 'From your communities', exact: true }), '"From your communities"');
		}],
	];
}

// The header at 1280 px for a signed-in member (the widest header) in one
// language.
function headerInLanguage(browser, baseURL, lang) {
	return [`the header at 1280 px in ${lang} does not wrap`, async () => {
		const ctx = await context(browser, baseURL, DESKTOP, lang);
		try {
			const page = await ctx.newPage();
			await signUp(page, { handle: `wide-${lang}`, name: 'Marieke van den Berg-Lindqvist' });
			const htmlLang = await page.evaluate(() => document.documentElement.lang);
			assert(htmlLang === lang, `the page should be in ${lang}, is in ${htmlLang}`);
			const shape = await headerShape(page);
			assertOneRow(shape, `1280 px in ${lang}`);
			return `${shape.height} px high`;
		} finally {
			await ctx.close();
		}
	}];
}

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const phoneContext = await context(browser, baseURL, PHONE);
	const deskContext = await context(browser, baseURL, DESKTOP);
	const phone = await phoneContext.newPage();
	const desk = await deskContext.newPage();
	watchPageErrors(phone, pageErrors, 'phone');
	watchPageErrors(desk, pageErrors, 'desktop');
	const steps = [
		...newcomerSteps('phone', phone, { handle: 'pia-phone', name: 'Pia Phone' }, PHONE),
		...newcomerSteps('desktop', desk, { handle: 'dirk-desk', name: 'Dirk Desk' }, DESKTOP),
		...['en', 'sv', 'nl'].map((lang) => headerInLanguage(browser, baseURL, lang)),
	];
	const ok = await runSteps(steps, { phone, desktop: desk });
	await browser.close();
	if (pageErrors.length)
		fail(`errors in the pages: ${pageErrors.join('; ')}`);
	return ok;
}

run({
	name: 'newcomer.mjs',
	setup: ({ bin, dbPath }) => kringCli(bin, ['init', '--demo', '--db', dbPath]),
	journey,
	wholeRunMs: 90_000,
});
