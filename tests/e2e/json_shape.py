#!/usr/bin/env python3
"""Validates JSON on stdin against the shape documented in docs/json.md.

usage: json_shape.py DOC 'xtc show --json' < output

The shape is the first ```json schema block after the heading that names
the command; the schema subset is the one docs/json.md states.
"""
import json
import re
import sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
         "null": type(None), "integer": int, "number": (int, float)}


def schema_for(doc, command):
    text = open(doc, encoding="utf-8").read()
    heading = re.search(r"^## `" + re.escape(command) + r"`\s*$", text, re.M)
    if not heading:
        sys.exit(f"{doc}: no section for `{command}`")
    block = re.search(r"^```json schema\n(.*?)^```", text[heading.end():],
                      re.M | re.S)
    if not block:
        sys.exit(f"{doc}: no json schema block under `{command}`")
    return json.loads(block.group(1))


def check(value, schema, where):
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if types and not any(isinstance(value, TYPES[t]) and
                         not (t in ("integer", "number") and isinstance(value, bool))
                         for t in types):
        raise ValueError(f"{where}: expected {'/'.join(types)}, got {json.dumps(value)}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError(f"{where}: {json.dumps(value)} is not one of {schema['enum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{where}: missing key '{key}'")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                check(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                raise ValueError(f"{where}: undocumented key '{key}'")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], f"{where}[{i}]")


def main():
    doc, command = sys.argv[1], sys.argv[2]
    schema = schema_for(doc, command)
    try:
        value = json.load(sys.stdin)
        check(value, schema, "$")
    except (ValueError, json.JSONDecodeError) as error:
        sys.exit(f"`{command}` output does not match {doc}: {error}")


if __name__ == "__main__":
    main()
