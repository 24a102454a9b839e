import factory
from django.utils import timezone

from bedside.syndication.keys import new_key
from bedside.syndication.models import Channel, ChannelStatus, Delivery, Network
from tests.factories.posts import PostFactory
from tests.factories.practices import PracticeFactory


class ChannelFactory(factory.django.DjangoModelFactory):
    """An active Bluesky channel on a fake PDS; pass ``credentials={...}`` to seal tokens."""

    class Meta:
        model = Channel
        skip_postgeneration_save = True

    practice = factory.SubFactory(PracticeFactory)
    network = Network.BLUESKY
    handle = "riverside.pds.example"
    server_url = "https://pds.example"
    account_id = "did:plc:riverside123"
    status = ChannelStatus.ACTIVE
    connected_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def credentials(self, create: bool, extracted: dict[str, str] | None, **kwargs: object) -> None:
        self.set_credentials(extracted or {})
        if create:
            self.save(update_fields=["sealed_credentials"])


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    channel = factory.SubFactory(ChannelFactory)
    post = factory.SubFactory(PostFactory, practice=factory.SelfAttribute("..channel.practice"))
    practice = factory.SelfAttribute("channel.practice")
    key = factory.LazyFunction(new_key)
    post_title = factory.SelfAttribute("post.title")
