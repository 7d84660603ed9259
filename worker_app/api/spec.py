"""One declaration per API operation: its scope, its models, and its place in the OpenAPI document.

`Api.operation` wraps a view: it checks the bearer token and its scope, validates the query and
the body with the declared pydantic models, and serialises the declared answer model. `document()`
builds the OpenAPI 3.1 document from the same declarations and models, so the schemas it gives
and the checks the code makes can't drift apart. (That every answer keeps to the document is
what the tests check, schemathesis among them.)
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
import re
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, Response, g, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from ..extensions import db
from ..models import ApiToken
from ..services import api_tokens
from .schemas import MAX_ID, Problem

PROBLEM_JSON = "application/problem+json"
_STATUS_TEXT = {
    401: "No valid bearer token.",
    403: "The token lacks the scope, or its owner may not see or change this.",
    404: "Not found.",
    409: "Conflicts with what is already there.",
    422: "The request is not valid; `errors` names each field where it can.",
    429: "Too many requests with this token; wait a minute.",
}


class ApiProblem(Exception):
    """An answer in RFC 9457 problem details."""

    def __init__(self, status: int, detail: str | None = None, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def problem_response(status: int, title: str, detail: str | None = None, errors=None) -> Response:
    body = Problem(title=title, status=status, detail=detail, errors=errors)
    response = Response(body.model_dump_json(exclude_none=True), status, mimetype=PROBLEM_JSON)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="worker_app"'
    return response


def validation_errors(error: ValidationError, where: str) -> list[dict]:
    """pydantic's errors as RFC 9457 entries: a JSON pointer for the body, a name for parameters."""
    found = []
    for item in error.errors(include_url=False, include_input=False):
        location = [str(part) for part in item["loc"]]
        if where == "body":
            found.append({"pointer": "/" + "/".join(location), "detail": item["msg"]})
        else:
            found.append({"parameter": location[0] if location else "", "detail": item["msg"]})
    return found


def caller():
    """The owner of the token of this request: the API acts with their rights and no more."""
    return g.api_token.owner


# Cursors ---------------------------------------------------------------------------------------


def encode_cursor(key: tuple | None) -> str | None:
    if key is None:
        return None
    raw = json.dumps([k.isoformat() if hasattr(k, "isoformat") else k for k in key])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str | None, parse) -> tuple | None:
    """The key a cursor stands for, through parse(list) -> tuple; a 422 if it isn't one of ours."""
    if not text:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        return parse(values)
    except (ValueError, TypeError, IndexError, KeyError, OverflowError, binascii.Error):
        raise ApiProblem(422, "The cursor is not valid.",
                         [{"parameter": "cursor", "detail": "Use next_cursor from the last page."}]) from None


# Operations ------------------------------------------------------------------------------------


@dataclass
class Operation:
    method: str
    rule: str
    name: str
    summary: str
    tag: str
    scope: str | None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    conflicts: bool = False
    path_params: list[str] = field(default_factory=list)
    description: str = ""  # the view's docstring


class Api:
    def __init__(self, blueprint: Blueprint, title: str, version: str, description: str):
        self.blueprint, self.title, self.version, self.description = blueprint, title, version, description
        self.operations: list[Operation] = []

    def operation(self, method: str, rule: str, *, summary: str, tag: str, scope: str,
                  query=None, body=None, response=None, status: int = 200, conflicts: bool = False):
        def decorator(view):
            op = Operation(method, rule, view.__name__, summary, tag, scope, query, body, response, status,
                           conflicts, re.findall(r"<(?:\w+:)?(\w+)>", rule), inspect.cleandoc(view.__doc__ or ""))
            self.operations.append(op)

            @wraps(view)
            def wrapped(**path):
                _authenticate(scope)
                if query is not None:
                    try:
                        path["query"] = query.model_validate(request.args.to_dict())
                    except ValidationError as error:
                        raise ApiProblem(422, "A parameter is not valid.",
                                         validation_errors(error, "query")) from None
                if body is not None:
                    path["body"] = _body(body)
                result = view(**path)
                if response is None:
                    return Response(status=status)
                if not isinstance(result, response):  # a programming error, caught by any test of the view
                    raise TypeError(f"{view.__name__} must answer {response.__name__}")
                return Response(result.model_dump_json(), status, mimetype="application/json")

            self.blueprint.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
            return wrapped

        return decorator

    def document(self) -> dict:
        """The OpenAPI 3.1 document."""
        models = {Problem: "serialization"}
        for op in self.operations:
            if op.body:
                models[op.body] = "validation"
            if op.response:
                models[op.response] = "serialization"
        refs, defs = models_json_schema([(m, mode) for m, mode in models.items()],
                                        ref_template="#/components/schemas/{model}")
        ref = {model: refs[(model, mode)] for model, mode in models.items()}
        paths: dict = {}
        prefix = self.blueprint.url_prefix or ""
        for op in self.operations:
            path = prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule)
            paths.setdefault(path, {})[op.method.lower()] = self._operation_doc(op, ref)
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "servers": [{"url": "/"}],
            "paths": paths,
            "components": {
                "schemas": defs.get("$defs", {}),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                               "description": "A token made on the page API-nøkler."}},
            },
        }

    def _operation_doc(self, op: Operation, ref: dict) -> dict:
        parameters = [{"name": name, "in": "path", "required": True,
                       "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
                      for name in op.path_params]
        if op.query is not None:
            schema = op.query.model_json_schema(by_alias=True)
            assert "$defs" not in schema, "query parameters must be plain values"
            for name, prop in schema["properties"].items():
                prop = dict(prop)
                prop.pop("title", None)
                param = {"name": name, "in": "query", "required": name in schema.get("required", []),
                         "schema": prop}
                if "description" in prop:
                    param["description"] = prop.pop("description")
                parameters.append(param)
        responses: dict = {}
        if op.response is None:
            responses[str(op.status)] = {"description": "Done."}
        else:
            responses[str(op.status)] = {"description": "OK.",
                                         "content": {"application/json": {"schema": ref[op.response]}}}
        codes = [401, 403]
        if op.path_params:
            codes.append(404)
        if op.conflicts:
            codes.append(409)
        if op.query is not None or op.body is not None or op.path_params:
            codes.append(422)
        codes.append(429)
        for code in codes:
            responses[str(code)] = {"description": _STATUS_TEXT[code],
                                    "content": {PROBLEM_JSON: {"schema": ref[Problem]}}}
        if "401" in responses:
            responses["401"]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        doc = {"operationId": op.name, "summary": op.summary, "tags": [op.tag],
               "security": [{"bearer": [op.scope]}], "responses": responses}
        if op.description:
            doc["description"] = op.description
        if parameters:
            doc["parameters"] = parameters
        if op.body is not None:
            doc["requestBody"] = {"required": True,
                                  "content": {"application/json": {"schema": ref[op.body]}}}
        return doc


def _authenticate(scope: str) -> ApiToken:
    header = request.headers.get("Authorization", "")
    kind, _, secret = header.partition(" ")
    token = api_tokens.authenticate(db.session, secret.strip()) if kind.lower() == "bearer" else None
    if token is None:
        raise ApiProblem(401, "Send a valid token: Authorization: Bearer <token>.")
    if scope not in token.scope_set:
        raise ApiProblem(403, f"The token lacks the scope {scope}.")
    g.api_token = token
    return token


def _body(model: type[BaseModel]) -> BaseModel:
    if not request.is_json:
        raise ApiProblem(422, "Send a JSON body with Content-Type: application/json.")
    try:
        # Strict: a JSON string is not a number here, so a client's type mistake is caught.
        return model.model_validate_json(request.get_data(), strict=True)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise ApiProblem(422, "The body is not valid JSON.") from None
        raise ApiProblem(422, "The body is not valid.", validation_errors(error, "body")) from None
