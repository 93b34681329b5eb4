"""Copies bench/latest.md into README.md between <!-- bench:start --> and <!-- bench:end -->.

    python3 bench/splice-readme.py [README.md] [bench/latest.md]

Does nothing when README.md has no such markers. The table's own title is dropped and its
headings move one level down, so it sits under whatever heading the README gives it.
"""

import os
import re
import sys

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def nest(markdown):
    lines = markdown.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join("#" + line if re.match(r"#+ ", line) else line for line in lines).strip()


def splice(readme_text, table):
    start, end = readme_text.find(START), readme_text.find(END)
    if start < 0 or end < start:
        return None
    return readme_text[: start + len(START)] + "\n" + nest(table) + "\n" + readme_text[end:]


def main(argv):
    readme = argv[0] if argv else os.path.join(ROOT, "README.md")
    latest = argv[1] if len(argv) > 1 else os.path.join(ROOT, "bench", "latest.md")
    if not os.path.exists(readme):
        print(f"bench: no {os.path.relpath(readme, ROOT)}, nothing to splice", file=sys.stderr)
        return 0
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    with open(latest, encoding="utf-8") as f:
        spliced = splice(text, f.read())
    if spliced is None:
        print(f"bench: {os.path.relpath(readme, ROOT)} has no {START} … {END} markers; table not spliced", file=sys.stderr)
    elif spliced != text:
        with open(readme, "w", encoding="utf-8") as f:
            f.write(spliced)
        print(f"bench: table spliced into {os.path.relpath(readme, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
