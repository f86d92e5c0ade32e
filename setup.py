"""Compiles the Fountain tree-sitter grammar into the package as ``scriptlens._fountain``."""

from setuptools import Extension, setup

GRAMMAR = "grammars/tree-sitter-fountain"

setup(
    ext_modules=[
        Extension(
            name="scriptlens._fountain",
            sources=[
                f"{GRAMMAR}/bindings/python/binding.c",
                f"{GRAMMAR}/src/parser.c",
                f"{GRAMMAR}/src/scanner.c",
            ],
            include_dirs=[f"{GRAMMAR}/src"],
            extra_compile_args=["-std=c11", "-O2"],
            py_limited_api=True,
            define_macros=[("Py_LIMITED_API", "0x030A0000")],
        )
    ],
    options={"bdist_wheel": {"py_limited_api": "cp310"}},
)
