"""REST API of the votes app, mounted under /api/v1/."""

urlpatterns = []
