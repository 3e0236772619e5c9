def test_schema_documents_duty_record_creation_and_ranking(client, staff_zz):
    client.force_login(staff_zz)
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    create = paths["/api/v1/duty-records/"]["post"]
    assert set(create["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"201", "400", "403", "404"} <= set(create["responses"])
    ranking = paths["/api/v1/congresses/{id}/ranking/"]["get"]
    assert [p["name"] for p in ranking["parameters"] if p["in"] == "query"] == ["page", "page_size", "year"]
    for path in ("/api/v1/deputies/", "/api/v1/memberships/", "/api/v1/congresses/", "/api/v1/duty-records/"):
        assert "get" in paths[path]
