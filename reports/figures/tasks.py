"""Refresh the cached dashboard figures so the first visitor of the day does not wait for them."""

from celery import shared_task

from liaison.models import Region


# The name is the one from before the move to reports/: beat rows (seed_schedules) and queued messages hold it.
@shared_task(name="liaison.figures.refresh_dashboards", soft_time_limit=600, time_limit=660, periodic=True)
def refresh_dashboards(region_ids=None):
    """Recompute this year's and this quarter's figures for the given regions (default: every region that has
    liaison staff), each without a congress filter and in every language (the cached figures carry translated
    labels). Safe to run twice: it only overwrites the cache."""
    from django.conf import settings
    from django.utils import translation

    from liaison.models import User
    from reports.figures.selectors import current_periods, refresh_figures

    regions = Region.objects.all()
    if region_ids:
        regions = regions.filter(pk__in=region_ids)
    else:
        regions = regions.filter(
            pk__in=User.objects.filter(role=User.Role.STAFF, region__isnull=False).values("region_id")
        )
    done = 0
    for region in regions:
        for period in current_periods():
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    refresh_figures(region=region, period=period)
            done += 1
    return done
