"""Messages are rendered from ``templates/notifications/<key>.txt`` in the recipient's language.

The first line of the rendered template is the title, the rest the body. Chinese is the default; an English
recipient gets ``notifications/en/<key>.txt`` where it exists, else the Chinese template rendered with English
active (so its ``{% translate %}`` strings follow the .po file).
"""

from django.template.loader import select_template
from django.utils import translation

from liaison.channels import Message

DEFAULT_LANGUAGE = "zh-hans"


def render_message(template_key: str, context: dict, *, language: str = DEFAULT_LANGUAGE, link: str = "") -> Message:
    names = [f"notifications/{template_key}.txt"]
    if language and language != DEFAULT_LANGUAGE:
        names.insert(0, f"notifications/{language}/{template_key}.txt")
    with translation.override(language or DEFAULT_LANGUAGE):
        text = select_template(names).render(context).strip()
    title, _, body = text.partition("\n")
    return Message(title=title.strip()[:200], body=body.strip(), link=link)
