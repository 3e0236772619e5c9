"""Work every worker would do on its first requests, done once in gunicorn's master before it forks them.

With ``preload_app`` (gunicorn.conf.py) the master imports the application and the workers are forked from it,
sharing what it has built. What Django builds lazily — each template compiled on its first use, the translation
catalogues, the URL resolver's reverse table, the apps' workbench modules — would otherwise be built again by every
worker on its first requests (a fresh worker's first home page took ~0.8 s), and again each time gunicorn replaces a
worker. :func:`warm` builds them in the master. It opens no database or Redis connection: those must not be shared
across the fork.
"""

import logging
from pathlib import Path

logger = logging.getLogger("liaison.warmup")

TEMPLATE_SUFFIXES = (".html", ".txt")


def _template_names(engine):
    """Every template file the engine can find: its own directories, then the installed apps' ``templates/``."""
    from django.template.utils import get_app_template_dirs

    names = []
    for directory in [*engine.dirs, *get_app_template_dirs("templates")]:
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names.append(path.relative_to(root).as_posix())
    return names


def warm():
    """Compile the templates, load the catalogues and the URL table, find the workbench modules; returns the count
    of templates compiled. A template that does not compile is logged and left to fail where it is used."""
    # Not at the top: gunicorn.conf.py imports this module before Django is set up.
    from django.conf import settings
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    from liaison.workbench import _app_modules

    compiled = 0
    for engine in engines.all():
        django_engine = getattr(engine, "engine", None)
        if django_engine is None:
            continue
        for name in _template_names(django_engine):
            try:
                django_engine.get_template(name)
            except Exception:  # noqa: BLE001 - a fragment that needs its parent's context; not our concern here
                logger.debug("template %s not compiled ahead", name, exc_info=True)
            else:
                compiled += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("人大代表联络工作平台")
    get_resolver()._populate()
    _app_modules()
    connections.close_all()  # nothing above should have opened one; never hand a connection to the workers
    return compiled
