"""WebSub: when WEBSUB_HUB is set, the Atom feeds name the hub and the hub is told (a queued job)
when a post appears, changes or goes, so that subscribers hear of it without polling."""

import requests

from xtq import jobs


@jobs.task(retries=3, retry_delay=60)
def ping(hub: str, topics: list[str]) -> None:
    """hub.mode=publish for each changed feed. The hub is the deployment's own setting, so it is
    not held to the fediverse's address rules (it may well be on the local network)."""
    data = [("hub.mode", "publish"), *(("hub.url", topic) for topic in topics)]
    requests.post(hub, data=data, timeout=10).raise_for_status()
