"""schemathesis against the running app with the demo token: no 5xx, and every answer as the
document says (status, content type, headers, body), for valid and deliberately invalid input."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
])


@pytest.mark.fresh_database
def test_schemathesis_finds_no_5xx_and_no_answer_outside_the_document(app, runner, tmp_path):
    output = runner.invoke(args=["seed-demo"]).output
    token = next(line for line in output.splitlines() if line.startswith("api-token\t")).split("\t")[2]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "schemathesis"), "run",
             f"http://127.0.0.1:{server.server_port}/api/v1/openapi.json",
             "--header", f"Authorization: Bearer {token}", "--checks", CHECKS,
             "--max-examples", "30", "--seed", "1", "--no-color", "--generation-database", "none",
             "--suppress-health-check", "all", "--request-timeout", "20"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        server.shutdown()
        thread.join()
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary
    operations = sum(len(methods) for methods in app.test_client().get("/api/v1/openapi.json").json["paths"].values())
    assert f"Tested: {operations}" in summary and " passed" in summary
