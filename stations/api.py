"""REST API of the stations app, mounted under /api/v1/."""

urlpatterns = []
