"""Proof that every dependency installs as a native wheel on every platform askbot supports.

    python bench/platforms.py                       # the five platforms, every Python askbot supports
    python bench/platforms.py --python 3.13
    python bench/platforms.py --installed-size      # also: install askbot in a fresh venv, sum its packages

For each platform, `pip download --only-binary=:all: --platform …` resolves askbot's runtime
dependencies (pyproject.toml, with everything they pull in) as that platform's pip would, wheels
only, so a package without a wheel for the platform fails.  Then every wheel is opened:
- a `none-any` wheel (pure Python by its name) that carries native code (.so, .dylib, .dll, .pyd)
  is rejected: pip installs it anywhere, and it fails where its libraries were not built for;
- every native file of a platform wheel must be built for that platform's machine (read from its
  ELF, Mach-O or PE header), so a wheel tagged for arm64 that ships x86-64 code is rejected too.
Prints one table (package × platform) and exits 1 if any cell failed.
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
import tempfile
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manylinux(arch: str) -> tuple[str, ...]:
    """The wheel platform tags a Linux with glibc 2.28 (Debian 10, Ubuntu 20.04, RHEL 8) installs."""
    return (f"manylinux2014_{arch}", *(f"manylinux_2_{minor}_{arch}" for minor in range(17, 29)))


# pip's --platform tags for each platform (pip widens a macOS one to the older versions it accepts),
# and the machine its native code must be built for.
PLATFORMS = {
    "Linux x86-64": (_manylinux("x86_64"), "x86-64"),
    "Linux aarch64": (_manylinux("aarch64"), "arm64"),
    "macOS arm64": (("macosx_14_0_arm64",), "arm64"),
    "macOS x86-64": (("macosx_14_0_x86_64",), "x86-64"),
    "Windows x86-64": (("win_amd64",), "x86-64"),
}
NATIVE_SUFFIXES = (".so", ".dylib", ".dll", ".pyd")
_ELF_MACHINES = {0x3E: "x86-64", 0xB7: "arm64", 0x03: "x86", 0x28: "arm"}
_MACHO_CPUS = {0x01000007: "x86-64", 0x0100000C: "arm64", 7: "x86", 12: "arm"}
_PE_MACHINES = {0x8664: "x86-64", 0xAA64: "arm64", 0x14C: "x86"}


@dataclass(frozen=True)
class Cell:
    """One package on one platform: the wheel pip chose, and what is wrong with it, if anything."""

    wheel: str
    problem: str = ""


NEWEST_PYTHON = 14  # 3.14


def project() -> dict[str, object]:
    """pyproject.toml's [project] table."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def supported_pythons() -> list[str]:
    """Every Python version from requires-python's minimum to the newest released."""
    oldest = int(re.search(r">=\s*3\.(\d+)", str(project()["requires-python"])).group(1))  # type: ignore[union-attr]
    return [f"3.{minor}" for minor in range(oldest, NEWEST_PYTHON + 1)]


def download(requirements: list[str], platforms: tuple[str, ...], python: str, folder: Path) -> str:
    """Download the wheels pip would install on a platform into `folder`; pip's error, if it fails."""
    tags = [option for tag in platforms for option in ("--platform", tag)]
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", *tags,
        "--python-version", python, "--implementation", "cp", "--dest", str(folder), *requirements,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    return errors[0] if errors else done.stderr.strip()[-300:]


def machines(data: bytes) -> set[str]:
    """The machines a native library is built for, from its header ("fat" Mach-O files hold several)."""
    if data[:4] == b"\x7fELF":
        endian = "<" if data[5] == 1 else ">"
        return {_ELF_MACHINES.get(struct.unpack(endian + "H", data[18:20])[0], "other")}
    if data[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return {_MACHO_CPUS.get(struct.unpack("<i", data[4:8])[0], "other")}
    if data[:4] in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):  # universal binary: a list of slices
        count = struct.unpack(">I", data[4:8])[0]
        size = 32 if data[3] == 0xBF else 20
        return {
            _MACHO_CPUS.get(struct.unpack(">i", data[8 + i * size : 12 + i * size])[0], "other")
            for i in range(min(count, 8))
        }
    if data[:2] == b"MZ":
        pe = struct.unpack("<I", data[0x3C:0x40])[0]
        return {_PE_MACHINES.get(struct.unpack("<H", data[pe + 4 : pe + 6])[0], "other")}
    return {"unknown"}


def check_wheel(path: Path, machine: str) -> str:
    """What is wrong with a wheel for a platform of `machine`, or "" when nothing is."""
    pure = path.name.endswith("-none-any.whl")
    with zipfile.ZipFile(path) as archive:
        native = [n for n in archive.namelist() if n.lower().endswith(NATIVE_SUFFIXES)]
        if pure and native:
            return f"none-any wheel carrying native code: {', '.join(Path(n).name for n in native[:3])}"
        for name in native:
            found = machines(archive.open(name).read(1 << 16))
            if machine not in found:
                return f"{Path(name).name} is built for {', '.join(sorted(found))}, not {machine}"
    return ""


def package_name(wheel: str) -> str:
    """The normalised project name of a wheel file."""
    return re.sub(r"[-_.]+", "-", wheel.split("-")[0]).lower()


def survey(requirements: list[str], python: str) -> tuple[dict[str, dict[str, Cell]], dict[str, str]]:
    """Per package and platform, the wheel chosen and its problem; per platform, pip's own failure."""
    table: dict[str, dict[str, Cell]] = {}
    failures: dict[str, str] = {}
    for label, (platforms, machine) in PLATFORMS.items():
        with tempfile.TemporaryDirectory() as folder:
            error = download(requirements, platforms, python, Path(folder))
            if error:
                failures[label] = error
            for wheel in sorted(Path(folder).glob("*.whl")):
                table.setdefault(package_name(wheel.name), {})[label] = Cell(
                    wheel.name, check_wheel(wheel, machine)
                )
    return table, failures


def wheel_tag(wheel: str) -> str:
    """The interpreter, ABI and platform part of a wheel's name, shortened for the table."""
    tag = "-".join(wheel[: -len(".whl")].split("-")[-3:])
    return re.sub(r"(manylinux[^.]*\.)+", "", tag) if "manylinux" in tag else tag


def report(table: dict[str, dict[str, Cell]], failures: dict[str, str], python: str) -> bool:
    """Print the table for one Python version; whether every package passed on every platform."""
    print(f"\nPython {python}: the wheel pip picks for each platform (✗ = rejected)\n")
    print("| package | " + " | ".join(PLATFORMS) + " |")
    print("|---" * (len(PLATFORMS) + 1) + "|")
    ok = not failures
    for name in sorted(table):
        cells = []
        for label in PLATFORMS:
            cell = table[name].get(label)
            if cell is None:
                cells.append("✗ no wheel")
                ok = False
            elif cell.problem:
                cells.append(f"✗ {wheel_tag(cell.wheel)}: {cell.problem}")
                ok = False
            else:
                cells.append(wheel_tag(cell.wheel))
        print(f"| {name} | " + " | ".join(cells) + " |")
    for label, error in failures.items():
        print(f"\n{label}: pip could not resolve every dependency as wheels: {error}")
    return ok


def site_packages_size(folder: Path) -> Iterator[tuple[str, int]]:
    """Bytes installed per top-level entry of a site-packages folder."""
    for entry in sorted(folder.iterdir()):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        yield entry.name, sum(p.stat().st_size for p in files)


def installed_size() -> None:
    """Install askbot (runtime dependencies only) in a fresh venv and print what its packages take."""
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = Path(folder) / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(ROOT)], check=True)
        found = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        )
        sizes = dict(site_packages_size(Path(found.stdout.strip())))
    tooling = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")
    ours = {k: v for k, v in sizes.items() if not k.startswith(tooling)}
    total = sum(ours.values())
    print(f"\nInstalled size in a fresh venv (pip and setuptools left out): {total / 2**20:.1f} MiB")
    for name, size in sorted(ours.items(), key=lambda item: -item[1])[:12]:
        print(f"  {size / 2**20:7.1f} MiB  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--python", action="append", help="a Python version to check (default: all supported)"
    )
    parser.add_argument("--installed-size", action="store_true", help="also measure the installed size")
    args = parser.parse_args()
    requirements = list(project()["dependencies"])  # type: ignore[call-overload]
    print("askbot's runtime dependencies:", ", ".join(requirements))
    ok = True
    for python in args.python or supported_pythons():
        ok &= report(*survey(requirements, python), python)
    if args.installed_size:
        installed_size()
    print("\nevery dependency has a native wheel on every platform" if ok else "\nFAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
