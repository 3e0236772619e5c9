"""The OpenAPI schema class of the API (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]). A module of its own: drf-spectacular's
AutoSchema imports DRF's generic views, which import the pagination class of liaison.api."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from liaison.api import ErrorSerializer


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the errors any operation can answer with, in the one error shape: 404 when
    the path names a record, 400 when there is a body or query to validate, 401/403 when a login is needed. An
    operation's own ``extend_schema(responses=...)`` for those codes wins."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = []
        if "{" in self.path:
            codes.append("404")
        queried = any(location == "query" for _name, location in self._process_override_parameters())
        if self.method in ("POST", "PUT", "PATCH") or queried or self._get_filter_parameters() or self._is_list_view():
            codes.append("400")
        if self.get_auth():
            codes += ["401", "403"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
