"""How drf-spectacular describes the hotline's signed requests in /api/schema/."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HotlineSignatureScheme(OpenApiAuthenticationExtension):
    target_class = "hotline.auth.HotlineSignatureAuthentication"
    name = "hotlineSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Hotline-Key",
            "description": "密钥编号；另需 X-Hotline-Timestamp、X-Hotline-Nonce 与 X-Hotline-Signature "
            "(HMAC-SHA256，见 docs/hotline-api.md)。",
        }
