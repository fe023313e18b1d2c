#!/usr/bin/python3
"""Reads one e-mail (an .eml file) with Python's email package, strictly, and
prints what the HTTP tests check as JSON: the headers as sent and decoded,
the defects the parser found, and each part's type, charset, transfer
encoding and decoded text.

    mail_parse.py FILE
"""
import email
import email.policy
import email.utils
import json
import sys

raw = open(sys.argv[1], "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.strict)
parsed_date = email.utils.parsedate_to_datetime(msg["Date"]) if msg["Date"] else None
out = {
    "raw_headers": raw.split(b"\r\n\r\n", 1)[0].decode("ascii"),
    "crlf_only": b"\n" not in raw.replace(b"\r\n", b""),
    "longest_line": max(len(line) for line in raw.split(b"\r\n")),
    "date": parsed_date.timestamp() if parsed_date else None,
    "message_id": msg["Message-ID"],
    "from": str(msg["From"]),
    "to": str(msg["To"]),
    "to_address": msg["To"].addresses[0].addr_spec if msg["To"] else None,
    "to_name": msg["To"].addresses[0].display_name if msg["To"] else None,
    "subject": str(msg["Subject"]),
    "mime_version": msg["MIME-Version"],
    "content_type": msg.get_content_type(),
    "defects": [str(d) for d in msg.defects],
    "header_count": {k.lower(): len(msg.get_all(k)) for k in msg.keys()},
    "parts": [],
}
for part in msg.iter_parts():
    out["parts"].append({
        "type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "encoding": part["Content-Transfer-Encoding"],
        "defects": [str(d) for d in part.defects],
        "content": part.get_content(),
    })
print(json.dumps(out))
