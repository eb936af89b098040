"""Sessions with their person in a column (mealplan/accounts/sessions.py); the sessions of Django's table are copied."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations, models
from django.utils import timezone


def keep_everyone_signed_in(apps, schema_editor):
    """Copy the unexpired sessions of Django's table, each with the person it signs in."""
    Session, UserSession = apps.get_model("sessions", "Session"), apps.get_model("mealplan", "UserSession")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    sessions = list(Session.objects.filter(expire_date__gt=timezone.now()))
    user_ids = {session.session_key: SessionStore().decode(session.session_data).get(SESSION_KEY) for session in sessions}
    known = {str(pk) for pk in User.objects.filter(pk__in=[pk for pk in user_ids.values() if str(pk).isdecimal()])
             .values_list("pk", flat=True)}
    UserSession.objects.bulk_create(
        [UserSession(session_key=session.session_key, session_data=session.session_data, expire_date=session.expire_date,
                     user_id=user_ids[session.session_key] if str(user_ids[session.session_key]) in known else None)
         for session in sessions], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('mealplan', '0018_own_meals_per_day'),
        ('sessions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UserSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'abstract': False,
            },
        ),
        migrations.RunPython(keep_everyone_signed_in, migrations.RunPython.noop),
    ]
