#!/usr/bin/python3
"""Reads one Atom feed with feedparser (Debian's python3-feedparser) and
prints what the HTTP tests check as JSON: whether it parsed cleanly
("bozo" is true for XML that is not well-formed), the feed's own fields and
each entry's, with times as seconds since 1970.

    feed_parse.py FILE
"""
import calendar
import json
import sys

import feedparser


def seconds(parsed):
    return calendar.timegm(parsed) if parsed else None


d = feedparser.parse(open(sys.argv[1], "rb").read())
feed = d.feed
out = {
    "bozo": bool(d.bozo),
    "problem": str(d.get("bozo_exception", "")),
    "version": d.version,
    "id": feed.get("id"),
    "title": feed.get("title"),
    "updated": seconds(feed.get("updated_parsed")),
    "links": [{"rel": l.get("rel"), "type": l.get("type"), "href": l.get("href")} for l in feed.get("links", [])],
    "entries": [],
}
for e in d.entries:
    content = e.get("content") or [{}]
    out["entries"].append({
        "id": e.get("id"),
        "title": e.get("title"),
        "link": e.get("link"),
        "published": seconds(e.get("published_parsed")),
        "updated": seconds(e.get("updated_parsed")),
        "author": e.get("author"),
        "author_uri": e.get("author_detail", {}).get("href"),
        "summary": e.get("summary"),
        "content": content[0].get("value"),
        "content_type": content[0].get("type"),
        "tags": [t.get("term") for t in e.get("tags", [])],
    })
json.dump(out, sys.stdout)
