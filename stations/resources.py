"""Import-export resources: stations come in from spreadsheets; opinions go out with the mobile masked."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from liaison.models import Region
from stations.models import Opinion, Station


class StationResource(resources.ModelResource):
    region = fields.Field(attribute="region", column_name="region_code", widget=ForeignKeyWidget(Region, "code"))

    class Meta:
        model = Station
        import_id_fields = ["region", "name"]
        fields = [
            "region",
            "name",
            "kind",
            "sector",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "contact_name",
            "contact_phone",
        ]
        skip_unchanged = True


class OpinionResource(resources.ModelResource):
    """Export only. The mobile column holds the masked number; personal data never leaves whole."""

    mobile = fields.Field(attribute="masked_mobile", column_name=_("手机号"), readonly=True)
    station = fields.Field(attribute="station__name", column_name=_("联络站"), readonly=True)
    deputy = fields.Field(attribute="deputy__name", column_name=_("代表"), readonly=True)
    category = fields.Field(attribute="category__code", column_name=_("类别"), readonly=True)

    class Meta:
        model = Opinion
        fields = [
            "tracking_code",
            "created_at",
            "source",
            "station",
            "deputy",
            "category",
            "content",
            "citizen_name",
            "mobile",
            "status",
            "outcome_note",
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("station", "deputy", "category")
