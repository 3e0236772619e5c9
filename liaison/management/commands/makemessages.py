"""``makemessages`` that also reads the Jinja2 partials (``*.jinja``, liaison/jinja2.py).

Django's own command turns every file that is not ``.py`` into something xgettext reads with ``templatize``, a
reader of the Django template language: in a Jinja2 partial it would find ``{{ _("…") }}`` but not
``ngettext(…)`` or ``{% trans %}``. A ``.jinja`` file is read by Jinja2's own parser instead
(:func:`liaison.jinja2.gettext_source`); every other file goes through Django's command unchanged. Give the
extension: ``manage.py makemessages -l en -e html,txt,py,jinja`` (``make messages`` does).
"""

from django.core.management.commands import makemessages

from liaison.jinja2 import PARTIAL_SUFFIX, gettext_source


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if self.domain != "django" or not self.translatable.file.endswith(PARTIAL_SUFFIX):
            return super().preprocess()
        with open(self.path, encoding="utf-8") as source:
            content = gettext_source(source.read())
        with open(self.work_path, "w", encoding="utf-8") as work:
            work.write(content)


class Command(makemessages.Command):
    build_file_class = BuildFile
