"""Tokens get an end: existing ones are given the lifetime they would have had (tokens.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    DeviceToken = apps.get_model("accounts", "DeviceToken")
    for token in DeviceToken.objects.select_related("user").iterator():
        if token.user.role == "citizen":
            token.expires_at = (token.last_used_at or token.created_at) + timedelta(days=settings.CITIZEN_TOKEN_DAYS)
            token.sliding = True
        else:
            token.expires_at = token.created_at + timedelta(hours=settings.STAFF_TOKEN_HOURS)
        token.save(update_fields=["expires_at", "sliding"])


class Migration(migrations.Migration):

    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="devicetoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="hết hạn / expires at"),
        ),
        migrations.AddField(
            model_name="devicetoken",
            name="sliding",
            field=models.BooleanField(default=False, verbose_name="gia hạn khi dùng / extended by use"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="devicetoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="hết hạn / expires at"),
        ),
    ]
