import pytest


def test_login_and_logout(client, auth, make):
    make.user("admin@example.go.id")
    page = client.get("/masuk/").get_data(as_text=True)
    assert "Masuk panitia" in page
    response = auth.login("ADMIN@example.go.id")
    assert response.status_code == 302
    assert "Keluar" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, auth, make):
    make.user("admin@example.go.id")
    response = auth.login("admin@example.go.id", "salah-sekali")
    assert response.status_code == 200
    assert "E-mail atau kata sandi salah." in response.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_login_never_redirects_off_site(client, make):
    make.user("admin@example.go.id")
    response = client.post("/masuk/?next=//evil.example/x",
                           data={"email": "admin@example.go.id", "password": make.PASSWORD})
    assert response.headers["Location"] == "/"


# Browsers drop tabs and line breaks from URLs and read "\\" as "/": each of these leads off site.
SNEAKY_NEXT = ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example",
               "/\t\\evil.example", "\t//evil.example"]


@pytest.mark.parametrize("target", SNEAKY_NEXT)
def test_redirects_after_login_and_language_switch_stay_on_site_for_sneaky_paths(client, make, target):
    make.user("admin@example.go.id")
    switched = client.get("/bahasa/en", query_string={"next": target})
    assert (switched.status_code, switched.headers["Location"]) == (302, "/")
    logged_in = client.post("/masuk/", query_string={"next": target},
                            data={"email": "admin@example.go.id", "password": make.PASSWORD})
    assert (logged_in.status_code, logged_in.headers["Location"]) == (302, "/")
    again = client.get("/masuk/", query_string={"next": target})  # already logged in
    assert (again.status_code, again.headers["Location"]) == (302, "/")


def test_language_switch_never_redirects_off_site(client):
    assert client.get("/bahasa/en?next=https://evil.example").headers["Location"] == "/"
    assert client.get("/bahasa/en?next=/e/x").headers["Location"] == "/e/x"
