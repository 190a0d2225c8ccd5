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


def test_language_switch_never_redirects_off_site(client):
    assert client.get("/bahasa/en?next=https://evil.example").headers["Location"] == "/"
    assert client.get("/bahasa/en?next=/e/x").headers["Location"] == "/e/x"


def test_the_home_page_shows_committee_members_the_desks_they_may_open(client, auth, make):
    from app.checkin.access import assign_operator
    from app.extensions import db

    event = make.event()
    make.event(slug="lain")
    operator = make.user("operator@example.go.id", role="operator")
    assign_operator(operator, event)
    db.session.commit()
    assert "/checkin" not in client.get("/").get_data(as_text=True)
    auth.login("operator@example.go.id")
    page = client.get("/").get_data(as_text=True)
    assert "/e/bimtek-uji/checkin" in page and "/e/lain/checkin" not in page
    assert "/admin/" not in page
