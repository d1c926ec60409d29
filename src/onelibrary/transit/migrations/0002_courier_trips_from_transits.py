"""The courier's learned times now read its own trips (courier.CourierTrip, written when
transit receives an item where it was sent); this fills them from the transits already
received, as the old reading counted them: shipped, received at the receiver. Their
scheduled days are what each transit was told to expect, as before. Backwards, the trips
are removed (every one of them comes from a transit, so going forward again rebuilds
them all)."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

BATCH = 2000


def fill(apps, schema_editor):
    Transit = apps.get_model("transit", "Transit")
    CourierTrip = apps.get_model("courier", "CourierTrip")
    rows = (
        Transit.objects.filter(
            state="received", shipped_at__isnull=False, received_branch=F("receiver")
        )
        .exclude(sender=F("receiver"))
        .order_by("pk")
        .values_list("sender_id", "receiver_id", "shipped_at", "received_at", "expected_on")
    )
    batch = []
    for sender, receiver, shipped_at, received_at, expected in rows.iterator(chunk_size=BATCH):
        shipped_on = timezone.localtime(shipped_at).date()
        received_on = timezone.localtime(received_at).date()
        batch.append(
            CourierTrip(
                sender_id=sender,
                receiver_id=receiver,
                shipped_on=shipped_on,
                received_on=received_on,
                days=max(0, (received_on - shipped_on).days),
                scheduled_days=max(0, (expected - shipped_on).days) if expected else None,
            )
        )
        if len(batch) >= BATCH:
            CourierTrip.objects.bulk_create(batch)
            batch = []
    CourierTrip.objects.bulk_create(batch)


def empty(apps, schema_editor):
    apps.get_model("courier", "CourierTrip").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transit", "0001_initial"),
        ("courier", "0004_courierdays_and_trips"),
    ]

    operations = [migrations.RunPython(fill, empty)]
