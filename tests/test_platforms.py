"""bench/platforms.py, the proof of native installs, rejects what it claims to reject."""

from __future__ import annotations

import importlib.util
import struct
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def platforms() -> ModuleType:
    spec = importlib.util.spec_from_file_location("platforms", ROOT / "bench" / "platforms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["platforms"] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def elf(machine: int) -> bytes:
    """The first bytes of a little-endian 64-bit ELF file for a machine."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 11 + struct.pack("<H", machine) + b"\x00" * 40


def wheel(folder: Path, name: str, files: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def test_headers_tell_the_machine_a_library_is_built_for(platforms: ModuleType) -> None:
    """ELF, Mach-O (thin and universal) and PE headers give x86-64 or arm64."""
    assert platforms.machines(elf(0x3E)) == {"x86-64"}
    assert platforms.machines(elf(0xB7)) == {"arm64"}
    assert platforms.machines(b"\xcf\xfa\xed\xfe" + struct.pack("<i", 0x0100000C)) == {"arm64"}
    fat = b"\xca\xfe\xba\xbe" + struct.pack(">I", 2)
    fat += struct.pack(">i", 0x01000007) + b"\x00" * 16 + struct.pack(">i", 0x0100000C) + b"\x00" * 16
    assert platforms.machines(fat) == {"x86-64", "arm64"}
    pe = b"MZ" + b"\x00" * 58 + struct.pack("<I", 64) + b"PE\x00\x00" + struct.pack("<H", 0x8664)
    assert platforms.machines(pe) == {"x86-64"}


def test_a_pure_python_wheel_with_native_code_is_rejected(platforms: ModuleType, tmp_path: Path) -> None:
    """A none-any wheel carrying a shared library fails everywhere, whatever the library is built for."""
    path = wheel(tmp_path, "lib-1.0-py3-none-any.whl", {"lib/libfast.so": elf(0x3E), "lib/__init__.py": b""})
    assert "none-any wheel carrying native code" in platforms.check_wheel(path, "x86-64")


def test_native_code_for_another_machine_is_rejected(platforms: ModuleType, tmp_path: Path) -> None:
    """A wheel tagged for aarch64 that ships x86-64 code fails; the same code passes on x86-64."""
    path = wheel(tmp_path, "lib-1.0-cp311-cp311-manylinux_2_28_aarch64.whl", {"lib/_c.so": elf(0x3E)})
    assert "built for x86-64, not arm64" in platforms.check_wheel(path, "arm64")
    assert platforms.check_wheel(path, "x86-64") == ""


def test_pure_python_wheels_pass(platforms: ModuleType, tmp_path: Path) -> None:
    """A none-any wheel of Python files only runs anywhere."""
    path = wheel(tmp_path, "lib-1.0-py3-none-any.whl", {"lib/__init__.py": b"x = 1"})
    assert platforms.check_wheel(path, "arm64") == ""
