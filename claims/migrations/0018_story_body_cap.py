# The story cap: 100,000 characters, said by `validate_story_body`.

from django.db import migrations, models

import claims.models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_hashed_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="story",
            name="body",
            field=models.TextField(blank=True, validators=[claims.models.validate_story_body]),
        ),
    ]
