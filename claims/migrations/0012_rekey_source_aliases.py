"""Store each source alias under the parser's name key (`claims.parsing.sources
.normalise_name`), which the desk now shares with the parser: the older key kept
punctuation and a bracketed gloss and dropped only a leading "the"."""

from django.db import IntegrityError, migrations, transaction

from claims.parsing.sources import normalise_name


def _set_key(SourceAlias, pk, key):
    try:
        with transaction.atomic():
            SourceAlias.objects.filter(pk=pk).update(normalised=key)
    except IntegrityError:
        return False
    return True


def forward(apps, schema_editor):
    SourceAlias = apps.get_model("claims", "SourceAlias")
    changed = [
        (alias.pk, alias.source_id, alias.normalised, normalise_name(alias.name))
        for alias in SourceAlias.objects.order_by("pk")
        if alias.normalised != normalise_name(alias.name)
    ]
    # Out of the way first, so that keys may move onto one another's old value. A key the
    # name fold can never make ("#" does not survive it), and no NUL: PostgreSQL's text
    # refuses one.
    for pk, _, _, _ in changed:
        SourceAlias.objects.filter(pk=pk).update(normalised=f"#rekey {pk}")
    for pk, source_id, old, new in changed:
        if _set_key(SourceAlias, pk, new):
            continue
        if SourceAlias.objects.filter(normalised=new, source_id=source_id).exists():
            SourceAlias.objects.filter(pk=pk).delete()  # the same name twice for one source
        else:
            # Another source's alias has the key: this one keeps its old key until an
            # admin saves it and is told of the clash.
            _set_key(SourceAlias, pk, old)


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_drop_claim_simple_history")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
