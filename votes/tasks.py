"""Celery tasks of the votes app."""

from celery import shared_task


@shared_task(acks_late=True)
def verify_closed_session(session_id):
    """Re-check a closed session's chain and tally (e.g. nightly); logs loudly when something was changed."""
    import logging

    from votes.models import VoteSession
    from votes.selectors import verify_session

    session = VoteSession.objects.filter(pk=session_id).first()
    if session is None:
        return None
    problems, _summary = verify_session(session=session)
    if problems:
        logging.getLogger("votes.integrity").error("vote session %s tampered: %s", session_id, problems)
    return not problems
