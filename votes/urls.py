app_name = "votes"

urlpatterns = []
