"""Claims from a spreadsheet, through the same rules and services as the API.

Each row is checked by the API's own claim input (`ClaimWriteSerializer`), so a row is
refused with the same field messages a client would get, and is written by
`services.claim_create`, which reads from the text what the row leaves blank. The good
rows go in one transaction, each in a savepoint of its own, so a row the service refuses
(an unknown source, say) does not take the others with it. A dry run does all of it and
rolls back: what it answers is what a real run would do.

A small file is answered at once; a large one is a job (`ImportJob`) a worker runs,
storing its progress as it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from claims import csvio, policy, services
from claims.errors import DomainError, InvalidInput
from claims.models import ImportJob
from claims.services.common import user_of
from claims.typing import Actor

# A file the desk reads: 20,000 rows or 10 MB, whichever comes first.
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
# Up to this many rows the API answers at once; a longer file is a job.
SYNC_ROWS = 500
# How often a job stores its progress, in rows.
PROGRESS_EVERY = 100


@dataclass
class ImportResult:
    rows: int = 0
    accepted: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "refused": self.refused,
            "created": self.created,
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
        }


def read_upload(content: bytes) -> tuple[list[csvio.ReadRow], list[str]]:
    """The rows of an uploaded file; an unreadable or oversized file is an InvalidInput
    on the `file` field."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            gettext("The file is too large."),
            errors={
                "file": [
                    gettext("The file is over %(mb)s MB: split it.")
                    % {"mb": MAX_BYTES // (1024 * 1024)}
                ]
            },
        )
    try:
        return csvio.read_claims(content, max_rows=MAX_ROWS)
    except csvio.UnreadableFile as exc:
        raise InvalidInput(str(exc), errors={"file": [str(exc)]}) from exc


def _errors(detail: Any) -> dict[str, list[str]]:
    """A serializer's or a service's errors as {field: [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for name, messages in detail.items():
            if isinstance(messages, dict):  # a nested field: "place": {"name": [...]}
                out[name] = [str(m) for ms in messages.values() for m in _as_list(ms)]
            else:
                out[name] = [str(m) for m in _as_list(messages)]
        return out
    return {"non_field_errors": [str(m) for m in _as_list(detail)]}


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def import_claims(
    *,
    actor: Actor,
    rows: list[csvio.ReadRow],
    dry_run: bool,
    ignored_columns: list[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """Check every row, then write the good ones as new claims (nothing with `dry_run`).
    `progress(state, rows_done)` is called every PROGRESS_EVERY rows."""
    from claims.api.serializers import ClaimWriteSerializer, claim_kwargs

    # One refusal for the whole file, before a row is read, when the actor may log none.
    policy.check(actor, policy.Action.CREATE)
    result = ImportResult(rows=len(rows), ignored_columns=ignored_columns or [], dry_run=dry_run)
    checked: list[tuple[int, dict[str, Any]]] = []
    for done, row in enumerate(rows, 1):
        form = ClaimWriteSerializer(data=row.data)
        if form.is_valid():
            checked.append((row.number, claim_kwargs(form.validated_data)))
        else:
            result.refused.append({"row": row.number, "errors": _errors(form.errors)})
        if progress and done % PROGRESS_EVERY == 0:
            progress(ImportJob.State.CHECKING, done)
    if progress:
        progress(ImportJob.State.WRITING, len(rows))
    with transaction.atomic():
        for number, kwargs in checked:
            fields = kwargs["fields"]
            try:
                with transaction.atomic():
                    claim = services.claim_create(
                        actor=actor,
                        text=fields.pop("text"),
                        story=kwargs.get("story"),
                        sources=kwargs.get("sources"),
                        read_text=True,
                        **fields,
                    )
            except DomainError as exc:
                result.refused.append(
                    {"row": number, "errors": exc.errors or {"non_field_errors": [exc.message]}}
                )
                continue
            result.created.append(claim.pk)
        if dry_run:
            # Everything a real run would do was done, to answer truly; none of it stays.
            transaction.set_rollback(True)
            result.created = []
    result.accepted = result.rows - len(result.refused)
    result.refused.sort(key=lambda r: r["row"])
    return result


def import_job_create(*, actor: Actor, content: bytes, filename: str, dry_run: bool) -> ImportJob:
    """Store an upload as a job and queue it; the file is read now, so an unreadable one
    is refused at once."""
    policy.check(actor, policy.Action.CREATE)
    rows, _ = read_upload(content)
    job = ImportJob.objects.create(
        created_by=user_of(actor),
        filename=filename[:200],
        content=content.decode("utf-8-sig"),
        dry_run=dry_run,
        rows=len(rows),
    )
    from claims import tasks

    tasks.queue_import(job.pk)
    return job


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a queued job (the worker's half). A job already started or finished is left
    as it is, so a task delivered twice does the work once."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.CHECKING
    )
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job

    def progress(state: str, done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(state=state, processed=done)

    try:
        rows, ignored = read_upload(job.content.encode("utf-8"))
        result = import_claims(
            actor=job.created_by,
            rows=rows,
            dry_run=job.dry_run,
            ignored_columns=ignored,
            progress=progress,
        )
    except DomainError as exc:  # the file itself, or the actor's role since upload
        job.state = ImportJob.State.FAILED
        job.error = exc.message
    except Exception:
        # Recorded before the worker logs it, so the page stops waiting and says so.
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED,
            error="The import stopped on an unexpected error; nothing was written.",
            finished_at=timezone.now(),
        )
        raise
    else:
        job.state = ImportJob.State.DONE
        job.rows = result.rows
        job.accepted = result.accepted
        job.refused = result.refused
        job.created = result.created
        job.ignored_columns = result.ignored_columns
    job.processed = job.rows
    job.finished_at = timezone.now()
    job.save()
    return job
