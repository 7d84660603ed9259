"""API test helpers: tokens for the people of the `people` world, a client that sends them, and a
check that every answer is what the OpenAPI document says."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from worker_app.extensions import db
from worker_app.models import Scope, User
from worker_app.services import api_tokens

ALL_SCOPES = [s.value for s in Scope]


@pytest.fixture
def make_token(app):
    def make(user: User, scopes=ALL_SCOPES) -> str:
        with app.app_context():
            _token, secret = api_tokens.create(db.session, db.session.get(User, user.id), "Test", list(scopes))
        return secret
    return make


@pytest.fixture
def document(app):
    return app.test_client().get("/api/v1/openapi.json").json


class ApiClient:
    """Sends the token and checks each answer against the document: its status is documented for
    the operation, and its body matches the schema given for that status."""

    def __init__(self, client, document, token: str | None):
        self.client, self.document, self.token = client, document, token
        self.registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(document))

    def call(self, method: str, url: str, body=None, token: str | None = "default"):
        token = self.token if token == "default" else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.open(url, method=method, headers=headers,
                                    data=None if body is None else json.dumps(body),
                                    content_type="application/json" if body is not None else None)
        self.conforms(method, url, response)
        return response

    def get(self, url, **kw):
        return self.call("GET", url, **kw)

    def post(self, url, body=None, **kw):
        return self.call("POST", url, body if body is not None else None, **kw)

    def patch(self, url, body, **kw):
        return self.call("PATCH", url, body, **kw)

    def delete(self, url, **kw):
        return self.call("DELETE", url, **kw)

    def conforms(self, method: str, url: str, response) -> None:
        path = url.split("?")[0]
        operation = None
        for template, methods in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{\w+\}", r"[0-9]+", template) + "$"
            if re.match(pattern, path) and method.lower() in methods:
                operation = methods[method.lower()]
        assert operation, f"{method} {path} is not in the document"
        documented = operation["responses"].get(str(response.status_code))
        assert documented, f"{method} {path}: {response.status_code} is not documented"
        if not documented.get("content"):
            assert not response.data
            return
        (media_type, spec), = documented["content"].items()
        assert response.mimetype == media_type
        validator = Draft202012Validator({"$ref": "urn:api" + spec["schema"]["$ref"]}, registry=self.registry)
        errors = [e.message for e in validator.iter_errors(response.json)]
        assert not errors, f"{method} {path}: {errors}"


@pytest.fixture
def api(app, document, make_token, people):
    """A client with a token of the specialist Kari (all scopes), who follows Ola and Emma."""
    return ApiClient(app.test_client(), document, make_token(people.specialist))


@pytest.fixture
def api_as(app, document, make_token):
    def make(user: User, scopes=ALL_SCOPES) -> ApiClient:
        return ApiClient(app.test_client(), document, make_token(user, scopes))
    return make
