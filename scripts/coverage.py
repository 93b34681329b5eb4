#!/usr/bin/env python3
"""Line coverage per source project, from the Cobertura files that `dotnet test --collect:"XPlat Code Coverage"` writes.

Every test project's run instruments the source assemblies it loads, so one source project may appear in several
files: its lines are united across them (a line counts as covered if any run hit it). Prints one line, e.g.
`coverage (lines): ImagePattern.Function 91.2%, ImagePattern.Tool 78.0%`. A figure to read, not a gate.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


ASSEMBLY_PROJECTS = {"imagepattern": "ImagePattern.Tool", "bootstrap": "ImagePattern.Function"}


def main(results_dir: str) -> int:
    lines: dict[str, dict[tuple[str, int], bool]] = {}
    for report in Path(results_dir).rglob("coverage.cobertura.xml"):
        for package in ET.parse(report).getroot().iter("package"):
            # Assemblies are named after their projects, except the executables: the tool's (`imagepattern`) and the function's (`bootstrap`).
            name = ASSEMBLY_PROJECTS.get(package.get("name", ""), package.get("name", ""))
            if not name.startswith("ImagePattern.") or name.endswith(".Tests"):
                continue
            seen = lines.setdefault(name, {})
            for cls in package.iter("class"):
                filename = cls.get("filename", "")
                for line in cls.iter("line"):
                    key = (filename, int(line.get("number", "0")))
                    seen[key] = seen.get(key, False) or int(line.get("hits", "0")) > 0
    if not lines:
        print("coverage (lines): no coverage data found")
        return 0
    parts = []
    for name in sorted(lines):
        total = len(lines[name])
        covered = sum(lines[name].values())
        parts.append(f"{name} {100.0 * covered / total:.1f}%" if total else f"{name} n/a")
    print("coverage (lines): " + ", ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
