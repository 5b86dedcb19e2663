"""Nothing blocks the event loop: every `async def` endpoint or dependency of the app may only
compute, and read the request's form or body; database, password and solver work is in plain
functions (FastAPI runs those in its thread pool) or handed to the pool with run_in_threadpool.

The check reads the source of every coroutine the app's routes run (endpoints and their
dependencies, all the way down) and of the project's functions those call, and refuses any call
not known to be pure computation. A new helper that only computes belongs in PURE below; one
that blocks belongs in a plain `def`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.routing import APIRoute

from api.main import create_app
from waitlist.config import Settings

PROJECT = ("api.", "waitlist.", "solver.")
# What an async function may await: reading the request, or handing work to the thread pool.
AWAITABLE = {
    "request.form",
    "request.body",
    "request.json",
    "run_in_threadpool",
    "to_thread.run_sync",
    "anyio.to_thread.run_sync",
}
# Calls of library code that only compute (by their last name), and builtins.
PURE = {
    # builtins
    "any",
    "all",
    "bool",
    "dict",
    "getattr",
    "hasattr",
    "int",
    "isinstance",
    "len",
    "list",
    "max",
    "min",
    "set",
    "setattr",
    "str",
    "tuple",
    "type",
    # a dataclass's field list (dataclasses.fields)
    "fields",
    # str, dict and header methods
    "encode",
    "get",
    "items",
    "keys",
    "lower",
    "partition",
    "rsplit",
    "split",
    "startswith",
    "strip",
    "values",
    # hashing and signatures (microseconds)
    "compare_digest",
    "digest",
    "hexdigest",
    "new",
    "sha256",
    # JWT decoding (an HMAC)
    "decode",
    # the keys a signature may carry (settings already in memory)
    "verification_keys",
    # dates and times
    "combine",
    "now",
    "timetz",
    # the settings, read once and cached
    "get_settings",
}


def _call_name(node: ast.expr) -> str:
    return ast.unparse(node)


def _own_calls(tree: ast.AST) -> Iterator[ast.Call | ast.Await]:
    """Calls and awaits in a function's own body: nested functions and lambdas run later,
    elsewhere (a factory the dependency returns runs in the endpoint's thread)."""
    body = tree.body if isinstance(tree, ast.AsyncFunctionDef | ast.FunctionDef) else []
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call | ast.Await):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(func: Callable[..., Any], expr: ast.expr) -> Any:
    """The object a call's target names, looked up in the function's module, or None."""
    namespace: dict[str, Any] = dict(getattr(func, "__globals__", {}))
    parts = _call_name(expr).split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    value: Any = namespace.get(parts[0])
    for part in parts[1:]:
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _is_project(value: Any) -> bool:
    module = getattr(value, "__module__", None) or ""
    return isinstance(module, str) and module.startswith(PROJECT)


def blocking_calls(func: Callable[..., Any], seen: set[Any] | None = None) -> list[str]:
    """What `func` (an async function, or a plain one an async function calls) does that is
    not known to be pure; [] when it only computes."""
    seen = set() if seen is None else seen
    if func in seen:
        return []
    seen.add(func)
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return [f"{func!r}: source not found"]
    tree = ast.parse(source).body[0]
    where = f"{func.__module__}.{func.__qualname__}"
    problems: list[str] = []
    awaited = {id(node.value) for node in _own_calls(tree) if isinstance(node, ast.Await)}
    for node in _own_calls(tree):
        if isinstance(node, ast.Await):
            target = node.value.func if isinstance(node.value, ast.Call) else node.value
            if _call_name(target) not in AWAITABLE:
                problems.append(f"{where} awaits {_call_name(target)}")
            continue
        if id(node) in awaited:
            continue
        name = _call_name(node.func)
        target = _resolve(func, node.func)
        if inspect.isclass(target) and _is_project(target):
            continue  # an exception or a value being made
        if inspect.isfunction(target) and _is_project(target):
            if inspect.iscoroutinefunction(target):
                continue  # awaited elsewhere; checked as its own coroutine
            problems.extend(blocking_calls(target, seen))
            continue
        if name.rsplit(".", 1)[-1] not in PURE:
            problems.append(f"{where} calls {name}")
    return problems


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _route_calls(routes: list[Any]) -> Iterator[Callable[..., Any]]:
    """Endpoints and dependencies of `routes`, into included routers (FastAPI keeps an
    included router whole, with the dependencies given to include_router beside it)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield from _calls(route.dependant)
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            for depends in getattr(context, "dependencies", []):
                yield from _calls(get_dependant(path="", call=depends.dependency))
            yield from _route_calls(included.routes)


def app_coroutines() -> dict[str, Callable[..., Any]]:
    """Every coroutine function of the project the app's routes run, by a readable name."""
    app = create_app(Settings(database_url="sqlite://"))
    found: dict[str, Callable[..., Any]] = {}
    for call in _route_calls(list(app.routes)):
        if inspect.iscoroutinefunction(call) and _is_project(call):
            found[f"{call.__module__}.{call.__qualname__}"] = call
    return found


def test_the_app_has_async_dependencies_to_check() -> None:
    names = app_coroutines()
    assert "api.deps.get_principal" in names
    assert "api.web.csrf.verify" in names


@pytest.mark.parametrize("name", sorted(app_coroutines()))
def test_no_async_endpoint_or_dependency_blocks_the_event_loop(name: str) -> None:
    assert blocking_calls(app_coroutines()[name]) == []


async def _reads_the_database(request: Any, engine: Any) -> None:
    await request.form()
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")


async def _checks_a_password_in_a_helper(request: Any) -> None:
    from api.web.staff_session import staff_login

    staff_login(request, await request.form(), "coordinator", "", "/", lambda c: c)


async def _hands_work_to_the_pool(request: Any) -> None:
    from fastapi.concurrency import run_in_threadpool

    from api.deps import _resolve_parent

    await run_in_threadpool(_resolve_parent, request.app.state.engine, "token")


def test_the_check_finds_blocking_work_and_lets_the_thread_pool_pass() -> None:
    assert blocking_calls(_reads_the_database)
    assert any("staff_login" in p for p in blocking_calls(_checks_a_password_in_a_helper))
    assert blocking_calls(_hands_work_to_the_pool) == []
