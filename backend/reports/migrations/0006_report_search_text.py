from django.db import migrations, models


def fold_existing(apps, schema_editor):
    # Reports stored before the column existed become findable without diacritics too.
    from backend.core.folding import search_text

    Report = apps.get_model("reports", "Report")
    for report in Report.objects.only("id", "description").iterator(chunk_size=2000):
        Report.objects.filter(pk=report.pk).update(search_text=search_text(report.description))


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_report_anonymised_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='search_text',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fold_existing, migrations.RunPython.noop),
    ]
