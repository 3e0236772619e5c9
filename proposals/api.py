"""REST API of the proposals app, mounted under /api/v1/."""

urlpatterns = []
