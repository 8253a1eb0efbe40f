"""Demo school websites, written through the service the school's staff use: Collège Ibn
Rochd (25001A, Rabat) has its site online with three news items (one still a draft), two coming
events and a gallery; École Al Wahda (25101C, Salé) has a draft presentation, not yet online."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.websites import editing as websites
from app.modules.websites.editing import EVENTS, IMAGES, NEWS, ItemAction
from app.modules.websites.schemas import EventIn, ImageIn, NewsIn, SiteIn
from app.settings import get_settings

DIRECTOR_A = "director.demo@taalim.ma"
DIRECTOR_B = "director.other@taalim.ma"

SITE_A = SiteIn(
    presentation_fr=(
        "Collège public du quartier Agdal-Riyad à Rabat, Ibn Rochd accueille les élèves de la "
        "1re à la 3e année du collège. Nous offrons des clubs (lecture, sciences, "
        "environnement), une bibliothèque et un terrain de sport, et nous travaillons main "
        "dans la main avec l'association des parents d'élèves."
    ),
    presentation_ar=(
        "ثانوية إعدادية عمومية بحي أكدال الرياض بالرباط، تستقبل تلاميذ السلك الإعدادي، "
        "وتوفر أندية للقراءة والعلوم والبيئة، ومكتبة وملعبا رياضيا، "
        "بشراكة مع جمعية آباء وأولياء التلاميذ."
    ),
    motto="Apprendre, respecter, réussir",
    founded_year=1978,
    address="Avenue Ibn Sina, Agdal, Rabat",
    phone="+212 537 71 00 00",
    email="contact.25001a@taalim.ma",
    opening_hours="Lundi-vendredi 8h-18h, samedi 8h-12h",
    map_url="https://www.openstreetmap.org/?mlat=33.9716&mlon=-6.8498#map=17/33.9716/-6.8498",
)
NEWS_A = (
    NewsIn(
        title="Rentrée scolaire : emplois du temps disponibles",
        summary="Les emplois du temps de toutes les classes sont affichés et sur Massar.",
        body=(
            "Les emplois du temps de toutes les classes sont disponibles dans l'application "
            "Massar et affichés à l'entrée de l'établissement.\n"
            "Les parents peuvent contacter le secrétariat pour toute question."
        ),
    ),
    NewsIn(
        title="Journée de l'environnement : plantation d'arbres",
        summary="Le club environnement a planté trente arbres dans la cour.",
        body=(
            "Avec le soutien de la commune, les élèves du club environnement ont planté trente "
            "arbres dans la cour et installé des bacs de tri. Merci aux parents bénévoles."
        ),
        cover_url="https://images.taalim.ma/demo/25001A/plantation.jpg",
    ),
    NewsIn(
        title="Réunion des parents d'élèves du premier semestre",
        summary="Brouillon : date à confirmer avec l'association.",
        body="La réunion portera sur les résultats du premier semestre et le soutien scolaire.",
    ),
)
GALLERY_A = (
    ImageIn(url="https://images.taalim.ma/demo/25001A/cour.jpg", caption="La cour de récréation"),
    ImageIn(url="https://images.taalim.ma/demo/25001A/bibliotheque.jpg", caption="La bibliothèque"),
)
SITE_B = SiteIn(
    presentation_fr=(
        "École primaire du quartier Al Wahda à Salé. Présentation en cours de rédaction."
    ),
    address="Quartier Al Wahda, Salé",
)


def _at(days: int, hour: int) -> datetime:
    """A school-local time `days` from today, as UTC."""
    zone = ZoneInfo(get_settings().school_timezone)
    local = datetime.combine(school_today() + timedelta(days=days), time(hour), tzinfo=zone)
    return local.astimezone(UTC)


def _events() -> tuple[EventIn, ...]:
    return (
        EventIn(
            title="Journée portes ouvertes",
            description="Visite des classes, des clubs et de la bibliothèque pour les familles.",
            place="Cour principale",
            starts_at=_at(10, 9),
            ends_at=_at(10, 13),
        ),
        EventIn(
            title="Tournoi sportif inter-classes",
            description="Football et athlétisme, finales le dernier jour.",
            place="Terrain de sport",
            starts_at=_at(21, 8),
            ends_at=_at(23, 17),
        ),
    )


async def seed_websites(session: AsyncSession, users: dict[str, User]) -> None:
    """The two demo schools' sites."""
    school_a, school_b = (
        Principal.acting_as(users[DIRECTOR_A]),
        Principal.acting_as(users[DIRECTOR_B]),
    )
    await websites.write_site(session, school_a, SITE_A)
    await websites.move_site(session, school_a, "publish")
    for index, news in enumerate(NEWS_A):
        created = await websites.create_item(session, school_a, NEWS, news)
        if index < 2:  # the third stays a draft
            await websites.act_on_item(session, school_a, NEWS, created.id, ItemAction.PUBLISH)
    for event in _events():
        made = await websites.create_item(session, school_a, EVENTS, event)
        await websites.act_on_item(session, school_a, EVENTS, made.id, ItemAction.PUBLISH)
    for image in GALLERY_A:
        added = await websites.create_item(session, school_a, IMAGES, image)
        await websites.act_on_item(session, school_a, IMAGES, added.id, ItemAction.PUBLISH)
    await websites.write_site(session, school_b, SITE_B)
