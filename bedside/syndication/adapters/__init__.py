"""The registry of network adapters: ``ADAPTERS[channel.network]``.

Each adapter module adds its own line; the rest of syndication finds adapters only here.
"""

from bedside.syndication.adapters.base import Adapter
from bedside.syndication.adapters.bluesky import Bluesky
from bedside.syndication.adapters.mastodon import Mastodon

ADAPTERS: dict[str, Adapter] = {
    "bluesky": Bluesky(),
    "mastodon": Mastodon(),
}
