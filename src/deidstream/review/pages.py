"""The Jinja2 templates of the workbench's pages and of the sign-off report (`templates/`), every value escaped."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape


def environment() -> Environment:
    return Environment(loader=PackageLoader("deidstream.review", "templates"), autoescape=select_autoescape())
