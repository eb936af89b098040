import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mealplan', '0015_plans_to_households'),
    ]

    operations = [
        migrations.AlterField(
            model_name='mealplan',
            name='household',
            field=models.ForeignKey(blank=True, help_text="Whose plan it is; empty means the owner's household.", on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='mealplan.household'),
        ),
    ]
