"""The app's Jinja environment (worker_app/templating.py): template globals whose keys() is a
set, so an import compares them in one step. What a template sees must not change: the
environment's globals live, a template's own globals kept to itself."""

from __future__ import annotations

from jinja2 import DictLoader

from worker_app.templating import Environment


def _env() -> Environment:
    class _App:  # Flask's environment needs an app only for its loader and debug flag
        debug = False

        @staticmethod
        def create_global_jinja_loader():
            return DictLoader({
                "parts.html": "{% macro hello() %}{{ greeting }}, {{ name }}{% endmacro %}",
                "page.html": '{% from "parts.html" import hello %}{{ hello() }}',
            })

    return Environment(_App())


def test_an_imported_macro_sees_the_pages_own_globals_and_ones_added_later():
    env = _env()
    env.globals["greeting"] = "Hei"
    page = env.get_template("page.html", globals={"name": "Ola"})
    assert page.render() == "Hei, Ola"  # as with Jinja's own environment
    env.globals["greeting"] = "Hallo"  # the environment's globals are seen live
    assert page.render() == "Hallo, Ola"


def test_the_keys_are_a_set_of_every_map_and_a_templates_globals_stay_its_own():
    env = _env()
    env.globals["greeting"] = "Hei"
    page = env.get_template("page.html", globals={"name": "Ola"})
    assert isinstance(page.globals.keys(), set)
    assert {"greeting", "name"} <= page.globals.keys()
    assert "name" not in env.globals
