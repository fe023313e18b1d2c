#!/bin/sh
# Checks the translation catalogs i18n/*.po against the strings in the code:
#   scripts/i18n-check.sh            report msgids missing from any catalog
#   scripts/i18n-check.sh --list     print every msgid the code uses, sorted
#   scripts/i18n-check.sh --unused   also report catalog entries no code uses
# Message ids come from the last argument of tr(), req_fail(),
# req_field_error() and N_() in src/**/*.c and *.h (when it is a string
# literal, or a literal in either branch of `cond ? "a" : "b"`), and from
# {{_ text}} and {{#_}}text{{/_}} in templates/**/*.html.
# Also reports empty translations, duplicate or unsorted entries, and
# translations whose {{placeholders}} differ from their msgid's.
# Exits 1 when anything is wrong, 0 when every catalog is complete.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v python3 >/dev/null 2>&1; then
	echo "i18n-check: python3 is needed" >&2
	exit 2
fi
exec python3 - "$root" "$@" <<'PY'
import os, re, sys

root, args = sys.argv[1], sys.argv[2:]
CALLS = re.compile(r'\b(tr|req_fail|req_field_error|N_)\s*\(')
ESC = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0'}

def blank_comments(s):
    """Comments become spaces (newlines kept); literals stay as they are."""
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c in '"\'':
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            out.append(s[i:j + 1]); i = j + 1
        elif s.startswith('//', i):
            j = s.find('\n', i); j = n if j < 0 else j
            out.append(' ' * (j - i)); i = j
        elif s.startswith('/*', i):
            j = s.find('*/', i + 2); j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', s[i:j])); i = j
        else:
            out.append(c); i += 1
    return ''.join(out)

def literal_value(text):
    """The value of text when it is only adjacent string literals, else None."""
    text, value = text.strip(), ''
    if not text.startswith('"'):
        return None
    for m in re.finditer(r'\s*"((?:[^"\\]|\\.)*)"\s*|(.)', text, re.S):
        if m.group(2) is not None:
            return None
        value += re.sub(r'\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)', lambda e: ESC.get(
            e.group(1), chr(int(e.group(1)[1:], 16)) if e.group(1)[0] == 'x' else
            chr(int(e.group(1), 8)) if e.group(1)[0].isdigit() else e.group(1)), m.group(1))
    return value

def last_argument(s, open_at):
    """The last top-level argument of the call whose '(' is at open_at."""
    depth, start, i = 0, open_at + 1, open_at
    while i < len(s):
        c = s[i]
        if c in '"\'':
            i += 1
            while i < len(s) and s[i] != c:
                i += 2 if s[i] == '\\' else 1
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                return s[start:i]
        elif c == ',' and depth == 1:
            start = i + 1
        i += 1
    return None

def split_ternary(arg):
    """['a', 'b'] for `cond ? a : b` at the top level, else []."""
    depth, q, i = 0, None, 0
    while i < len(arg):
        c = arg[i]
        if c in '"\'':
            i += 1
            while i < len(arg) and arg[i] != c:
                i += 2 if arg[i] == '\\' else 1
        elif c in '([{': depth += 1
        elif c in ')]}': depth -= 1
        elif depth == 0 and c == '?' and q is None: q = i
        elif depth == 0 and c == ':' and q is not None:
            return [arg[q + 1:i], arg[i + 1:]]
        i += 1
    return []

def scan_c(path, rel, found):
    src = blank_comments(open(path, encoding='utf-8').read())
    for m in CALLS.finditer(src):
        if m.start() > 0 and src[m.start() - 1] in '.>"':
            continue
        arg = last_argument(src, m.end() - 1)
        if arg is None:
            continue
        line = src.count('\n', 0, m.start()) + 1
        whole = literal_value(arg)
        for v in [whole] if whole is not None else map(literal_value, split_ternary(arg)):
            if v is not None:
                found.setdefault(v, '%s:%d' % (rel, line))

def scan_template(path, rel, found):
    src = open(path, encoding='utf-8').read()
    for m in re.finditer(r'\{\{(\{?)(.*?)\}\}', src, re.S):
        inner, line = m.group(2), src.count('\n', 0, m.start()) + 1
        if m.group(1):
            continue
        if inner.startswith('_'):
            found.setdefault(inner[1:].strip(), '%s:%d' % (rel, line))
        elif inner.startswith('#') and inner[1:].strip() == '_':
            stop = src.find('{{/_}}', m.end())
            if stop >= 0:
                found.setdefault(src[m.end():stop].strip(), '%s:%d' % (rel, line))

def walk(top, exts, scan, found):
    for d, dirs, files in os.walk(os.path.join(root, top)):
        dirs[:] = sorted(x for x in dirs if not x.startswith('.'))
        for f in sorted(files):
            if f.endswith(exts) and not f.startswith('.'):
                p = os.path.join(d, f)
                scan(p, os.path.relpath(p, root), found)

def read_po(path):
    """[(msgid, msgstr, line)], with multi-line strings joined."""
    entries, cur, key = [], None, None
    for n, raw in enumerate(open(path, encoding='utf-8'), 1):
        s = raw.strip()
        m = re.match(r'(msgid|msgstr)\s+(".*")$', s)
        if m:
            if m.group(1) == 'msgid':
                cur = {'msgid': '', 'msgstr': '', 'line': n}
                entries.append(cur)
            key = m.group(1)
            s = m.group(2)
        if s.startswith('"') and cur is not None:
            cur[key] += literal_value(s) or ''
    return [(e['msgid'], e['msgstr'], e['line']) for e in entries if e['msgid']]

def placeholders(s):
    return sorted(set(x.strip() for x in re.findall(r'\{\{(.*?)\}\}', s)))

found = {}
walk('src', ('.c', '.h'), scan_c, found)
walk('templates', '.html', scan_template, found)
if '--list' in args:
    for k in sorted(found):
        print(k)
    sys.exit(0)

problems = 0
def report(msg):
    global problems
    problems += 1
    print(msg)

for k, where in sorted(found.items(), key=lambda kv: kv[1]):
    if not k:
        report('%s: empty message id' % where)
po_dir = os.path.join(root, 'i18n')
for name in sorted(f for f in os.listdir(po_dir) if f.endswith('.po')):
    rel = 'i18n/' + name
    entries = read_po(os.path.join(po_dir, name))
    have, previous = {}, None
    for msgid, msgstr, line in entries:
        if msgid in have:
            report('%s:%d: "%s" is in the catalog twice' % (rel, line, msgid))
        elif previous is not None and msgid < previous:
            report('%s:%d: "%s" is out of order (entries are sorted by msgid)' % (rel, line, msgid))
        if msgstr and placeholders(msgid) != placeholders(msgstr):
            report('%s:%d: the placeholders of "%s" differ in its translation' % (rel, line, msgid))
        have[msgid], previous = msgstr, msgid
    for msgid, where in sorted(found.items()):
        if msgid and msgid not in have:
            report('%s: missing "%s" (%s)' % (rel, msgid, where))
        elif msgid and not have[msgid]:
            report('%s: "%s" has no translation (%s)' % (rel, msgid, where))
    if '--unused' in args:
        for msgid in sorted(set(have) - set(found)):
            print('%s: "%s" is not used in the code (note only)' % (rel, msgid))
print('i18n-check: %d message ids, %d problem%s' % (len(found), problems, '' if problems == 1 else 's'),
      file=sys.stderr)
sys.exit(1 if problems else 0)
PY
