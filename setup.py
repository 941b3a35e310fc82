"""Build the C parts: the CJK FTS5 tokenizer (archive.store._cjk) and its start-up hook.

Everything else about the package is declared in pyproject.toml.  Building
needs a C compiler and the SQLite headers (Debian: gcc, libsqlite3-dev;
`bash scripts/install_system_deps.sh build` installs them where missing).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH_NAME = "archive_cjk.pth"
# A .pth line starting with "import" is executed at interpreter start.  It loads
# the compiled module by file path, without importing the `archive` package (so
# start-up stays fast), and the module's init registers the tokenizer through
# sqlite3_auto_extension() before any SQLite connection exists in the process.
# That matters for sqlite_utils.Database(path), which opens its connection
# before it loads plugins.  Any failure is silent here; the plugins report it.
PTH_LINE = (
    'import sys; exec("try:\\n'
    " import importlib.util as u, importlib.machinery as m, os\\n"
    " s = u.find_spec('archive')\\n"
    " for d in (s.submodule_search_locations or []) if s else []:\\n"
    "  for x in m.EXTENSION_SUFFIXES:\\n"
    "   p = os.path.join(d, 'store', '_cjk' + x)\\n"
    "   if os.path.exists(p):\\n"
    "    t = u.spec_from_file_location('archive.store._cjk', p); t.loader.exec_module(u.module_from_spec(t)); raise StopIteration\\n"
    "except BaseException:\\n"
    ' pass")\n'
)


class build_py_with_pth(build_py):  # noqa: N801 - setuptools command naming
    """build_py that also puts archive_cjk.pth at the root of site-packages."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / PTH_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(PTH_LINE, encoding="utf-8")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib) / PTH_NAME)]


class editable_wheel_with_pth(editable_wheel):  # noqa: N801 - setuptools command naming
    """`pip install -e .` builds a wheel from a different command; put the .pth in it too.

    Whatever this command leaves in the unpacked-wheel folder is written into the
    wheel (setuptools' own namespace .pth files travel the same way).
    """

    def _run_build_commands(self, dist_name: str, unpacked_wheel: str, build_lib: str, tmp_dir: str):  # noqa: ANN202
        result = super()._run_build_commands(dist_name, unpacked_wheel, build_lib, tmp_dir)
        Path(unpacked_wheel, PTH_NAME).write_text(PTH_LINE, encoding="utf-8")
        return result


setup(
    ext_modules=[
        Extension(
            "archive.store._cjk",
            sources=["archive/store/cjk_tokenizer.c"],
            depends=["archive/store/cjk_t2s.h"],
            libraries=["sqlite3", "m"],
            extra_compile_args=["-O2", "-Wall"],
        )
    ],
    cmdclass={"build_py": build_py_with_pth, "editable_wheel": editable_wheel_with_pth},
)
