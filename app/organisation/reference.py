"""The 12 regional academies (AREF) and their provincial directorates.

Loaded into the database by a migration; the codes are stable keys that never
change once shipped.

Directorate codes are derived from the French name: accents and apostrophes
dropped, spaces and hyphens turned into hyphens, and the Arabic article
(Al, El, Es, Ed) glued to the word that follows it (e.g. "TTA-ALHOCEIMA").
"""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Directorate:
    code: str  # stable short code, e.g. "CS-ANFA"
    name_fr: str
    name_ar: str


@dataclass(frozen=True, slots=True)
class Academy:
    code: str  # stable short code, e.g. "CS" ; two or three uppercase letters
    name_fr: str  # e.g. "Casablanca-Settat"
    name_ar: str  # e.g. "الدار البيضاء سطات"
    directorates: tuple[Directorate, ...]


ACADEMIES: tuple[Academy, ...] = (
    Academy(
        code="TTA",
        name_fr="Tanger-Tétouan-Al Hoceïma",
        name_ar="طنجة تطوان الحسيمة",
        directorates=(
            Directorate(code="TTA-ALHOCEIMA", name_fr="Al Hoceïma", name_ar="الحسيمة"),
            Directorate(code="TTA-CHEFCHAOUEN", name_fr="Chefchaouen", name_ar="شفشاون"),
            Directorate(code="TTA-FAHS-ANJRA", name_fr="Fahs-Anjra", name_ar="الفحص أنجرة"),
            Directorate(code="TTA-LARACHE", name_fr="Larache", name_ar="العرائش"),
            Directorate(code="TTA-MDIQ-FNIDEQ", name_fr="M'diq-Fnideq", name_ar="المضيق الفنيدق"),
            Directorate(code="TTA-OUEZZANE", name_fr="Ouezzane", name_ar="وزان"),
            Directorate(
                code="TTA-TANGER-ASSILAH",
                name_fr="Tanger-Assilah",
                name_ar="طنجة أصيلة",
            ),
            Directorate(code="TTA-TETOUAN", name_fr="Tétouan", name_ar="تطوان"),
        ),
    ),
    Academy(
        code="OR",
        name_fr="Oriental",
        name_ar="الشرق",
        directorates=(
            Directorate(code="OR-BERKANE", name_fr="Berkane", name_ar="بركان"),
            Directorate(code="OR-DRIOUCH", name_fr="Driouch", name_ar="الدريوش"),
            Directorate(code="OR-FIGUIG", name_fr="Figuig", name_ar="فجيج"),
            Directorate(code="OR-GUERCIF", name_fr="Guercif", name_ar="جرسيف"),
            Directorate(code="OR-JERADA", name_fr="Jerada", name_ar="جرادة"),
            Directorate(code="OR-NADOR", name_fr="Nador", name_ar="الناظور"),
            Directorate(code="OR-OUJDA-ANGAD", name_fr="Oujda-Angad", name_ar="وجدة أنجاد"),
            Directorate(code="OR-TAOURIRT", name_fr="Taourirt", name_ar="تاوريرت"),
        ),
    ),
    Academy(
        code="FM",
        name_fr="Fès-Meknès",
        name_ar="فاس مكناس",
        directorates=(
            Directorate(code="FM-BOULEMANE", name_fr="Boulemane", name_ar="بولمان"),
            Directorate(code="FM-ELHAJEB", name_fr="El Hajeb", name_ar="الحاجب"),
            Directorate(code="FM-FES", name_fr="Fès", name_ar="فاس"),
            Directorate(code="FM-IFRANE", name_fr="Ifrane", name_ar="إفران"),
            Directorate(code="FM-MEKNES", name_fr="Meknès", name_ar="مكناس"),
            Directorate(code="FM-MOULAY-YACOUB", name_fr="Moulay Yacoub", name_ar="مولاي يعقوب"),
            Directorate(code="FM-SEFROU", name_fr="Sefrou", name_ar="صفرو"),
            Directorate(code="FM-TAOUNATE", name_fr="Taounate", name_ar="تاونات"),
            Directorate(code="FM-TAZA", name_fr="Taza", name_ar="تازة"),
        ),
    ),
    Academy(
        code="RSK",
        name_fr="Rabat-Salé-Kénitra",
        name_ar="الرباط سلا القنيطرة",
        directorates=(
            Directorate(code="RSK-KENITRA", name_fr="Kénitra", name_ar="القنيطرة"),
            Directorate(code="RSK-KHEMISSET", name_fr="Khémisset", name_ar="الخميسات"),
            Directorate(code="RSK-RABAT", name_fr="Rabat", name_ar="الرباط"),
            Directorate(code="RSK-SALE", name_fr="Salé", name_ar="سلا"),
            Directorate(code="RSK-SIDI-KACEM", name_fr="Sidi Kacem", name_ar="سيدي قاسم"),
            Directorate(code="RSK-SIDI-SLIMANE", name_fr="Sidi Slimane", name_ar="سيدي سليمان"),
            Directorate(
                code="RSK-SKHIRATE-TEMARA",
                name_fr="Skhirate-Témara",
                name_ar="الصخيرات تمارة",
            ),
        ),
    ),
    Academy(
        code="BMK",
        name_fr="Béni Mellal-Khénifra",
        name_ar="بني ملال خنيفرة",
        directorates=(
            Directorate(code="BMK-AZILAL", name_fr="Azilal", name_ar="أزيلال"),
            Directorate(code="BMK-BENI-MELLAL", name_fr="Béni Mellal", name_ar="بني ملال"),
            Directorate(
                code="BMK-FQUIH-BEN-SALAH",
                name_fr="Fquih Ben Salah",
                name_ar="الفقيه بن صالح",
            ),
            Directorate(code="BMK-KHENIFRA", name_fr="Khénifra", name_ar="خنيفرة"),
            Directorate(code="BMK-KHOURIBGA", name_fr="Khouribga", name_ar="خريبكة"),
        ),
    ),
    Academy(
        code="CS",
        name_fr="Casablanca-Settat",
        name_ar="الدار البيضاء سطات",
        directorates=(
            Directorate(code="CS-AIN-CHOCK", name_fr="Aïn Chock", name_ar="عين الشق"),
            Directorate(
                code="CS-AIN-SEBAA-HAY-MOHAMMADI",
                name_fr="Aïn Sebaâ-Hay Mohammadi",
                name_ar="عين السبع الحي المحمدي",
            ),
            Directorate(
                code="CS-ALFIDA-MERS-SULTAN",
                name_fr="Al Fida-Mers Sultan",
                name_ar="الفداء مرس السلطان",
            ),
            Directorate(code="CS-ANFA", name_fr="Anfa", name_ar="أنفا"),
            Directorate(code="CS-BEN-MSICK", name_fr="Ben M'Sick", name_ar="ابن مسيك"),
            Directorate(code="CS-BENSLIMANE", name_fr="Benslimane", name_ar="بنسليمان"),
            Directorate(code="CS-BERRECHID", name_fr="Berrechid", name_ar="برشيد"),
            Directorate(code="CS-ELJADIDA", name_fr="El Jadida", name_ar="الجديدة"),
            Directorate(code="CS-HAY-HASSANI", name_fr="Hay Hassani", name_ar="الحي الحسني"),
            Directorate(code="CS-MEDIOUNA", name_fr="Médiouna", name_ar="مديونة"),
            Directorate(code="CS-MOHAMMEDIA", name_fr="Mohammedia", name_ar="المحمدية"),
            Directorate(code="CS-MOULAY-RACHID", name_fr="Moulay Rachid", name_ar="مولاي رشيد"),
            Directorate(code="CS-NOUACEUR", name_fr="Nouaceur", name_ar="النواصر"),
            Directorate(code="CS-SETTAT", name_fr="Settat", name_ar="سطات"),
            Directorate(code="CS-SIDI-BENNOUR", name_fr="Sidi Bennour", name_ar="سيدي بنور"),
            Directorate(
                code="CS-SIDI-BERNOUSSI",
                name_fr="Sidi Bernoussi",
                name_ar="سيدي البرنوصي",
            ),
        ),
    ),
    Academy(
        code="MS",
        name_fr="Marrakech-Safi",
        name_ar="مراكش آسفي",
        directorates=(
            Directorate(code="MS-ALHAOUZ", name_fr="Al Haouz", name_ar="الحوز"),
            Directorate(code="MS-CHICHAOUA", name_fr="Chichaoua", name_ar="شيشاوة"),
            Directorate(
                code="MS-ELKELAA-DES-SRAGHNA",
                name_fr="El Kelâa des Sraghna",
                name_ar="قلعة السراغنة",
            ),
            Directorate(code="MS-ESSAOUIRA", name_fr="Essaouira", name_ar="الصويرة"),
            Directorate(code="MS-MARRAKECH", name_fr="Marrakech", name_ar="مراكش"),
            Directorate(code="MS-REHAMNA", name_fr="Rehamna", name_ar="الرحامنة"),
            Directorate(code="MS-SAFI", name_fr="Safi", name_ar="آسفي"),
            Directorate(code="MS-YOUSSOUFIA", name_fr="Youssoufia", name_ar="اليوسفية"),
        ),
    ),
    Academy(
        code="DT",
        name_fr="Drâa-Tafilalet",
        name_ar="درعة تافيلالت",
        directorates=(
            Directorate(code="DT-ERRACHIDIA", name_fr="Errachidia", name_ar="الرشيدية"),
            Directorate(code="DT-MIDELT", name_fr="Midelt", name_ar="ميدلت"),
            Directorate(code="DT-OUARZAZATE", name_fr="Ouarzazate", name_ar="ورزازات"),
            Directorate(code="DT-TINGHIR", name_fr="Tinghir", name_ar="تنغير"),
            Directorate(code="DT-ZAGORA", name_fr="Zagora", name_ar="زاكورة"),
        ),
    ),
    Academy(
        code="SM",
        name_fr="Souss-Massa",
        name_ar="سوس ماسة",
        directorates=(
            Directorate(
                code="SM-AGADIR-IDA-OUTANANE",
                name_fr="Agadir Ida-Outanane",
                name_ar="أكادير إداوتنان",
            ),
            Directorate(
                code="SM-CHTOUKA-AIT-BAHA",
                name_fr="Chtouka-Aït Baha",
                name_ar="اشتوكة آيت باها",
            ),
            Directorate(
                code="SM-INEZGANE-AIT-MELLOUL",
                name_fr="Inezgane-Aït Melloul",
                name_ar="إنزكان أيت ملول",
            ),
            Directorate(code="SM-TAROUDANT", name_fr="Taroudant", name_ar="تارودانت"),
            Directorate(code="SM-TATA", name_fr="Tata", name_ar="طاطا"),
            Directorate(code="SM-TIZNIT", name_fr="Tiznit", name_ar="تيزنيت"),
        ),
    ),
    Academy(
        code="GON",
        name_fr="Guelmim-Oued Noun",
        name_ar="كلميم واد نون",
        directorates=(
            Directorate(code="GON-ASSA-ZAG", name_fr="Assa-Zag", name_ar="آسا الزاك"),
            Directorate(code="GON-GUELMIM", name_fr="Guelmim", name_ar="كلميم"),
            Directorate(code="GON-SIDI-IFNI", name_fr="Sidi Ifni", name_ar="سيدي إفني"),
            Directorate(code="GON-TAN-TAN", name_fr="Tan-Tan", name_ar="طانطان"),
        ),
    ),
    Academy(
        code="LSH",
        name_fr="Laâyoune-Sakia El Hamra",
        name_ar="العيون الساقية الحمراء",
        directorates=(
            Directorate(code="LSH-BOUJDOUR", name_fr="Boujdour", name_ar="بوجدور"),
            Directorate(code="LSH-ESSEMARA", name_fr="Es-Semara", name_ar="السمارة"),
            Directorate(code="LSH-LAAYOUNE", name_fr="Laâyoune", name_ar="العيون"),
            Directorate(code="LSH-TARFAYA", name_fr="Tarfaya", name_ar="طرفاية"),
        ),
    ),
    Academy(
        code="DOD",
        name_fr="Dakhla-Oued Ed-Dahab",
        name_ar="الداخلة وادي الذهب",
        directorates=(
            Directorate(code="DOD-AOUSSERD", name_fr="Aousserd", name_ar="أوسرد"),
            Directorate(code="DOD-OUED-EDDAHAB", name_fr="Oued Ed-Dahab", name_ar="وادي الذهب"),
        ),
    ),
)


# Fixed namespace: ids of reference rows are the same on every installation.
_REFERENCE_NAMESPACE = uuid.UUID("6f1d8a52-3c1e-4d43-9a55-0b7e4c1f2a90")


def reference_id(kind: str, code: str) -> uuid.UUID:
    """The stable id of a reference row, e.g. `reference_id("academy", "CS")`."""
    return uuid.uuid5(_REFERENCE_NAMESPACE, f"{kind}:{code}")
