"""Export the JSON Schema of every topic record into ``schemas/json`` (`make schemas`).

Consumers in other languages validate against these files; a test fails when they
are stale, so a record change always ships with its schema.
"""

from __future__ import annotations

import json
from pathlib import Path

from factstream.schemas.records import RECORD_TYPES

JSON_DIR = Path(__file__).resolve().parent / "json"


def render() -> dict[str, str]:
    """Return {file name: JSON Schema text} for every record type."""
    out = {}
    for name, model in RECORD_TYPES.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://factstream.dev/schemas/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def main() -> None:
    """Write the schema files, removing those of records that no longer exist."""
    JSON_DIR.mkdir(exist_ok=True)
    wanted = render()
    for stale in set(p.name for p in JSON_DIR.glob("*.schema.json")) - set(wanted):
        (JSON_DIR / stale).unlink()
    for name, text in wanted.items():
        (JSON_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote schemas/json/{name}")


if __name__ == "__main__":
    main()
