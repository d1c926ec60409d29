"""The courier-days matrix, moved here from holds (holds 0002 copies its rows across, then
drops the old table), and the trips learned times are read from (transit 0002 fills them
from the transits already received)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courier', '0003_courierversion'),
        ('members', '0003_membersversion'),
    ]

    operations = [
        migrations.CreateModel(
            name='CourierDays',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('days', models.DecimalField(decimal_places=2, max_digits=5)),
                ('destination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.branch')),
                ('origin', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.branch')),
            ],
            options={
                'verbose_name': 'courier days',
                'verbose_name_plural': 'courier days',
                'constraints': [models.UniqueConstraint(fields=('origin', 'destination'), name='courier_days_one_row')],
            },
        ),
        migrations.CreateModel(
            name='CourierTrip',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shipped_on', models.DateField(help_text='Local date it was shipped.')),
                ('received_on', models.DateField(help_text='Local date it was received.')),
                ('days', models.PositiveSmallIntegerField(help_text='Whole days from shipping to receiving.')),
                ('scheduled_days', models.PositiveSmallIntegerField(blank=True, help_text='What the route schedule said on the ship date.', null=True)),
                ('receiver', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.branch')),
                ('sender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.branch')),
            ],
            options={
                'indexes': [models.Index(fields=['sender', 'receiver', 'received_on'], name='courier_trip_pair')],
                'constraints': [models.CheckConstraint(condition=models.Q(('sender', models.F('receiver')), _negated=True), name='courier_trip_two_branches')],
            },
        ),
    ]
