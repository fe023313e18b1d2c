/* kring: progressive enhancement only; every page works without it.
 * - <time data-unix="SECONDS"> shows a local date and time in the page's
 *   language, with an ISO datetime attribute;
 * - an event's time (.reader-time) is also shown on the reader's own
 *   clock when the browser's time zone is not the event's;
 * - a form submitted with a .danger button asks for confirmation first
 *   (the button's data-confirm text, or a short generic question);
 * - opening a comment's <details> (add or edit) puts the cursor in its
 *   text box;
 * - the search boxes suggest titles while a word is typed (GET
 *   /search/suggest); Enter still searches;
 * - a reaction button (on an item or a comment) toggles without reloading
 *   the page, through the same address under /api/v1. */
(function () {
  'use strict';

  var lang = document.documentElement.lang || undefined;

  /* Formats with the page's language; falls back to the browser's own
   * when the language or the options are not supported. */
  function formatter(options) {
    var attempts = [[lang, options], [undefined, options], [undefined, {}]];
    for (var i = 0; i < attempts.length; i++) {
      try {
        return new Intl.DateTimeFormat(attempts[i][0], attempts[i][1]);
      } catch (e) { /* try the next */ }
    }
    return null;
  }

  function localTimes(root) {
    if (typeof Intl === 'undefined' || !Intl.DateTimeFormat) return;
    var short = formatter({ dateStyle: 'medium', timeStyle: 'short' });
    var full = formatter({ dateStyle: 'full', timeStyle: 'long' });
    if (!short || !short.resolvedOptions().dateStyle) {
      /* No dateStyle support: spell the fields out. */
      short = formatter({ year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      full = formatter({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
        hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    }
    var times = root.querySelectorAll('time[data-unix]');
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var seconds = Number(el.getAttribute('data-unix'));
      if (!isFinite(seconds) || seconds <= 0) continue; /* missing or not a time */
      var date = new Date(seconds * 1000);
      if (isNaN(date.getTime())) continue;
      el.setAttribute('datetime', date.toISOString());
      if (short) el.textContent = short.format(date);
      if (full && !el.title) el.title = full.format(date);
    }
  }

  /* "Sat, 14 Mar, 12:30 – 14:00 EDT" in the browser's zone; the end's
   * date only when it is another day there. */
  function readerTimes(root) {
    if (typeof Intl === 'undefined' || !Intl.DateTimeFormat) return;
    var mine = formatter({}).resolvedOptions().timeZone;
    var start = formatter({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    var endSameDay = formatter({ hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    var endOtherDay = formatter({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit',
      minute: '2-digit', timeZoneName: 'short' });
    var day = formatter({ year: 'numeric', month: '2-digit', day: '2-digit' });
    var spans = root.querySelectorAll('.reader-time[data-zone]');
    for (var i = 0; i < spans.length; i++) {
      var el = spans[i];
      if (!mine || el.getAttribute('data-zone') === mine) continue;
      var from = new Date(Number(el.getAttribute('data-starts')) * 1000);
      var to = new Date(Number(el.getAttribute('data-ends')) * 1000);
      if (isNaN(from.getTime()) || isNaN(to.getTime())) continue;
      var sameDay = day.format(from) === day.format(to);
      var value = el.querySelector('.reader-time-value');
      if (!value) continue;
      value.textContent = start.format(from) + ' – ' + (sameDay ? endSameDay : endOtherDay).format(to) + ' (' + mine + ')';
      el.hidden = false;
    }
  }

  /* Used only when a .danger button has no data-confirm text. */
  var fallback = {
    en: 'Are you sure? This cannot be undone.',
    sv: 'Är du säker? Det går inte att ångra.',
    nl: 'Weet je het zeker? Dit kan niet ongedaan worden gemaakt.'
  };

  var dangerSubmit = 'button.danger:not([type]), button.danger[type="submit"], input.danger[type="submit"]';

  function confirmDanger(event) {
    var form = event.target;
    if (!form || form.nodeName !== 'FORM') return;
    /* The button that sent the form; without SubmitEvent.submitter (older
     * browsers, or Enter in a field) the form's first danger button. */
    var button = event.submitter || null;
    if (!button) button = form.querySelector(dangerSubmit);
    if (!button || !button.classList || !button.classList.contains('danger')) return;
    var code = (lang || 'en').slice(0, 2).toLowerCase();
    var question = button.getAttribute('data-confirm') || form.getAttribute('data-confirm') ||
      fallback[code] || fallback.en;
    if (!window.confirm(question)) event.preventDefault();
  }

  /* 'toggle' does not bubble, so listen while capturing. */
  function focusCommentBox(event) {
    var details = event.target;
    if (!details || details.nodeName !== 'DETAILS' || !details.open) return;
    if (!details.classList.contains('add-comment') && !details.classList.contains('edit-comment')) return;
    var box = details.querySelector('textarea');
    if (box && box.focus) box.focus();
  }

  /* Suggestions under a search box, as links; a newer answer replaces an
   * older one, and an answer to an older query is dropped. */
  function suggest(input) {
    var list = document.createElement('ul');
    list.className = 'suggestions';
    list.setAttribute('role', 'list');
    list.hidden = true;
    input.parentNode.appendChild(list);
    var timer = null, asked = '';
    function show(items) {
      list.textContent = '';
      for (var i = 0; i < items.length; i++) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = items[i].url;
        a.textContent = items[i].title;
        var kind = document.createElement('span');
        kind.className = 'muted';
        kind.textContent = ' · ' + items[i].kind_label;
        li.appendChild(a);
        li.appendChild(kind);
        list.appendChild(li);
      }
      list.hidden = items.length === 0;
    }
    function ask() {
      var q = input.value.trim();
      asked = q;
      if (q.length < 2 || !window.fetch) { show([]); return; }
      fetch('/api/v1/search/suggest?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (asked === q) show(data.suggestions || []); })
        .catch(function () { show([]); });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') show([]);
    });
  }

  /* Sends a reaction form through the API and shows the new counts in its
   * group; when that cannot be done, the form is sent as usual. */
  function react(event) {
    var form = event.target;
    if (!form || form.nodeName !== 'FORM' || !window.fetch) return;
    var group = form.parentNode;
    if (!group || !group.classList || !group.classList.contains('reactions')) return;
    var kind = form.querySelector('input[name="kind"]');
    var csrf = form.querySelector('input[name="csrf"]');
    if (!kind || !csrf) return;
    event.preventDefault();
    var button = form.querySelector('button');
    if (button) button.disabled = true;
    fetch('/api/v1' + form.getAttribute('action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.value },
      body: JSON.stringify({ kind: kind.value })
    }).then(function (r) {
      if (!r.ok) throw new Error('status ' + r.status);
      return r.json();
    }).then(function (counts) {
      var forms = group.querySelectorAll('form');
      for (var i = 0; i < forms.length; i++) {
        var k = forms[i].querySelector('input[name="kind"]').value;
        var b = forms[i].querySelector('button');
        var on = (counts.mine || []).indexOf(k) >= 0;
        b.classList.toggle('on', on);
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
        var count = b.querySelector('.count');
        if (count) count.textContent = String(counts[k] || 0);
      }
      if (button) button.disabled = false;
    }).catch(function () {
      form.submit();
    });
  }

  function start() {
    localTimes(document);
    readerTimes(document);
    var boxes = document.querySelectorAll('input[type="search"][name="q"]');
    for (var i = 0; i < boxes.length; i++) suggest(boxes[i]);
    document.addEventListener('submit', confirmDanger);
    document.addEventListener('submit', react);
    document.addEventListener('toggle', focusCommentBox, true);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
