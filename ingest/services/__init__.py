"""Writes of the ingestion pipeline, one module per stage: `feeds` (polls), `articles`
(submission, fetch and the states an article passes through), `sources` (storing a text once),
`extraction` (candidates and quotes) and `review` (editors' decisions).

Each step re-reads its input by id, does nothing when its work is already done, and lets
database constraints settle races, so any step can run twice (a redelivered Celery task, two
workers, an editor double-clicking) with no second effect. Steps never queue tasks: they
return what is due, and the tasks (ingest.tasks) or the views queue it, after commit.
"""

from ingest.services.article_states import (
    MAX_ARTICLE_ATTEMPTS,
    article_backoff,
    article_failed,
    out_of_time,
)
from ingest.services.articles import (
    FetchDeferred,
    Submission,
    SubmissionRefused,
    article_fetch,
    article_submit,
    articles_requeue_stalled,
)
from ingest.services.extraction import extractor, source_extract, source_out_of_time
from ingest.services.feeds import feed_poll, feeds_due
from ingest.services.policy import fetch_policy
from ingest.services.review import (
    AlreadyDecided,
    Correction,
    candidate_accept,
    candidate_date,
    candidate_reject,
    recorded_pledges,
    summary_sentence,
)
from ingest.services.sources import source_from_file, source_store

__all__ = [
    "MAX_ARTICLE_ATTEMPTS",
    "AlreadyDecided",
    "Correction",
    "FetchDeferred",
    "Submission",
    "SubmissionRefused",
    "article_backoff",
    "article_failed",
    "article_fetch",
    "article_submit",
    "articles_requeue_stalled",
    "candidate_accept",
    "candidate_date",
    "candidate_reject",
    "extractor",
    "feed_poll",
    "feeds_due",
    "fetch_policy",
    "out_of_time",
    "recorded_pledges",
    "source_extract",
    "source_from_file",
    "source_out_of_time",
    "source_store",
    "summary_sentence",
]
