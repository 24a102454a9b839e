"""Exactly once: one remote post per (post, channel), whatever crashes, timeouts or retries."""

from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from django.utils import timezone

from bedside.posts.models import Status, Visibility
from bedside.syndication import engine, services, sweeps
from bedside.syndication.models import Delivery, DeliveryStatus
from tests.factories import ChannelFactory, PostFactory

pytestmark = pytest.mark.django_db


def syndicated(post, capture):
    with capture(execute=True):
        return services.syndicate(post=post)


def test_publishing_writes_one_record_and_stores_its_id(
    practice, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)
    [delivery] = syndicated(post, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DONE
    assert len(pds.records) == 1
    [rkey] = pds.records
    assert delivery.remote_id == pds.uri(rkey)
    assert rkey == delivery.key  # the record key is the delivery key
    # A second call creates nothing and sends nothing.
    again = syndicated(post, django_capture_on_commit_callbacks)
    assert [d.pk for d in again] == [delivery.pk]
    assert len(pds.records) == 1


def test_a_crash_between_the_remote_write_and_done_never_posts_twice(
    practice, bluesky_channel, pds, monkeypatch, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)

    def crash(delivery):
        raise SystemExit("worker killed after the remote write")

    monkeypatch.setattr(engine, "_mark_done", crash)
    syndicated(post, django_capture_on_commit_callbacks)  # the task dies; the test goes on
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.SENDING
    assert delivery.remote_id  # committed before the crash
    assert len(pds.records) == 1
    monkeypatch.undo()

    # The worker is gone; after its lease the sweep frees the row and runs it again.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    sweeps.run()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DONE
    assert len(pds.records) == 1
    creates = [r for r in pds.requests if r.url.path.endswith("createRecord")]
    assert len(creates) == 1


def test_a_timeout_after_the_write_finds_the_post_on_retry(
    practice, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)

    def write_then_time_out(request):
        if request.url.path.endswith("createRecord"):
            pds.hooks.remove(write_then_time_out)
            pds.handle_request(request)  # the PDS stores the record…
            raise httpx.ReadTimeout("read timed out", request=request)  # …we never hear
        return None

    pds.hooks.append(write_then_time_out)
    [delivery] = syndicated(post, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "10 seconds" in delivery.last_error
    assert not delivery.remote_id
    assert len(pds.records) == 1

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    delivery.refresh_from_db()
    assert delivery.remote_id == pds.uri(delivery.key)
    assert len(pds.records) == 1
    assert any(r.url.path.endswith("getRecord") for r in pds.requests)


def test_two_workers_claim_a_delivery_once(practice, bluesky_channel, pds):
    post = PostFactory(practice=practice)
    delivery = services.ensure_deliveries(post=post, channels=[bluesky_channel])[0]
    stale = Delivery.objects.select_related("channel", "post__practice").get(pk=delivery.pk)
    assert engine.run(delivery.pk) == DeliveryStatus.DONE
    # A second worker holding the old row state loses the conditional claim.
    assert engine.publish(stale) == "taken"
    assert len(pds.records) == 1


def test_backoff_is_exponential_and_capped():
    assert engine.backoff(1) == timedelta(seconds=30)
    assert engine.backoff(2) == timedelta(seconds=60)
    assert engine.backoff(5) == timedelta(seconds=480)
    assert engine.backoff(30) == engine.MAX_DELAY


def test_a_failing_network_is_retried_then_given_up(practice, bluesky_channel, pds):
    pds.hooks.append(
        lambda request: (
            httpx.Response(502, json={"error": "UpstreamFailure"})
            if request.url.path.endswith("createRecord")
            else None
        )
    )
    post = PostFactory(practice=practice)
    delivery = services.ensure_deliveries(post=post, channels=[bluesky_channel])[0]
    for attempt in range(1, engine.MAX_ATTEMPTS + 1):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        engine.run(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert "502" in delivery.last_error
    assert pds.records == {}


def test_unpublishing_removes_the_remote_post(
    practice, bluesky_channel, pds, editor, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)
    syndicated(post, django_capture_on_commit_callbacks)
    assert len(pds.records) == 1
    type(post).objects.filter(pk=post.pk).update(status=Status.DRAFT, published_at=None)
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retract(post=post) == 1
    assert pds.records == {}
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.RETRACTED
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retract(post=post) == 0  # idempotent


def test_a_deleted_post_is_removed_by_the_sweep(
    practice, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)
    syndicated(post, django_capture_on_commit_callbacks)
    post.delete()
    delivery = Delivery.objects.get()
    assert delivery.post is None and delivery.remote_id
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.run()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    assert pds.records == {}


def test_publishing_again_after_a_retraction_makes_a_new_post(
    practice, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice)
    [first] = syndicated(post, django_capture_on_commit_callbacks)
    type(post).objects.filter(pk=post.pk).update(status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(post=post)
    type(post).objects.filter(pk=post.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    post.refresh_from_db()
    [again] = syndicated(post, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    assert again.pk == first.pk and again.key != first.key
    assert again.status == DeliveryStatus.DONE
    assert list(pds.records) == [again.key]


def test_the_sweep_creates_deliveries_only_for_posts_after_the_channel_connected(
    practice, pds, django_capture_on_commit_callbacks
):
    old = PostFactory(practice=practice, published_at=timezone.now() - timedelta(days=3))
    channel = ChannelFactory(
        practice=practice,
        connected_at=timezone.now() - timedelta(days=1),
        credentials={"access_jwt": pds.access, "refresh_jwt": pds.refresh},
    )
    new = PostFactory(practice=practice)
    PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.reconcile()
    assert list(Delivery.objects.values_list("post_id", flat=True)) == [new.pk]
    assert not Delivery.objects.filter(post=old, channel=channel).exists()


def test_a_retraction_that_races_a_send_still_removes_the_post(
    practice, bluesky_channel, pds, monkeypatch
):
    post = PostFactory(practice=practice)
    delivery = services.ensure_deliveries(post=post, channels=[bluesky_channel])[0]
    real_store = engine.store_remote

    def unpublished_meanwhile(row, published):
        real_store(row, published)
        # The post is taken down while our write is on its way back.
        type(post).objects.filter(pk=post.pk).update(status=Status.DRAFT, published_at=None)
        services.retract_deliveries(Delivery.objects.filter(pk=row.pk))

    monkeypatch.setattr(engine, "store_remote", unpublished_meanwhile)
    engine.run(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    assert pds.records == {}


def test_a_patients_only_post_never_leaves_bedside(
    practice, bluesky_channel, pds, django_capture_on_commit_callbacks
):
    private = PostFactory(practice=practice, visibility=Visibility.PATIENTS)
    assert syndicated(private, django_capture_on_commit_callbacks) == []
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.reconcile()
    assert not Delivery.objects.filter(post=private).exists()
    # A public post later made patients-only comes down at the next sweep.
    post = PostFactory(practice=practice)
    syndicated(post, django_capture_on_commit_callbacks)
    assert len(pds.records) == 1
    type(post).objects.filter(pk=post.pk).update(visibility=Visibility.PATIENTS)
    with django_capture_on_commit_callbacks(execute=True):
        sweeps.run()
    assert pds.records == {}
    assert Delivery.objects.get(post=post).status == DeliveryStatus.RETRACTED


def test_responses_are_pulled_every_15_minutes_for_two_weeks(
    practice, bluesky_channel, pds, monkeypatch
):
    now = timezone.now()

    def done(published_days_ago, counts_minutes_ago):
        return Delivery.objects.create(
            post=PostFactory(practice=practice),
            practice=practice,
            channel=bluesky_channel,
            key=engine_key(),
            status=DeliveryStatus.DONE,
            remote_id=pds.uri(engine_key()),
            published_at=now - timedelta(days=published_days_ago),
            counts_at=None
            if counts_minutes_ago is None
            else now - timedelta(minutes=counts_minutes_ago),
        )

    never = done(1, None)
    stale = done(3, 20)
    done(3, 5)  # read five minutes ago
    done(20, None)  # older than two weeks
    queued = []
    monkeypatch.setattr(sweeps, "pull_responses", SimpleNamespace(enqueue=queued.append))
    assert sweeps.pull_due_responses() == 2
    assert queued == [never.pk, stale.pk]


def engine_key():
    from bedside.syndication.keys import new_key

    return new_key()
