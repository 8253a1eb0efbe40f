"""The house's rules, read from the code itself: which package may import which, and that every
route of a face carries that face's guard. Both walk what is there, so new code is covered."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.accounts.guards import (
    parent_only,
    school_staff_only,
    steering_only,
    student_only,
    teacher_only,
)
from app.core.pagination import DEFAULT_LIMIT, PageRequest
from app.core.params import on_the_loop
from app.integrations.callers import api_client_only
from app.main import create_app

APP = Path(__file__).resolve().parents[2] / "app"

# What every package may use besides core: errors, texts and settings know no domain either.
SHARED = frozenset({"app.errors", "app.i18n", "app.settings"})
CORE_DOMAINS = frozenset(
    {
        "organisation",
        "accounts",
        "academics",
        "assessment",
        "attendance",
        "family",
        "messaging",
        "audit",
        "exams",
        "steering",
    }
)

# Breaches that live in code being reworked elsewhere: file -> imported module. To remove, each
# one, as soon as its code is fixed (the test fails on an entry that is no longer needed).
# Imports that break a rule and are waiting to be mended, each with its reason: empty now, and
# the test fails if an entry is no longer needed.
KNOWN_BREACHES: set[tuple[str, str]] = set()


# ---- import boundaries ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, resolved to a module of `app`, and where it is written."""

    path: str  # the importing file, from the repository root
    importer: str
    imported: str
    line: int


def within(name: str, package: str) -> bool:
    """Whether the dotted `name` is `package` or lies inside it."""
    return name == package or name.startswith(package + ".")


def module_name(path: Path, root: Path) -> str:
    """`app/core/db/session.py` -> `app.core.db.session`; a package is its `__init__`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}


def imports_of(path: Path, root: Path, modules: Iterable[str]) -> Iterator[Import]:
    """Every import of `app` that the file makes, at any depth (functions, `TYPE_CHECKING`)."""
    importer = module_name(path, root)
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    known = set(modules)
    where = str(path.relative_to(root))
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(package, node.level, node.module)
            # `from app.x import y` names the module app.x.y when there is one, else app.x.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in dict.fromkeys(targets):  # one per module, however many names
            if within(target, "app"):
                yield Import(where, importer, target, node.lineno)


def _absolute(package: str, level: int, module: str | None) -> str:
    if not level:
        return module or ""
    parts = package.split(".")[: len(package.split(".")) - level + 1]
    return ".".join([*parts, *([module] if module else [])])


def core_rule(importer: str, imported: str) -> str | None:
    """app/core uses no domain: only core itself, errors, texts and settings."""
    if within(importer, "app.core") and not (within(imported, "app.core") or imported in SHARED):
        return "app.core imports no domain"
    return None


def module_rule(importer: str, imported: str) -> str | None:
    """A module uses core, itself, and the core domains' public surface (not routes, not demo)."""
    parts = importer.split(".")
    if parts[:2] != ["app", "modules"] or len(parts) < 3:
        return None
    if within(imported, f"app.modules.{parts[2]}"):
        return None
    if within(imported, "app.core") or imported in SHARED:
        return None
    target = [*imported.split("."), ""][1:3]  # the domain and what of it, if named
    if target[0] in CORE_DOMAINS and target[1] != "routes":
        return None
    return "a module imports core, itself and core domains' models, schemas and services"


def model_rule(importer: str, imported: str) -> str | None:
    """Models use core and other models: never a service, a schema or a route."""
    if importer.rpartition(".")[2] != "models":
        return None
    if within(imported, "app.core") or imported.rpartition(".")[2] == "models":
        return None
    return "models import only core and other models"


def route_rule(importer: str, imported: str) -> str | None:
    """Arrows point from routes to services: a service, schema or model never imports a route."""
    if "routes" not in imported.split(".") or "routes" in importer.split("."):
        return None
    if within(importer, "app.api") or importer in ("app.main", "app.cli"):
        return None
    return "only routes and faces import routes"


def api_rule(importer: str, imported: str) -> str | None:
    """The faces are imported only by the app that mounts them and by the command line."""
    if not within(imported, "app.api"):
        return None
    if within(importer, "app.api") or importer in ("app.main", "app.cli"):
        return None
    return "only app.api, app.main and app.cli import app.api"


RULES: tuple[Callable[[str, str], str | None], ...] = (
    core_rule,
    module_rule,
    model_rule,
    route_rule,
    api_rule,
)


def breaches(imports: Iterable[Import]) -> list[str]:
    """`file:line: imports module (rule)` for every import that breaks a rule."""
    return [
        f"{found.path}:{found.line}: imports {found.imported} ({reason})"
        for found in imports
        for rule in RULES
        if (reason := rule(found.importer, found.imported))
    ]


def all_imports(package: Path = APP) -> list[Import]:
    """Every import of `app` made anywhere in the package."""
    modules = package_modules(package)
    return [
        found for path in modules.values() for found in imports_of(path, package.parent, modules)
    ]


def test_imports_keep_the_boundaries() -> None:
    found = all_imports()
    allowed = [f for f in found if (f.path, f.imported) in KNOWN_BREACHES]
    reported = breaches(f for f in found if (f.path, f.imported) not in KNOWN_BREACHES)
    assert not reported, "imports across a boundary:\n" + "\n".join(reported)
    stale = KNOWN_BREACHES - {(f.path, f.imported) for f in allowed if breaches([f])}
    assert not stale, f"no longer breached, remove from KNOWN_BREACHES: {sorted(stale)}"


def test_the_walk_sees_imports_at_every_depth(tmp_path: Path) -> None:
    package = tmp_path / "app"
    (package / "core").mkdir(parents=True)
    (package / "family").mkdir()
    for name in ("__init__.py", "core/__init__.py", "family/__init__.py", "family/links.py"):
        (package / name).write_text("")
    (package / "core" / "caching.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from app.family.links import child_of\n"
        "def warm() -> None:\n"
        "    from ..family import links\n"
        "    import app.errors\n"
    )

    found = [f for f in all_imports(package) if f.importer == "app.core.caching"]

    assert [(f.imported, f.line) for f in found] == [
        ("app.family.links", 3),
        ("app.family.links", 5),
        ("app.errors", 6),
    ]
    assert breaches(found) == [
        "app/core/caching.py:3: imports app.family.links (app.core imports no domain)",
        "app/core/caching.py:5: imports app.family.links (app.core imports no domain)",
    ]


def test_every_rule_reports_what_breaks_it() -> None:
    def at(importer: str, imported: str) -> Import:
        return Import(importer.replace(".", "/") + ".py", importer, imported, 1)

    broken = [
        at("app.core.tabular", "app.assessment.workbook"),
        at("app.modules.sports.demo", "app.demo.teaching"),
        at("app.modules.sports.routes.school", "app.modules.trainings.models"),
        at("app.modules.sports.routes.school", "app.family.routes.pupil_views"),
        at("app.modules.sports.service", "app.tables"),
        at("app.modules.sports.service", "app"),
        at("app.messaging.models", "app.messaging.notifications"),
        at("app.academics.models", "app.academics.schemas"),
        at("app.attendance.justifications", "app.family.routes.pupil_views"),
        at("app.family.links", "app.api.v1"),
    ]
    kept = [
        at("app.core.documents", "app.core.storage"),
        at("app.core.tabular", "app.errors"),
        at("app.modules.sports.routes.school", "app.modules.sports.models"),
        at("app.modules.sports.routes.school", "app.accounts.guards"),
        at("app.modules.sports.service", "app.academics.models"),
        at("app.modules.sports.service", "app.family"),
        at("app.messaging.models", "app.accounts.models"),
        at("app.main", "app.api.v1"),
        at("app.api.v1.teacher", "app.academics.routes.classes"),
        at("app.family.routes.parent", "app.family.routes.pupil_views"),
    ]
    assert [line.split(":")[0] for line in breaches(broken)] == [b.path for b in broken]
    assert breaches(kept) == []


# ---- guards ---------------------------------------------------------------------------------

FACE_GUARDS: dict[str, Callable[..., object]] = {
    "/api/v1/teacher": teacher_only,
    "/api/v1/student": student_only,
    "/api/v1/parent": parent_only,
    "/api/v1/school": school_staff_only,
    "/api/v1/steering": steering_only,
    "/ims/oneroster": api_client_only,
    "/api/v1/integrations": api_client_only,
}


def face_of(path: str) -> str | None:
    """The prefix of the face the path lies under, if any."""
    return next((face for face in FACE_GUARDS if path == face or path.startswith(face + "/")), None)


def dependency_calls(dependant: Dependant) -> Iterator[Callable[..., object]]:
    """Every callable in a route's dependency tree, at any depth."""
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from dependency_calls(dependency)


def unguarded(routes: Sequence[BaseRoute]) -> list[str]:
    """`METHODS path` of every route under a face's prefix that lacks that face's guard."""
    missing = []
    for route in iter_route_contexts(routes):
        if not isinstance(route.original_route, APIRoute) or route.path is None:
            continue
        face = face_of(route.path)
        if face and FACE_GUARDS[face] not in set(dependency_calls(route.dependant)):
            missing.append(f"{','.join(sorted(route.methods or ()))} {route.path}")
    return missing


def test_every_face_route_carries_its_faces_guard() -> None:
    routes = create_app().routes
    faces = {face_of(route.path or "") for route in iter_route_contexts(routes)}
    assert faces >= set(FACE_GUARDS), "a face is missing: the walk does not see its routes"
    missing = unguarded(routes)
    assert not missing, "face routes without their face's guard:\n" + "\n".join(missing)


def test_an_unguarded_face_route_is_reported() -> None:
    teacher = APIRouter(prefix="/teacher", dependencies=[Depends(teacher_only)])
    teacher.add_api_route("/classes", lambda: None)
    loose = APIRouter(prefix="/teacher")
    loose.add_api_route("/open", lambda: None)
    loose.add_api_route("/wrong", lambda: None, dependencies=[Depends(student_only)])
    version = APIRouter(prefix="/api/v1")
    version.include_router(teacher)
    version.include_router(loose)
    version.add_api_route("/teachers", lambda: None)  # not under the face's prefix
    app = FastAPI()
    app.include_router(version)

    assert unguarded(app.routes) == ["GET /api/v1/teacher/open", "GET /api/v1/teacher/wrong"]


def runs_on_the_loop(call: Callable[..., object]) -> bool:
    """Whether FastAPI awaits the dependency on the event loop rather than sending it to a
    worker thread (what it does with a plain function, a generator or a class)."""
    target = call if inspect.isfunction(call) or inspect.ismethod(call) else type(call).__call__
    if inspect.isclass(call):
        return False
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def sent_to_threads(routes: Sequence[BaseRoute]) -> list[str]:
    """`METHODS path: dependency` for each dependency a route would run in a worker thread."""
    found = []
    for route in iter_route_contexts(routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for call in dependency_calls(route.dependant):
            if not runs_on_the_loop(call):
                name = getattr(call, "__qualname__", repr(call))
                found.append(f"{','.join(sorted(route.methods or ()))} {route.path}: {name}")
    return found


def test_every_dependency_runs_on_the_event_loop() -> None:
    # A thread hop per request to build an object from the query string costs more than the
    # building, and under load it waits for a free thread (wrap it in `on_the_loop`).
    found = sent_to_threads(create_app().routes)
    assert not found, "dependencies run in worker threads:\n" + "\n".join(found)


def test_a_dependency_sent_to_a_thread_is_reported() -> None:
    def plain(limit: int = 1) -> int:
        return limit

    async def awaited(limit: int = 1) -> int:
        return limit

    app = FastAPI()
    app.add_api_route("/plain", lambda: None, dependencies=[Depends(plain)])
    app.add_api_route("/class", lambda: None, dependencies=[Depends(PageRequest)])
    app.add_api_route("/awaited", lambda: None, dependencies=[Depends(awaited)])
    app.add_api_route("/wrapped", lambda: None, dependencies=[Depends(on_the_loop(PageRequest))])

    assert sent_to_threads(app.routes) == [
        "GET /plain: " + plain.__qualname__,
        "GET /class: PageRequest",
    ]


async def test_on_the_loop_reads_the_same_query_parameters() -> None:
    app = FastAPI()

    @app.get("/page")
    async def page(request: Annotated[PageRequest, Depends(on_the_loop(PageRequest))]) -> int:
        return request.limit

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/page", params={"limit": 7})).json() == 7
        assert (await client.get("/page")).json() == DEFAULT_LIMIT
        refused = await client.get("/page", params={"limit": 0})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "limit"]
