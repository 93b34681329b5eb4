#!/usr/bin/env python3
"""Build the Lambda deployment package: artifacts/function-<arch>.zip.

    python3 scripts/package.py [--arch x86_64|arm64] [--output PATH] [--work-dir DIR]

The package is a custom runtime for `provided.al2023`: the Native AOT executable `bootstrap`
(the function with its own Lambda Runtime API client) and the native libraries `dotnet publish`
places beside it (the engines' `.so` files). No .NET runtime is needed on the image.

The zip is byte-for-byte reproducible: the same sources, SDK and packages give the same
SHA-256 wherever the repository is checked out, so `terraform plan` shows no change to the
function until the code really changes (Terraform compares `filebase64sha256` of the zip).

How:
  * `dotnet publish -r linux-<arch> -p:PublishAot=true` into a private work folder that is wiped
    first, with ContinuousIntegrationBuild and a PathMap for the repository and the work folder,
    so no machine path ends up in the binary; arm64 is cross-compiled with lld and the aarch64
    binutils (`scripts/require.sh aot-arm64` installs them);
  * every file of the publish folder except debug symbols and XML docs, each ELF file checked to
    be of the chosen architecture;
  * entries sorted, fixed timestamps (1980-01-01), fixed permissions (0755 for bootstrap, 0644
    for the rest).
Python standard library only.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "src" / "ImagePattern.Function"

# Lambda architecture -> (ELF e_machine, .NET runtime identifier)
ARCHITECTURES = {
    "x86_64": (62, "linux-x64"),       # EM_X86_64
    "arm64": (183, "linux-arm64"),     # EM_AARCH64
}
# Cross-compiling needs the target's linker and objcopy; publishing for the machine's own CPU needs neither.
CROSS_COMPILE = {
    "arm64": ["-p:LinkerFlavor=lld", "-p:ObjCopyName=aarch64-linux-gnu-objcopy"],
    "x86_64": ["-p:LinkerFlavor=lld", "-p:ObjCopyName=x86_64-linux-gnu-objcopy"],
}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # earliest timestamp a zip entry can hold
FILE_MODE = 0o644
EXECUTABLE = "bootstrap"
EXECUTABLE_MODE = 0o755
# Left out of the zip: debug symbols (stripped from bootstrap into bootstrap.dbg) and XML docs.
EXCLUDED_SUFFIXES = (".dbg", ".pdb", ".xml")


class PackagingError(Exception):
    """A problem the user can act on; printed as one line."""


def elf_machine(path: Path) -> int | None:
    """e_machine of an ELF file (offset 18, endianness from EI_DATA), or None when it is not ELF."""
    with path.open("rb") as f:
        header = f.read(20)
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    byteorder = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], byteorder)


def host_architecture() -> str:
    """The Lambda name of this machine's CPU."""
    machine = os.uname().machine
    return {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def publish(arch: str, work: Path, configuration: str) -> Path:
    """dotnet publish (Native AOT) into work/publish with every machine path mapped away; returns the folder."""
    for path in (REPO, work):
        if any(c in str(path) for c in ",;="):
            raise PackagingError(f"the path {path} contains ',', ';' or '=', which MSBuild's PathMap cannot carry")
    if shutil.which("dotnet") is None:
        raise PackagingError("dotnet is missing; install the .NET 10 SDK")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    output = work / "publish"
    # The work folder first: it may sit inside the repository, and the first matching prefix wins.
    # %2C is an escaped comma, since a bare one would split the -p: argument.
    path_map = f"{work}{os.sep}=/_package/%2C{REPO}{os.sep}=/_/"
    command = [
        "dotnet", "publish", str(PROJECT),
        "--configuration", configuration,
        "--runtime", ARCHITECTURES[arch][1],
        "--artifacts-path", str(work / "build"),
        "--output", str(output),
        "--nologo", "--disable-build-servers",
        "-p:PublishAot=true",
        "-p:ContinuousIntegrationBuild=true",
        f"-p:PathMap={path_map}",
        # No git commit in the assembly version: a commit that leaves the function's sources alone
        # must leave the package alone, or every deploy would update the function.
        "-p:EnableSourceControlManagerQueries=false",
    ]
    if arch != host_architecture():
        command += CROSS_COMPILE[arch]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PackagingError("dotnet publish failed:\n" + (result.stdout + result.stderr)[-4000:])
    return output


def package_entries(publish_dir: Path, arch: str) -> list[Path]:
    """Files that go into the zip, checked: an executable bootstrap, every ELF file of the right architecture."""
    files = sorted(p for p in publish_dir.rglob("*") if p.is_file() and not p.name.endswith(EXCLUDED_SUFFIXES))
    if not (publish_dir / EXECUTABLE).is_file():
        raise PackagingError(f"dotnet publish left no {EXECUTABLE} in {publish_dir}")
    expected = ARCHITECTURES[arch][0]
    for path in files:
        machine = elf_machine(path)
        if machine is not None and machine != expected:
            raise PackagingError(f"{path.name} is ELF machine {machine}, not {arch} ({expected})")
    return files


def write_zip(root: Path, files: list[Path], destination: Path) -> None:
    """A zip whose bytes depend only on the file names and contents."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=ZIP_EPOCH)
            info.create_system = 3  # Unix, so external_attr carries the mode
            mode = EXECUTABLE_MODE if path.relative_to(root).as_posix() == EXECUTABLE else FILE_MODE
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(destination)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="x86_64", help="Lambda architecture (default x86_64)")
    parser.add_argument("--output", type=Path, help="zip to write (default artifacts/function-<arch>.zip)")
    parser.add_argument("--work-dir", type=Path, help="build folder, wiped first (default artifacts/.build/<arch>)")
    parser.add_argument("--configuration", default="Release", help="build configuration (default Release)")
    args = parser.parse_args(argv)

    output = (args.output or REPO / "artifacts" / f"function-{args.arch}.zip").resolve()
    work = (args.work_dir or REPO / "artifacts" / ".build" / args.arch).resolve()
    try:
        publish_dir = publish(args.arch, work, args.configuration)
        write_zip(publish_dir, package_entries(publish_dir, args.arch), output)
    except PackagingError as error:
        print(f"package: {error}", file=sys.stderr)
        return 1
    digest = hashlib.sha256(output.read_bytes()).digest()
    print(f"package: {output.relative_to(REPO) if output.is_relative_to(REPO) else output}")
    print(f"  sha256        {digest.hex()}")
    print(f"  base64sha256  {base64.b64encode(digest).decode('ascii')}  (terraform filebase64sha256)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
