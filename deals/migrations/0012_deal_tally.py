"""The deal tally (`deals.tally`): the headline's sums per type, status and qualifiers, kept
by triggers on `deals_deal` in each write's transaction, and filled once here from the deals
already stored (one GROUP BY)."""

from django.db import migrations, models

from deals import tally


def install_triggers(apps, schema_editor):
    tally.install(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    tally.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('deals', '0011_datacenter_status_history'),
    ]

    operations = [
        migrations.CreateModel(
            name='DealTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('deal_type', models.CharField(max_length=32)),
                ('status', models.CharField(max_length=16)),
                ('amount_qualifier', models.CharField(max_length=16)),
                ('power_qualifier', models.CharField(max_length=16)),
                ('money', models.DecimalField(decimal_places=2, default=0, max_digits=30)),
                ('power', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('deals', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('deal_type', 'status', 'amount_qualifier', 'power_qualifier'), name='deal_tally_one_row_per_group')],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
