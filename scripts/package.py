#!/usr/bin/env python3
"""Build the Lambda deployment package: artifacts/function-<arch>.zip.

    python3 scripts/package.py [--arch x86_64|arm64] [--output PATH] [--work-dir DIR]

The zip is byte-for-byte reproducible: the same sources, SDK and libvips build give the same
SHA-256 wherever the repository is checked out, so `terraform plan` shows no change to the
function until the code really changes (Terraform compares `filebase64sha256` of the zip).

How:
  * `dotnet publish` (Release, framework-dependent) into a private work folder that is wiped
    first, with ContinuousIntegrationBuild and a PathMap for the repository and the work
    folder, so no machine path ends up in the assemblies or PDBs;
  * the libvips `.so` of the chosen architecture (from node_modules, or fetched with `npm pack`
    at the version and integrity pinned in package-lock.json when npm skipped it as foreign);
  * entries sorted, fixed timestamps (1980-01-01), fixed permissions, XML docs left out.
Python standard library only.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = REPO / "src" / "ImagePattern.Function"

# Lambda architecture -> (npm/libvips architecture, ELF e_machine of a matching .so)
ARCHITECTURES = {
    "x86_64": ("x64", 62),   # EM_X86_64
    "arm64": ("arm64", 183),  # EM_AARCH64
}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # earliest timestamp a zip entry can hold
FILE_MODE = 0o644
LIBVIPS_GLOB = "libvips-cpp.so.*"


class PackagingError(Exception):
    """A problem the user can act on; printed as one line."""


def elf_machine(path: Path) -> int:
    """e_machine of an ELF file (offset 18, endianness from EI_DATA)."""
    with path.open("rb") as f:
        header = f.read(20)
    if len(header) < 20 or header[:4] != b"\x7fELF":
        raise PackagingError(f"{path} is not an ELF file")
    byteorder = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], byteorder)


def locked_package(name: str) -> dict:
    """The package-lock.json entry of an npm package: version and integrity to fetch and verify."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock.get("packages", {}).get(f"node_modules/{name}")
    if not entry or "version" not in entry or "integrity" not in entry:
        raise PackagingError(f"{name} is not pinned in package-lock.json; add it to package.json (optionalDependencies)")
    return entry


def sri_matches(data: bytes, integrity: str) -> bool:
    """Checks a Subresource Integrity string (what npm records) against bytes."""
    for token in integrity.split():
        algorithm, _, expected = token.partition("-")
        if algorithm in ("sha512", "sha384", "sha256"):
            actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
            if actual == expected:
                return True
    return False


def libvips_dir(arch: str, cache_root: Path) -> Path:
    """Folder holding the libvips .so for the Lambda architecture `arch`."""
    npm_arch, machine = ARCHITECTURES[arch]
    name = f"@img/sharp-libvips-linux-{npm_arch}"
    installed = REPO / "node_modules" / name / "lib"
    if any(installed.glob(LIBVIPS_GLOB)):
        return installed

    # npm installs only the build for the machine it runs on; fetch the other one as a tarball
    # and accept it only if it matches the lock file, so both architectures come from one pin.
    entry = locked_package(name)
    target = cache_root / f"sharp-libvips-linux-{npm_arch}-{entry['version']}"
    stamp = target / ".integrity"
    if stamp.is_file() and stamp.read_text(encoding="ascii") == entry["integrity"]:
        return target / "lib"

    if shutil.which("npm") is None:
        raise PackagingError(f"{name} is not in node_modules and npm is missing to fetch it; install Node.js >= 20")
    print(f"package: fetching {name}@{entry['version']} (not installed for this machine's CPU)", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", "--json", "--silent", "--pack-destination", tmp, f"{name}@{entry['version']}"],
            cwd=tmp, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PackagingError(f"npm pack {name}@{entry['version']} failed: {result.stderr.strip()[-500:]}")
        tarball = Path(tmp) / json.loads(result.stdout)[0]["filename"]
        data = tarball.read_bytes()
        if not sri_matches(data, entry["integrity"]):
            raise PackagingError(f"{tarball.name} does not match the integrity pinned in package-lock.json")
        shutil.rmtree(target, ignore_errors=True)
        (target / "lib").mkdir(parents=True)
        with tarfile.open(tarball, "r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith("package/lib/libvips-cpp.so."):
                    source = tar.extractfile(member)
                    assert source is not None
                    (target / "lib" / Path(member.name).name).write_bytes(source.read())
    libs = list((target / "lib").glob(LIBVIPS_GLOB))
    if len(libs) != 1 or elf_machine(libs[0]) != machine:
        raise PackagingError(f"{name} did not contain one {arch} libvips-cpp.so")
    stamp.write_text(entry["integrity"], encoding="ascii")
    return target / "lib"


def publish(arch: str, work: Path, configuration: str) -> Path:
    """dotnet publish into work/publish with every machine path mapped away; returns the folder."""
    for path in (REPO, work):
        if any(c in str(path) for c in ",;="):
            raise PackagingError(f"the path {path} contains ',', ';' or '=', which MSBuild's PathMap cannot carry")
    if shutil.which("dotnet") is None:
        raise PackagingError("dotnet is missing; install the .NET 10 SDK")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    vips = libvips_dir(arch, REPO / "artifacts" / ".cache")
    output = work / "publish"
    # The work folder first: it may sit inside the repository, and the first matching prefix wins.
    # %2C is an escaped comma, since a bare one would split the -p: argument.
    path_map = f"{work}{os.sep}=/_package/%2C{REPO}{os.sep}=/_/"
    command = [
        "dotnet", "publish", str(PROJECT),
        "--configuration", configuration,
        "--artifacts-path", str(work / "build"),
        "--output", str(output),
        "--nologo", "--disable-build-servers",
        f"-p:LibVipsArch={ARCHITECTURES[arch][0]}",
        f"-p:LibVipsDir={vips}{os.sep}",
        "-p:ContinuousIntegrationBuild=true",
        f"-p:PathMap={path_map}",
        # No git commit in the assembly version or the PDB: a commit that leaves the function's
        # sources alone must leave the package alone, or every deploy would update the function.
        "-p:EnableSourceControlManagerQueries=false",
    ]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PackagingError("dotnet publish failed:\n" + (result.stdout + result.stderr)[-4000:])
    return output


def package_entries(publish_dir: Path, arch: str) -> list[Path]:
    """Files that go into the zip, checked: one libvips .so of the right architecture."""
    files = sorted(p for p in publish_dir.rglob("*") if p.is_file())
    assemblies = {p.with_suffix("") for p in files if p.suffix == ".dll"}
    # XML documentation is for IDEs, not for the runtime.
    files = [p for p in files if not (p.suffix == ".xml" and p.with_suffix("") in assemblies)]
    libs = [p for p in files if p.match(LIBVIPS_GLOB)]
    if len(libs) != 1:
        raise PackagingError(f"expected one {LIBVIPS_GLOB} in {publish_dir}, found {len(libs)}")
    machine = elf_machine(libs[0])
    if machine != ARCHITECTURES[arch][1]:
        raise PackagingError(f"{libs[0].name} is ELF machine {machine}, not {arch} ({ARCHITECTURES[arch][1]})")
    return files


def write_zip(root: Path, files: list[Path], destination: Path) -> None:
    """A zip whose bytes depend only on the file names and contents."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=ZIP_EPOCH)
            info.create_system = 3  # Unix, so external_attr carries the mode
            info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
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
