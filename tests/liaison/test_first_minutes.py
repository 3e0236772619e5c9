"""A new user's first minutes: where `/` and the login page lead."""

from django.urls import reverse


def test_anonymous_home_is_the_public_portal_with_a_sign_in_link(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(reverse("public:index"), 302)]
    body = response.content.decode()
    assert f'href="{reverse("login")}"' in body
    assert reverse("stations:directory") in body
    assert reverse("votes:result_list") in body


def test_signed_in_staff_still_get_their_workbench_at_home(client, staff_zz):
    client.force_login(staff_zz)
    response = client.get("/")
    assert response.status_code == 200
    assert "liaison/home.html" in [t.name for t in response.templates]


def test_login_page_links_to_the_public_portal(client, db):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("public:index")}"' in body
