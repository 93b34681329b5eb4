#!/usr/bin/env python3
"""Writes the input and output tables of the Terraform READMEs from variables.tf and outputs.tf.

Each README.md under terraform/ (the root's and every module's) holds its tables between markers:

    <!-- tf-docs:inputs -->   ... generated ...   <!-- /tf-docs:inputs -->
    <!-- tf-docs:outputs -->  ... generated ...   <!-- /tf-docs:outputs -->

and the folder of the README is the module whose variables.tf / outputs.tf fill them. The tables say each
thing once: a name, type, default or description is changed in the .tf file, then this script is run.

    python3 scripts/terraform-docs.py                 rewrite the tables in place
    python3 scripts/terraform-docs.py --check [DIR]   exit 1 naming every stale README (make validate runs this)

DIR defaults to the repository's terraform/ folder. Every module folder (DIR/modules/*) must have a README with
both pairs of markers; the check fails otherwise, so a new module cannot go undocumented.
terraform-docs would do this, but it is not installable everywhere this project builds; this reads only the
few attributes the tables show (type, default, description), with a scanner that knows HCL's strings,
comments and brackets, not a full HCL parser.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys

MARKERS = ("inputs", "outputs")
BLOCK = re.compile(r'^(variable|output)\s+"([^"]+)"\s*\{', re.MULTILINE)
CLOSERS = {"(": ")", "[": "]", "{": "}"}


def skip_string(text: str, i: int) -> int:
    """Index just after the double-quoted string starting at text[i]."""
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        i += 1
    raise ValueError("unterminated string")


def skip_comment(text: str, i: int) -> int | None:
    """Index after a comment starting at text[i], or None when there is none there."""
    if text.startswith("#", i) or text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        if end < 0:
            raise ValueError("unterminated comment")
        return end + 2
    return None


def skip_balanced(text: str, i: int) -> int:
    """Index just after the bracket group opening at text[i]."""
    stack = [CLOSERS[text[i]]]
    i += 1
    while stack:
        if i >= len(text):
            raise ValueError("unbalanced brackets")
        c = text[i]
        after = skip_comment(text, i)
        if after is not None:
            i = after
        elif c == '"':
            i = skip_string(text, i)
        elif c in CLOSERS:
            stack.append(CLOSERS[c])
            i += 1
        elif c == stack[-1]:
            stack.pop()
            i += 1
        else:
            i += 1
    return i


def attributes(body: str) -> dict[str, str]:
    """The top-level `name = expression` attributes of a block body (nested blocks skipped), as source text."""
    found: dict[str, str] = {}
    i = 0
    while i < len(body):
        after = skip_comment(body, i)
        if after is not None:
            i = after
            continue
        if body[i].isspace():
            i += 1
            continue
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*").match(body, i)
        if not m:
            raise ValueError(f"unexpected {body[i:i + 20]!r}")
        name = m.group(0)
        i = m.end()
        while i < len(body) and body[i] in " \t":
            i += 1
        if body.startswith("{", i):
            i = skip_balanced(body, i)
            continue
        if not body.startswith("=", i):
            raise ValueError(f"expected = or {{ after {name}")
        start = i = i + 1
        while i < len(body) and body[i] != "\n":
            after = skip_comment(body, i)
            if after is not None:
                break
            if body[i] == '"':
                i = skip_string(body, i)
            elif body[i] in CLOSERS:
                i = skip_balanced(body, i)
            else:
                i += 1
        found[name] = strip_comments(body[start:i]).strip()
    return found


def strip_comments(expression: str) -> str:
    out, i = [], 0
    while i < len(expression):
        after = skip_comment(expression, i)
        if after is not None:
            i = after
        elif expression[i] == '"':
            end = skip_string(expression, i)
            out.append(expression[i:end])
            i = end
        else:
            out.append(expression[i])
            i += 1
    return "".join(out)


def one_line(expression: str) -> str:
    """A multi-line expression on one line: object attributes, which HCL separates by newlines, get commas."""
    lines = [line.strip() for line in expression.splitlines() if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        joined_by_space = out.endswith(("{", "(", "[", ",")) or line.startswith(("}", ")", "]"))
        out += (" " if joined_by_space else ", ") + line
    return re.sub(r"\s+", " ", out)


def string_value(expression: str) -> str:
    if not (expression.startswith('"') and expression.endswith('"')):
        raise ValueError(f"description is not a plain string: {expression[:40]}")
    escapes = {"n": " ", "t": " ", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), expression[1:-1])


def blocks(path: pathlib.Path, kind: str) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    found = {}
    for m in BLOCK.finditer(text):
        if m.group(1) != kind:
            continue
        end = skip_balanced(text, m.end() - 1)
        try:
            found[m.group(2)] = attributes(text[m.end():end - 1])
        except ValueError as error:
            raise ValueError(f"{path}: {kind} \"{m.group(2)}\": {error}") from None
    return found


def cell(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def inputs_table(module: pathlib.Path) -> str:
    rows = ["| Name | Type | Default | Description |", "|---|---|---|---|"]
    for name, attrs in sorted(blocks(module / "variables.tf", "variable").items()):
        default = code(one_line(attrs["default"])) if "default" in attrs else "required"
        kind = code(one_line(attrs.get("type", "any")))
        description = cell(string_value(attrs.get("description", '""')))
        rows.append(f"| `{name}` | {kind} | {default} | {description} |")
    return "\n".join(rows)


def outputs_table(module: pathlib.Path) -> str:
    rows = ["| Name | Description |", "|---|---|"]
    for name, attrs in sorted(blocks(module / "outputs.tf", "output").items()):
        description = cell(string_value(attrs.get("description", '""')))
        rows.append(f"| `{name}` | {description} |")
    return "\n".join(rows)


def render(readme: pathlib.Path) -> str:
    text = readme.read_text(encoding="utf-8")
    tables = {"inputs": inputs_table, "outputs": outputs_table}
    for marker in MARKERS:
        pattern = re.compile(rf"(<!-- tf-docs:{marker} -->\n).*?(<!-- /tf-docs:{marker} -->)", re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"{readme}: no <!-- tf-docs:{marker} --> ... <!-- /tf-docs:{marker} --> markers")
        table = tables[marker](readme.parent)
        text = pattern.sub(lambda m: m.group(1) + table + "\n" + m.group(2), text, count=1)
    return text


def readmes(root: pathlib.Path) -> list[pathlib.Path]:
    found = [root / "README.md"]
    found += sorted(d / "README.md" for d in (root / "modules").iterdir() if d.is_dir())
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a table is stale")
    parser.add_argument("root", nargs="?", default=pathlib.Path(__file__).resolve().parent.parent / "terraform",
                        type=pathlib.Path, help="the terraform folder (default: the repository's)")
    args = parser.parse_args()

    stale, broken = [], []
    for readme in readmes(args.root):
        try:
            if not readme.exists():
                raise ValueError(f"{readme}: missing (every module documents its inputs and outputs)")
            wanted = render(readme)
        except ValueError as error:
            print(f"terraform-docs: {error}", file=sys.stderr)
            broken.append(readme)
            continue
        if wanted != readme.read_text(encoding="utf-8"):
            stale.append(readme)
            if not args.check:
                readme.write_text(wanted, encoding="utf-8")
                print(f"terraform-docs: wrote {readme}")
    if args.check:
        for readme in stale:
            print(f"terraform-docs: {readme} is stale (run python3 scripts/terraform-docs.py)", file=sys.stderr)
        print(f"terraform-docs: {len(stale) + len(broken)} of {len(readmes(args.root))} READMEs stale or unreadable")
        return 1 if stale or broken else 0
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
