"""The local DynamoDB answers a retried transaction as DynamoDB does: by its ClientRequestToken."""

from __future__ import annotations

import io
import json
from typing import Any

from devserver.moto_backend import IdempotentTransactions


class Table:
    """An inner app that commits each transaction it is given, once per call."""

    def __init__(self) -> None:
        self.commits = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = json.loads(environ["wsgi.input"].read())
        if body.get("fail"):
            start_response("400 Bad Request", [])
            return [b'{"__type":"TransactionCanceledException"}']
        self.commits += 1
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
        return [json.dumps({"commit": self.commits}).encode()]


def call(app: IdempotentTransactions, body: dict[str, Any]) -> tuple[str, bytes]:
    raw = json.dumps(body).encode()
    environ = {
        "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.TransactWriteItems",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    answered: list[str] = []
    chunks = app(environ, lambda status, headers, *_: answered.append(status))
    return answered[0], b"".join(chunks)


def test_a_transaction_retried_with_its_token_is_answered_again_without_committing_twice():
    table = Table()
    app = IdempotentTransactions(table)
    first = call(app, {"ClientRequestToken": "t1", "TransactItems": [1]})
    assert call(app, {"ClientRequestToken": "t1", "TransactItems": [1]}) == first
    assert table.commits == 1
    assert call(app, {"ClientRequestToken": "t1", "TransactItems": [2]})[0].startswith("400")
    assert call(app, {"ClientRequestToken": "t2", "TransactItems": [1]})[1] == b'{"commit": 2}'
    assert call(app, {"TransactItems": [1]}) != call(app, {"TransactItems": [1]}), "no token, no replay"


def test_a_refused_transaction_is_not_remembered():
    table = Table()
    app = IdempotentTransactions(table)
    assert call(app, {"ClientRequestToken": "t", "fail": True})[0].startswith("400")
    assert call(app, {"ClientRequestToken": "t"})[0].startswith("200")
    assert table.commits == 1
