// Browser journey of signing up for events on the demo content: a newcomer
// in New York finds the next fika on the home page, sees its time on their
// own clock, signs up for it and takes its calendar file; then joins the
// waitlist of the full fika, and is going once three others cancel — told
// by the bell.
//
// Starts its own kring server on a database made with `kring init --demo`
// (its events lie days from the moment it is made). People, one browser
// context each:
//   newcomer  signs up in the browser; the browser's time zone is
//             America/New_York, the events' Europe/Stockholm;
//   ahmed, wouter  demo members on the full fika's waitlist, who leave it;
//   linnea    a demo member going to the full fika, who cancels.
//
// Usage (from tests/browser, after `npm ci`):
//   KRING_BIN=/path/to/kring node fika.mjs
//
// Prints one line per step and ends with "N passed, M failed"; exits 1 on
// failure. The whole run is bounded by a watchdog so it can never hang.

import {
	assert, clickAndLoad, expectPath, fail, header, kringCli, launchBrowser, newContext, personMaker, run,
	runSteps, signIn, signUp, visible, watchPageErrors,
} from './lib.mjs';

const NEWCOMER = {
	name: 'Nina Newcomer',
	handle: 'nina',
	email: 'nina@example.test',
	password: 'newcomer password 1234',
};
const DEMO_PASSWORD = 'kring-demo-2026';
const NEXT_FIKA = 'Fika with a topic: when a pilot should be allowed to die';
const FULL_FIKA = 'Fika with a topic: buddies for remote newcomers';

let nextFikaPath = null;
let fullFikaPath = null;

async function journey(baseURL) {
	const browser = await launchBrowser();
	const pageErrors = [];
	const pages = {};
	const person = personMaker(browser, baseURL, pageErrors, pages);
	const newcomer = await person('newcomer', { timezoneId: 'America/New_York' });
	const signUpBox = (page) => page.locator('.event-signup');

	// A demo member signs in, opens the full fika and presses the button.
	const cancels = (handle, button) => async () => {
		const page = await person(handle);
		await signIn(page, handle, DEMO_PASSWORD);
		await page.goto(fullFikaPath, { waitUntil: 'load' });
		await clickAndLoad(page, signUpBox(page).getByRole('button', { name: button, exact: true }), `button "${button}"`);
		// Signed off: offered a seat or the waitlist again.
		await visible(signUpBox(page).getByRole('button', { name: /^(I am going|Join the waitlist)$/ }),
			`the button "I am going" or "Join the waitlist" again for ${handle}`);
	};

	const steps = [
		['newcomer: the home page shows the next fika among the next events', async () => {
			const resp = await newcomer.goto('/', { waitUntil: 'load' });
			assert(resp && resp.status() === 200, `GET / answered ${resp && resp.status()}`);
			const next = newcomer.locator('section.next-events');
			await visible(next.getByRole('heading', { name: 'Next events' }), 'the heading "Next events"');
			const first = next.locator('li').first();
			const title = (await first.locator('a').innerText()).trim();
			assert(title === NEXT_FIKA, `the first of the next events is "${title}", expected "${NEXT_FIKA}"`);
			await clickAndLoad(newcomer, first.locator('a'), `the link "${NEXT_FIKA}"`);
			nextFikaPath = new URL(newcomer.url()).pathname;
			assert(/^\/items\/\d+/.test(nextFikaPath), `the fika's page is at ${nextFikaPath}`);
		}],

		['newcomer: the fika shows its time in Stockholm and on the reader\'s New York clock', async () => {
			const facts = newcomer.locator('dl.event-facts');
			await visible(facts.getByText('(Europe/Stockholm)'), 'the event\'s zone');
			const mine = facts.locator('.reader-time');
			await visible(mine, 'the time on the reader\'s clock (.reader-time)');
			const text = (await mine.innerText()).trim();
			assert(text.startsWith('Your time:') && text.includes('(America/New_York)'),
				`the reader's time reads "${text}"`);
			// 14:30 in Stockholm is 08:30 in New York in winter, 09:30 when
			// one of them is on summer time and the other not yet.
			assert(/0[89]:30/.test(text), `the reader's time "${text}" is not 08:30 or 09:30`);
		}],

		['newcomer: signs up in the browser', () => signUp(newcomer, NEWCOMER)],

		['newcomer: says they are going to the fika', async () => {
			await newcomer.goto(nextFikaPath, { waitUntil: 'load' });
			await clickAndLoad(newcomer, signUpBox(newcomer).getByRole('button', { name: 'I am going', exact: true }),
				'button "I am going"');
			await visible(signUpBox(newcomer).getByText('You are going.'), 'the notice "You are going."');
		}],

		['newcomer: takes the fika\'s calendar file with "Add to calendar"', async () => {
			const link = newcomer.getByRole('link', { name: 'Add to calendar', exact: true });
			await visible(link, 'the link "Add to calendar"');
			const href = await link.getAttribute('href');
			const resp = await newcomer.request.get(href);
			assert(resp.status() === 200, `GET ${href} answered ${resp.status()}`);
			const type = resp.headers()['content-type'] || '';
			assert(type.startsWith('text/calendar'), `${href} is ${type}, not text/calendar`);
			// Lines longer than 75 octets are folded: a CRLF and a space.
			const ics = (await resp.text()).replace(/\r\n[ \t]/g, '');
			for (const want of ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', `SUMMARY:${NEXT_FIKA}`,
				'DTSTART;TZID=Europe/Stockholm:', 'BEGIN:VTIMEZONE', 'STATUS:CONFIRMED', 'END:VCALENDAR'])
				assert(ics.includes(want), `the calendar file has no "${want}":\n${ics}`);
		}],

		['newcomer: finds the full fika on /events and joins its waitlist', async () => {
			await clickAndLoad(newcomer, header(newcomer).getByRole('link', { name: 'Events', exact: true }),
				'header link "Events"');
			await expectPath(newcomer, '/events');
			const item = newcomer.locator('li.kind-event', { hasText: FULL_FIKA });
			await visible(item.getByText('Full: waitlist'), `"Full: waitlist" by "${FULL_FIKA}"`);
			await clickAndLoad(newcomer, item.getByRole('link', { name: FULL_FIKA }), `the link "${FULL_FIKA}"`);
			fullFikaPath = new URL(newcomer.url()).pathname;
			await clickAndLoad(newcomer,
				signUpBox(newcomer).getByRole('button', { name: 'Join the waitlist', exact: true }),
				'button "Join the waitlist"');
			await visible(signUpBox(newcomer).getByText('You are number 3 on the waitlist.'),
				'the notice "You are number 3 on the waitlist."');
		}],

		['ahmed: leaves the waitlist', cancels('ahmed', 'Leave the waitlist')],
		['wouter: leaves the waitlist', cancels('wouter', 'Leave the waitlist')],

		['newcomer: is next on the waitlist', async () => {
			await newcomer.reload({ waitUntil: 'load' });
			await visible(signUpBox(newcomer).getByText('You are number 1 on the waitlist.'),
				'the notice "You are number 1 on the waitlist."');
		}],

		['linnea: cannot come after all', cancels('linnea', 'I cannot come after all')],

		['newcomer: is going, and the bell says a seat came free', async () => {
			await newcomer.reload({ waitUntil: 'load' });
			await visible(signUpBox(newcomer).getByText('You are going.'), 'the notice "You are going."');
			const bell = header(newcomer).locator('a.notifications-link');
			const count = (await bell.locator('.unread-count').innerText()).trim();
			assert(count === '1', `the bell shows "${count}", expected 1`);
			await clickAndLoad(newcomer, bell, 'the link "Notifications"');
			await expectPath(newcomer, '/notifications');
			const note = newcomer.locator('main').getByText(`A seat came free: you are going to ${FULL_FIKA}`);
			await visible(note, 'the notification that a seat came free');
		}],

		['no script errors or failed requests on any page', async () => {
			if (pageErrors.length)
				fail(pageErrors.join('\n'));
		}],
	];
	await runSteps(steps, pages);
}

run({
	name: 'fika.mjs',
	setup: ({ bin, dbPath }) => {
		const out = kringCli(bin, ['init', '--demo', '--db', dbPath]);
		assert(/Loaded the demo/.test(out), `kring init --demo said: ${out}`);
	},
	journey,
	wholeRunMs: 90_000,
});
