"""Every write of the claim desk.

One keyword-only function per change, named `<thing>_<verb>`. Each runs in a
transaction, checks that the actor may do it (raising `ActionForbidden`,
`StateConflict` or `InvalidInput`, which views and the API turn into 403, 409
and 400), saves with `update_fields` and writes the history row.

Callers import this package (`from claims import services`); the names below are its
API. One module per area:

- `claims`: logging and editing claims, the workflow, assigning, priorities;
- `reading`: how the parser's reading of a sentence becomes claim fields;
- `stories`: stories, and the candidate claims the parser finds in them;
- `registers`: sources and places, and how a write names them;
- `flags`: the answers to what the jobs found, and the one writer of a flag's status;
- `evidence`: evidence and comments;
- `snapshots`: the pages behind evidence links, kept as they were seen;
- `incidents`: incidents, the claims linked to them, and the job's suggestions;
- `merges`: duplicate claims folded into one, and a story's words linked to a claim
  the desk already has;
- `publishing`: a decided claim's public review, and the corrections a changed
  decision asks of the published stories that carry it;
- `tokens`: API tokens, made for a user and shown once;
- `topics`: tagging claims and stories with the admins' topics, and following one;
- `notifications`: who hears of what, in the desk's bell and by email;
- `webhooks`: signed deliveries of the desk's events to other tools;
- `common`: what the writes of every area share.
"""

from claims.services.claims import (
    allowed_transitions,
    claim_assign,
    claim_create,
    claim_set_priority,
    claim_transition,
    claim_update,
    may_edit,
)
from claims.services.evidence import comment_add, evidence_add, evidence_remove
from claims.services.flags import (
    FIGURE_KINDS,
    flag_acknowledge,
    flag_dismiss,
    flag_event,
    flag_resolve,
    flag_set_status,
    flags_set_status,
)
from claims.services.incidents import (
    claim_set_incident,
    incident_create,
    incident_label,
    incident_link,
    incident_link_by_job,
    incident_merge,
    incident_split,
    incident_suggestion_confirm,
    incident_suggestion_reject,
    incident_unlink,
    incident_unlink_by_job,
    incident_update,
    may_change_incidents,
)
from claims.services.merges import candidate_link, claim_link_story, claim_merge
from claims.services.notifications import (
    notification_mark_read,
    notification_settings_update,
)
from claims.services.publishing import (
    corrections_resolve,
    review_publish,
    review_unpublish,
)
from claims.services.registers import (
    PlaceName,
    SourceName,
    SourceRef,
    claims_remap_sources,
    place_resolve,
    source_create,
    source_merge,
    source_names_added,
    source_resolve,
    source_update,
)
from claims.services.snapshots import evidence_capture, queue_captures
from claims.services.stories import (
    BULK_MAX,
    CandidateAnswer,
    candidate_accept,
    candidate_accept_many,
    candidate_keep,
    candidate_reject,
    candidate_reject_many,
    candidate_reread,
    reread_refusal,
    story_create,
    story_update,
)
from claims.services.tokens import token_issue
from claims.services.topics import (
    claim_set_topics,
    may_tag_stories,
    story_add_topic,
    story_set_topics,
    topic_follow,
    topic_unfollow,
)
from claims.services.webhooks import deliveries_redeliver, webhook_create

__all__ = [
    "evidence_capture",
    "queue_captures",
    # claims and the workflow
    "allowed_transitions",
    "claim_assign",
    "claim_create",
    "claim_set_priority",
    "claim_transition",
    "claim_update",
    "may_edit",
    # stories and their candidates
    "BULK_MAX",
    "CandidateAnswer",
    "candidate_accept",
    "candidate_accept_many",
    "candidate_keep",
    "candidate_reject",
    "candidate_reject_many",
    "candidate_reread",
    "reread_refusal",
    "story_create",
    "story_update",
    # registers: sources and places
    "PlaceName",
    "SourceName",
    "SourceRef",
    "claims_remap_sources",
    "place_resolve",
    "source_create",
    "source_merge",
    "source_names_added",
    "source_resolve",
    "source_update",
    # flags
    "FIGURE_KINDS",
    "flag_acknowledge",
    "flag_dismiss",
    "flag_event",
    "flag_resolve",
    "flag_set_status",
    "flags_set_status",
    # incidents
    "claim_set_incident",
    "incident_create",
    "incident_label",
    "incident_link",
    "incident_link_by_job",
    "incident_merge",
    "incident_split",
    "incident_suggestion_confirm",
    "incident_suggestion_reject",
    "incident_unlink",
    "incident_unlink_by_job",
    "incident_update",
    "may_change_incidents",
    # merging duplicates, and "same claim"
    "candidate_link",
    "claim_link_story",
    "claim_merge",
    # publishing and corrections
    "corrections_resolve",
    "review_publish",
    "review_unpublish",
    # evidence and comments
    "comment_add",
    "evidence_add",
    "evidence_remove",
    # API tokens
    "token_issue",
    # topics
    "claim_set_topics",
    "may_tag_stories",
    "story_add_topic",
    "story_set_topics",
    "topic_follow",
    "topic_unfollow",
    # notifications and webhooks
    "notification_mark_read",
    "notification_settings_update",
    "deliveries_redeliver",
    "webhook_create",
]
