"""The registry of network adapters: ``ADAPTERS[channel.network]``.

Each adapter module adds its own line; the rest of syndication finds adapters only here.
"""

from bedside.syndication.adapters.base import Adapter
from bedside.syndication.adapters.bluesky import Bluesky
from bedside.syndication.adapters.facebook import FacebookPage
from bedside.syndication.adapters.instagram import Instagram
from bedside.syndication.adapters.linkedin import LinkedIn
from bedside.syndication.adapters.mastodon import Mastodon
from bedside.syndication.adapters.x import X

ADAPTERS: dict[str, Adapter] = {
    "bluesky": Bluesky(),
    "mastodon": Mastodon(),
    "facebook": FacebookPage(),
    "instagram": Instagram(),
    "x": X(),
    "linkedin": LinkedIn(),
}
