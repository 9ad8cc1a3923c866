from django.db import models


class JobHeartbeat(models.Model):
    """A periodic-jobs loop writes one row per pass: operators can see the worker is alive.

    The intake benchmark also uses a one-row insert into this table as its baseline view.
    """

    name = models.CharField(max_length=60)
    host = models.CharField(max_length=120, blank=True)
    beat_at = models.DateTimeField(auto_now_add=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
