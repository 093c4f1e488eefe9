"""The baseline for bench/registry_submissions.py: a bare FastAPI endpoint, no database."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.post("/ping")
def ping() -> dict[str, str]:
    return {"status": "ok"}
