"""Report cards per second per core: the rendering alone (one process, one core), then over
HTTP on the demo data (the data read, the page drawn in the rendering pool, the row kept).
The floor, in the same run: one line of each language on a page, by fpdf2 as it comes.

    .venv/bin/python bench/documents.py --calls 30
    .venv/bin/python bench/documents.py --calls 30 --render-only

Rendering: a single report card (ten subjects, four tests each), then a class of 40 in one
file. HTTP: the demo pupil's report card issued anew on each call (the issued rows are
deleted between calls, as a correction would make a new version), and re-downloaded
unchanged; the demo class's report cards as one PDF.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fpdf import FPDF
from harness import bench_app, migrated_database
from sqlalchemy import delete, select, text

from app.academics.models import Enrolment, Pupil, SchoolClass
from app.core.db.session import create_engine, create_session_factory
from app.demo import world as demo
from app.official_documents.models import IssuedDocument
from app.official_documents.rendering import render
from app.official_documents.typefaces import FACES, FAMILY
from app.settings import get_settings

KINDS = ["test_1", "test_2", "test_3", "integrated_activities"]


def _page(n: int) -> dict[str, Any]:
    subjects = [
        ("Mathématiques", "الرياضيات", "4"),
        ("Langue arabe", "اللغة العربية", "3"),
        ("Langue française", "اللغة الفرنسية", "3"),
        ("Sciences de la vie et de la Terre", "علوم الحياة والأرض", "2"),
        ("Physique-chimie", "الفيزياء والكيمياء", "2"),
        ("Éducation islamique", "التربية الإسلامية", "2"),
        ("Histoire-géographie", "الاجتماعيات", "2"),
        ("Langue anglaise", "اللغة الإنجليزية", "1"),
        ("Informatique", "المعلوميات", "1"),
        ("Éducation physique et sportive", "التربية البدنية", "1"),
    ]
    return {
        "kind": "report_card",
        "title": "Bulletin de notes",
        "code": f"BENCH{n:07d}",
        "url": f"https://massar.men.gov.ma/api/v1/public/documents/BENCH{n:07d}",
        "issued_at": datetime(2026, 12, 6, tzinfo=UTC).isoformat(),
        "issued_on": "06/12/2026",
        "version": 1,
        "data": {
            "authority": {
                "academy_fr": "Rabat-Salé-Kénitra",
                "academy_ar": "الرباط سلا القنيطرة",
                "directorate_fr": "Rabat",
                "directorate_ar": "الرباط",
            },
            "school": {
                "school_code": "25001A",
                "school_fr": "Collège Ibn Rochd",
                "school_ar": "إعدادية ابن رشد",
            },
            "pupil": {
                "massar_code": f"D{n:09d}",
                "name_fr": f"EL IDRISSI Amine {n}",
                "name_ar": f"أمين الإدريسي {n}",
                "birth_date": "12/03/2013",
                "level_fr": "1ère année du cycle secondaire collégial",
                "level_ar": "السنة الأولى من التعليم الثانوي الإعدادي",
                "class_name": "1AC-1",
            },
            "school_year": 2026,
            "year_label": "2026/2027",
            "semester": 1,
            "semester_ar": "الأولى",
            "max_mark": 20,
            "test_kinds": KINDS,
            "subjects": [
                {
                    "code": str(i),
                    "name_fr": fr,
                    "name_ar": ar,
                    "coefficient": coefficient,
                    "marks": {
                        kind: f"{10 + (i * 7 + k * 3 + n) % 10}.50" for k, kind in enumerate(KINDS)
                    },
                    "average": f"{12 + i % 5}.25",
                    "class_average": "11.80",
                }
                for i, (fr, ar, coefficient) in enumerate(subjects)
            ],
            "semester_average": "13.44",
            "class_average": "11.55",
            "absences": 2,
            "lateness": 1,
        },
    }


def _floor_page() -> bytes:
    """The floor: the least a page in these faces costs with fpdf2 as it comes, the faces
    added and cut to the glyphs used for each document, one line in each language."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_text_shaping(True)
    for style, path in FACES.items():
        pdf.add_font(FAMILY, style, path)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(90, 5, "Bulletin de notes")
    pdf.cell(90, 5, "بيان النقط", align="R")
    return bytes(pdf.output())


def _per_call(calls: int, draw: Callable[[int], object]) -> float:
    """CPU seconds per call of this process, which a busy machine does not inflate."""
    started = time.process_time()
    for n in range(calls):
        draw(n)
    return (time.process_time() - started) / calls


def bench_rendering(calls: int) -> None:
    """Per core, against the floor in the same run (x1.00 is the floor; above, slower)."""
    _floor_page()
    render([_page(0)])  # fonts and templates read once, as in a warm rendering process
    floor = _per_call(calls, lambda _: _floor_page())
    single = _per_call(calls, lambda n: render([_page(n)]))
    whole = _per_call(max(1, calls // 10), lambda n: render([_page(n * 40 + i) for i in range(40)]))
    for name, seconds, cards in (
        ("floor: one line, fpdf2 as is", floor, 1),
        ("render one report card", single, 1),
        ("render a class of 40", whole, 40),
    ):
        print(
            f"{name:30} {seconds * 1000:7.1f} ms  {cards / seconds:6.1f} per second per core"
            f"  x{seconds / cards / floor:.2f}"
        )


async def bench_http(url: str, calls: int) -> None:
    engine = create_engine(get_settings(), url)
    async with create_session_factory(engine)() as session:
        await demo.seed_demo(session)
        await session.commit()
        pupil = await session.scalar(select(Pupil.id).where(Pupil.massar_code == "D130000001"))
        class_id = await session.scalar(
            select(SchoolClass.id)
            .join(Enrolment, Enrolment.class_id == SchoolClass.id)
            .where(Enrolment.pupil_id == pupil)
        )
    async with bench_app(url) as bench:
        student = await bench.login("D130000001@taalim.ma")
        director = await bench.login("director.demo@taalim.ma")
        card = "/api/v1/student/documents/report-card?semester=1"

        async def anew(_: int) -> Any:
            async with bench.engine.begin() as connection:
                await connection.execute(delete(IssuedDocument))
            return await bench.client.get(card, headers=student)

        await anew(0)  # the rendering process started
        await bench.measure("GET report card, issued", calls, anew)
        await bench.measure(
            "GET report card, again", calls, lambda _: bench.client.get(card, headers=student)
        )
        rounds = max(1, calls // 10)
        pupils = 0
        started = time.perf_counter()
        for _ in range(rounds):
            async with bench.engine.begin() as connection:
                await connection.execute(delete(IssuedDocument))
            answer = await bench.client.get(
                f"/api/v1/school/classes/{class_id}/documents/report-cards?semester=1",
                headers=director,
            )
            assert answer.status_code == 200, answer.text
            async with bench.engine.connect() as connection:
                pupils = await connection.scalar(text("SELECT count(*) FROM issued_documents"))
        whole = (time.perf_counter() - started) / rounds
        print(
            f"GET class of {pupils}, issued   {whole * 1000:7.1f} ms  "
            f"{(pupils or 0) / whole:6.1f} report cards per second"
        )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--render-only", action="store_true")
    args = parser.parse_args()
    bench_rendering(args.calls)
    if not args.render_only:
        with migrated_database() as url:
            asyncio.run(bench_http(url, args.calls))


if __name__ == "__main__":
    main()
