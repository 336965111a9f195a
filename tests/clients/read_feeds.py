"""Reads feeds with Debian's python3-feedparser, as a Python feed reader would.

Usage: /usr/bin/python3 read_feeds.py URL...   (prints one JSON document: a list, one entry per URL)
"""
import json
import sys
import time

import feedparser


def read(url):
    parsed = feedparser.parse(url)
    links = {link.get("rel"): link.get("href") for link in parsed.feed.get("links", [])}
    return {
        "url": url,
        "version": parsed.get("version", ""),
        "bozo": bool(parsed.bozo),
        "bozo_exception": repr(parsed.get("bozo_exception")) if parsed.bozo else None,
        "status": parsed.get("status"),
        "title": parsed.feed.get("title"),
        "links": links,
        # JSON Feed's next_url, which feedparser does not map to a link.
        "entries": [
            {
                "id": entry.get("id"),
                "title": entry.get("title"),
                "link": entry.get("link"),
                "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", entry.published_parsed) if entry.get("published_parsed") else None,
                "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", entry.updated_parsed) if entry.get("updated_parsed") else None,
            }
            for entry in parsed.entries
        ],
    }


print(json.dumps([read(url) for url in sys.argv[1:]]))
