#!/usr/bin/python3
"""bench/mixed.py: the two helpers of the mixed workload in bench/run.sh
(bench/README.md). Python's standard library only.

  mixed.py pages URL N READS_FILE TARGETS_FILE COMMUNITY K
      Walks the question list as a visitor sees it (/api/v1/questions, newest
      first) and writes the paths of the first N questions to READS_FILE, one
      a line: the pages the readers ask for. Then it goes on down the list and
      writes the ids of the next K questions of COMMUNITY to TARGETS_FILE:
      the questions the writer comments on, none of them among the pages read.

  mixed.py write URL RATE SECONDS TARGETS_FILE SESSION CSRF
      Posts comments for SECONDS at RATE a second, in turn on each question
      of TARGETS_FILE, as the member signed in with the session cookie
      SESSION (CSRF is its token). A write is due every 1/RATE seconds from
      the start, whenever the ones before it are answered: up to 8 are in
      flight at once, each on its own kept-alive connection. A write that
      could not go out within 1/RATE of its time is left out rather than
      sent in a burst with the next ones, so the writes made tell the rate
      kring kept up with. Prints the writes made and the seconds they took
      (SECONDS, or more when the last answers came after it).
      Fails on any answer other than 201.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

# Writes in flight at most: when kring is slow to answer one, the next ones
# still go out on time.
CONNECTIONS = 8


def connect(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)


def get_json(conn, path):
    conn.request("GET", path, headers={"Accept": "application/json"})
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        sys.exit(f"mixed.py: GET {path} answered {resp.status}")
    return json.loads(body)


def pages(url, n, reads_file, targets_file, community, k):
    conn = connect(url)
    reads, seen, targets = [], set(), []
    query = ""
    while len(targets) < k:
        page = get_json(conn, "/api/v1/questions" + query)
        for item in page["items"]:
            if len(reads) < n:
                reads.append(item["url"])
                seen.add(item["id"])
            elif item["community"]["slug"] == community and item["id"] not in seen and len(targets) < k:
                targets.append(item["id"])
        if not page.get("next"):
            break
        query = page["next_query"]
    if len(reads) < n or len(targets) < k:
        sys.exit(f"mixed.py: the question list has {len(reads)} questions to read (of {n}) "
                 f"and {len(targets)} of {community} to comment on (of {k})")
    with open(reads_file, "w") as f:
        f.write("".join(p + "\n" for p in reads))
    with open(targets_file, "w") as f:
        f.write("".join(f"{t}\n" for t in targets))


def write(url, rate, seconds, targets_file, session, csrf):
    with open(targets_file) as f:
        targets = [line.strip() for line in f if line.strip()]
    headers = {"Content-Type": "application/json", "Accept": "application/json",
               "Cookie": f"kring_session={session}", "X-CSRF-Token": csrf}
    interval = 1.0 / rate
    lock = threading.Lock()
    state = {"next": 0, "made": 0, "failed": None}
    start = time.monotonic()
    end = start + seconds

    def post_comments():
        conn = connect(url)
        while True:
            with lock:
                slot = state["next"]
                state["next"] += 1
            due = start + slot * interval
            if due >= end or state["failed"]:
                return
            now = time.monotonic()
            if now - due > interval:
                continue  # every connection was busy: this write is not made
            if due > now:
                time.sleep(due - now)
            item = targets[slot % len(targets)]
            body = json.dumps({"body": f"Comment {slot + 1} of the mixed benchmark, {rate:g} a second."})
            try:
                conn.request("POST", f"/api/v1/items/{item}/comments", body=body, headers=headers)
                resp = conn.getresponse()
                answer = resp.read()
            except (OSError, http.client.HTTPException) as e:
                state["failed"] = f"a comment on item {item} failed: {e}"
                return
            if resp.status != 201:
                state["failed"] = f"a comment on item {item} answered {resp.status}: {answer[:300]!r}"
                return
            with lock:
                state["made"] += 1

    workers = [threading.Thread(target=post_comments) for _ in range(CONNECTIONS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if state["failed"]:
        sys.exit("mixed.py: " + state["failed"])
    # Over the whole time asked, or longer when the last answers came late.
    print(state["made"], f"{max(time.monotonic() - start, seconds):.3f}")


def main(argv):
    if len(argv) == 8 and argv[1] == "pages":
        pages(argv[2], int(argv[3]), argv[4], argv[5], argv[6], int(argv[7]))
    elif len(argv) == 8 and argv[1] == "write":
        write(argv[2], float(argv[3]), float(argv[4]), argv[5], argv[6], argv[7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
