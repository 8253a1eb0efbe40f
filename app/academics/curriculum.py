"""Levels, streams, subjects, coefficients and curriculum units of Moroccan public schools.

Loaded into the database by a migration; the codes are stable keys.

A class name is the level code, the stream code (lycée only) and a number:
"2BACSPF-1" is level "2BAC", stream "SPF"; "TCSF-8" is level "TC", stream "SF";
"1AC-3" is level "1AC" with no stream. A trailing "F" on a stream code marks the
"option française" (BIOF) variant, taught in French for the scientific subjects.

Coefficients weigh the subject averages in the semester average. For the
baccalauréat streams they follow the exam coefficients of the subjects studied
in that year; the other values are the best available and should be checked
against the ministry's notes before they are used for official documents.
Subjects a school does not offer (e.g. music, family education, technology at
collège) are simply left out of a pupil's average.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Level:
    code: str
    cycle: str  # "primary" | "college" | "lycee"
    rank: int  # order of study, 1..12
    name_fr: str
    name_ar: str


@dataclass(frozen=True, slots=True)
class Stream:
    level_code: str
    code: str  # unique within its level
    name_fr: str
    name_ar: str


@dataclass(frozen=True, slots=True)
class Subject:
    code: str
    name_fr: str
    name_ar: str


@dataclass(frozen=True, slots=True)
class Coefficient:
    level_code: str
    stream_code: str | None  # None for the primary and collège levels
    subject_code: str
    coefficient: Decimal


@dataclass(frozen=True, slots=True)
class Unit:
    level_code: str
    subject_code: str
    rank: int  # 1..n in the order of the yearly progression
    title_fr: str
    title_ar: str


# --------------------------------------------------------------------------- levels

LEVELS: tuple[Level, ...] = (
    Level(
        "1AP",
        "primary",
        1,
        "1ère année de l'enseignement primaire",
        "السنة الأولى من التعليم الابتدائي",
    ),
    Level(
        "2AP",
        "primary",
        2,
        "2ème année de l'enseignement primaire",
        "السنة الثانية من التعليم الابتدائي",
    ),
    Level(
        "3AP",
        "primary",
        3,
        "3ème année de l'enseignement primaire",
        "السنة الثالثة من التعليم الابتدائي",
    ),
    Level(
        "4AP",
        "primary",
        4,
        "4ème année de l'enseignement primaire",
        "السنة الرابعة من التعليم الابتدائي",
    ),
    Level(
        "5AP",
        "primary",
        5,
        "5ème année de l'enseignement primaire",
        "السنة الخامسة من التعليم الابتدائي",
    ),
    Level(
        "6AP",
        "primary",
        6,
        "6ème année de l'enseignement primaire",
        "السنة السادسة من التعليم الابتدائي",
    ),
    Level(
        "1AC",
        "college",
        7,
        "1ère année du cycle secondaire collégial",
        "السنة الأولى من التعليم الثانوي الإعدادي",
    ),
    Level(
        "2AC",
        "college",
        8,
        "2ème année du cycle secondaire collégial",
        "السنة الثانية من التعليم الثانوي الإعدادي",
    ),
    Level(
        "3AC",
        "college",
        9,
        "3ème année du cycle secondaire collégial",
        "السنة الثالثة من التعليم الثانوي الإعدادي",
    ),
    Level(
        "TC",
        "lycee",
        10,
        "Tronc commun du cycle secondaire qualifiant",
        "الجذع المشترك من التعليم الثانوي التأهيلي",
    ),
    Level(
        "1BAC",
        "lycee",
        11,
        "1ère année du cycle du baccalauréat",
        "السنة الأولى من سلك البكالوريا",
    ),
    Level(
        "2BAC",
        "lycee",
        12,
        "2ème année du cycle du baccalauréat",
        "السنة الثانية من سلك البكالوريا",
    ),
)

# -------------------------------------------------------------------------- streams

_FR_OPT = " - option française"
_AR_OPT = " - خيار فرنسية"


def _stream(level_code: str, code: str, name_fr: str, name_ar: str) -> tuple[Stream, ...]:
    """One stream; with its "option française" variant (code + "F") when the code ends in "+"."""
    if not code.endswith("+"):
        return (Stream(level_code, code, name_fr, name_ar),)
    base = code[:-1]
    return (
        Stream(level_code, base, name_fr, name_ar),
        Stream(level_code, base + "F", name_fr + _FR_OPT, name_ar + _AR_OPT),
    )


_STREAM_GROUPS: tuple[tuple[Stream, ...], ...] = (
    # Tronc commun
    _stream("TC", "S+", "Tronc commun scientifique", "الجذع المشترك العلمي"),
    _stream("TC", "T+", "Tronc commun technologique", "الجذع المشترك التكنولوجي"),
    _stream(
        "TC",
        "LSH",
        "Tronc commun lettres et sciences humaines",
        "الجذع المشترك للآداب والعلوم الإنسانية",
    ),
    _stream("TC", "EO", "Tronc commun de l'enseignement originel", "الجذع المشترك للتعليم الأصيل"),
    _stream("TC", "SPORT", "Tronc commun sport-études", "الجذع المشترك رياضة ودراسة"),
    # 1ère année du baccalauréat
    _stream("1BAC", "SE+", "Sciences expérimentales", "شعبة العلوم التجريبية"),
    _stream("1BAC", "SM+", "Sciences mathématiques", "شعبة العلوم الرياضية"),
    _stream("1BAC", "SEG", "Sciences économiques et gestion", "شعبة علوم الاقتصاد والتدبير"),
    _stream("1BAC", "LSH", "Lettres et sciences humaines", "شعبة الآداب والعلوم الإنسانية"),
    _stream(
        "1BAC",
        "STE",
        "Sciences et technologies électriques",
        "شعبة العلوم والتكنولوجيات الكهربائية",
    ),
    _stream(
        "1BAC",
        "STM",
        "Sciences et technologies mécaniques",
        "شعبة العلوم والتكنولوجيات الميكانيكية",
    ),
    # Original education (التعليم الأصيل)
    _stream("1BAC", "SCH", "Sciences charaïques (enseignement originel)", "شعبة العلوم الشرعية"),
    _stream("1BAC", "LAR", "Langue arabe (enseignement originel)", "شعبة اللغة العربية"),
    # 2ème année du baccalauréat
    _stream("2BAC", "SP+", "Sciences physiques et chimiques", "مسلك العلوم الفيزيائية"),
    _stream("2BAC", "SVT+", "Sciences de la vie et de la terre", "مسلك علوم الحياة والأرض"),
    _stream("2BAC", "SA+", "Sciences agronomiques", "مسلك العلوم الزراعية"),
    _stream("2BAC", "SMA+", "Sciences mathématiques A", "مسلك العلوم الرياضية (أ)"),
    _stream("2BAC", "SMB+", "Sciences mathématiques B", "مسلك العلوم الرياضية (ب)"),
    _stream("2BAC", "SEC", "Sciences économiques", "مسلك العلوم الاقتصادية"),
    _stream("2BAC", "SGC", "Sciences de gestion comptable", "مسلك علوم التدبير المحاسباتي"),
    _stream("2BAC", "LET", "Lettres", "مسلك الآداب"),
    _stream("2BAC", "SH", "Sciences humaines", "مسلك العلوم الإنسانية"),
    _stream(
        "2BAC",
        "STE",
        "Sciences et technologies électriques",
        "مسلك العلوم والتكنولوجيات الكهربائية",
    ),
    _stream(
        "2BAC",
        "STM",
        "Sciences et technologies mécaniques",
        "مسلك العلوم والتكنولوجيات الميكانيكية",
    ),
    # Original education (التعليم الأصيل)
    _stream("2BAC", "SCH", "Sciences charaïques (enseignement originel)", "مسلك العلوم الشرعية"),
    _stream("2BAC", "LAR", "Langue arabe (enseignement originel)", "مسلك اللغة العربية"),
)

STREAMS: tuple[Stream, ...] = tuple(s for group in _STREAM_GROUPS for s in group)

# ------------------------------------------------------------------------- subjects

SUBJECTS: tuple[Subject, ...] = (
    # Languages
    Subject("AR", "Langue arabe", "اللغة العربية"),
    Subject("FR", "Langue française", "اللغة الفرنسية"),
    Subject("AMZ", "Langue amazighe", "اللغة الأمازيغية"),
    Subject("ANG", "Langue anglaise", "اللغة الإنجليزية"),
    # Second foreign language offered instead of English in some lycées.
    Subject("ESP", "Langue espagnole", "اللغة الإسبانية"),
    Subject("ALL", "Langue allemande", "اللغة الألمانية"),
    Subject("ITA", "Langue italienne", "اللغة الإيطالية"),
    Subject("TRAD", "Traduction", "الترجمة"),
    # Humanities
    Subject("EI", "Éducation islamique", "التربية الإسلامية"),
    Subject(
        "SOC",
        "Sciences sociales (histoire, géographie, éducation à la citoyenneté)",
        "الاجتماعيات",
    ),
    Subject("HG", "Histoire et géographie", "التاريخ والجغرافيا"),
    Subject("PHILO", "Philosophie", "الفلسفة"),
    # Sciences
    Subject("MATH", "Mathématiques", "الرياضيات"),
    Subject("ACTSC", "Activité scientifique", "النشاط العلمي"),
    Subject("PC", "Physique et chimie", "الفيزياء والكيمياء"),
    Subject("SVT", "Sciences de la vie et de la terre", "علوم الحياة والأرض"),
    Subject("AGRO", "Sciences agronomiques", "العلوم الزراعية"),
    Subject("SI", "Sciences de l'ingénieur", "علوم المهندس"),
    Subject("TECH", "Technologie", "التكنولوجيا"),
    Subject("INFO", "Informatique", "المعلوميات"),
    # Economics and management
    Subject("ECO", "Économie générale et statistiques", "الاقتصاد العام والإحصاء"),
    Subject(
        "EOAE",
        "Économie et organisation administrative des entreprises",
        "الاقتصاد والتنظيم الإداري للمقاولات",
    ),
    Subject("COMPTA", "Comptabilité et mathématiques financières", "المحاسبة والرياضيات المالية"),
    Subject("DROIT", "Droit", "القانون"),
    Subject("INFOG", "Informatique de gestion", "معلوميات التدبير"),
    # Arts, family education and sport
    Subject("ART", "Éducation artistique", "التربية الفنية"),
    Subject("ARTP", "Arts plastiques", "التربية التشكيلية"),
    Subject("MUS", "Éducation musicale", "التربية الموسيقية"),
    Subject("EF", "Éducation familiale", "التربية الأسرية"),
    Subject("EPS", "Éducation physique et sportive", "التربية البدنية والرياضية"),
)

# --------------------------------------------------------------------- coefficients


def _coefficients(
    level_code: str, stream_code: str | None, table: dict[str, int]
) -> tuple[Coefficient, ...]:
    return tuple(
        Coefficient(level_code, stream_code, subject_code, Decimal(value))
        for subject_code, value in table.items()
    )


# Primary: every subject counts once. "Sciences sociales" start in the 3rd year.
_PRIMARY_1_2 = {
    "AR": 1,
    "FR": 1,
    "AMZ": 1,
    "EI": 1,
    "MATH": 1,
    "ACTSC": 1,
    "ART": 1,
    "EPS": 1,
}
_PRIMARY_3_6 = {**_PRIMARY_1_2, "SOC": 1}

# Collège. English is taught from 1AC since 2023 (it used to start in 3AC).
_COLLEGE = {
    "AR": 3,
    "FR": 3,
    "ANG": 2,
    "EI": 2,
    "SOC": 2,
    "MATH": 3,
    "PC": 2,
    "SVT": 2,
    "INFO": 1,
    "TECH": 1,
    "ARTP": 1,
    "MUS": 1,
    "EF": 1,
    "EPS": 1,
}

# Tronc commun.
_TC_SCIENCE = {
    "AR": 2,
    "FR": 3,
    "ANG": 2,
    "EI": 2,
    "HG": 2,
    "PHILO": 2,
    "MATH": 4,
    "PC": 4,
    "SVT": 4,
    "INFO": 1,
    "EPS": 1,
}
_TC_TECHNO = {
    "AR": 2,
    "FR": 3,
    "ANG": 2,
    "EI": 2,
    "HG": 2,
    "PHILO": 2,
    "MATH": 4,
    "PC": 4,
    "SI": 4,
    "INFO": 1,
    "EPS": 1,
}
_TC_LETTRES = {
    "AR": 4,
    "FR": 4,
    "ANG": 3,
    "EI": 2,
    "HG": 4,
    "PHILO": 2,
    "MATH": 1,
    "SVT": 1,
    "INFO": 1,
    "EPS": 1,
}

# 1BAC: Arabic, French, Islamic education and history-geography are the subjects of the
# regional exam for the scientific, technological and economic streams.
_BAC1_COMMON = {"AR": 2, "FR": 4, "ANG": 2, "EI": 2, "HG": 2, "PHILO": 2, "EPS": 1}
_BAC1_SE = {**_BAC1_COMMON, "MATH": 7, "PC": 7, "SVT": 7}
_BAC1_SM = {**_BAC1_COMMON, "MATH": 9, "PC": 7, "SVT": 3}
_BAC1_ST = {**_BAC1_COMMON, "MATH": 7, "PC": 5, "SI": 7, "TRAD": 1}
_BAC1_SEG = {
    **_BAC1_COMMON,
    "MATH": 4,
    "ECO": 4,
    "COMPTA": 4,
    "EOAE": 3,
    "DROIT": 2,
    "INFOG": 1,
}
_BAC1_LSH = {
    "AR": 4,
    "FR": 4,
    "ANG": 3,
    "EI": 2,
    "HG": 3,
    "PHILO": 3,
    "MATH": 1,
    "EPS": 1,
}

# 2BAC: the subjects of the national exam with their exam coefficients, plus sport.
_BAC2_COMMON = {"PHILO": 2, "ANG": 2, "EPS": 1}
_BAC2_SP = {**_BAC2_COMMON, "MATH": 7, "PC": 7, "SVT": 5}
_BAC2_SVT = {**_BAC2_COMMON, "MATH": 7, "PC": 5, "SVT": 7}
_BAC2_SA = {**_BAC2_COMMON, "MATH": 5, "PC": 5, "SVT": 5, "AGRO": 7}
_BAC2_SMA = {**_BAC2_COMMON, "MATH": 9, "PC": 7, "SVT": 3}
_BAC2_SMB = {**_BAC2_COMMON, "MATH": 9, "PC": 7, "SI": 3}
_BAC2_ST = {**_BAC2_COMMON, "MATH": 7, "PC": 5, "SI": 8, "TRAD": 1}
_BAC2_SEC = {
    **_BAC2_COMMON,
    "MATH": 4,
    "ECO": 6,
    "COMPTA": 4,
    "EOAE": 3,
    "DROIT": 2,
    "INFOG": 1,
}
_BAC2_SGC = {
    **_BAC2_COMMON,
    "MATH": 4,
    "ECO": 3,
    "COMPTA": 6,
    "EOAE": 6,
    "DROIT": 2,
    "INFOG": 2,
}
_BAC2_LET = {"AR": 4, "ANG": 4, "PHILO": 3, "HG": 3, "EPS": 1}
_BAC2_SH = {"AR": 3, "ANG": 3, "PHILO": 4, "HG": 4, "EPS": 1}

# Arabic-taught scientific streams also have a translation course; the "option
# française" streams do not.
_TRAD = {"TRAD": 1}

_COEFFICIENT_GROUPS: tuple[tuple[Coefficient, ...], ...] = (
    *(_coefficients(level, None, _PRIMARY_1_2) for level in ("1AP", "2AP")),
    *(_coefficients(level, None, _PRIMARY_3_6) for level in ("3AP", "4AP", "5AP", "6AP")),
    *(_coefficients(level, None, _COLLEGE) for level in ("1AC", "2AC", "3AC")),
    _coefficients("TC", "S", _TC_SCIENCE),
    _coefficients("TC", "SF", _TC_SCIENCE),
    _coefficients("TC", "T", _TC_TECHNO),
    _coefficients("TC", "TF", _TC_TECHNO),
    _coefficients("TC", "LSH", _TC_LETTRES),
    _coefficients("1BAC", "SE", {**_BAC1_SE, **_TRAD}),
    _coefficients("1BAC", "SEF", _BAC1_SE),
    _coefficients("1BAC", "SM", {**_BAC1_SM, **_TRAD}),
    _coefficients("1BAC", "SMF", _BAC1_SM),
    _coefficients("1BAC", "SEG", _BAC1_SEG),
    _coefficients("1BAC", "LSH", _BAC1_LSH),
    _coefficients("1BAC", "STE", _BAC1_ST),
    _coefficients("1BAC", "STM", _BAC1_ST),
    _coefficients("2BAC", "SP", {**_BAC2_SP, **_TRAD}),
    _coefficients("2BAC", "SPF", _BAC2_SP),
    _coefficients("2BAC", "SVT", {**_BAC2_SVT, **_TRAD}),
    _coefficients("2BAC", "SVTF", _BAC2_SVT),
    _coefficients("2BAC", "SA", {**_BAC2_SA, **_TRAD}),
    _coefficients("2BAC", "SAF", _BAC2_SA),
    _coefficients("2BAC", "SMA", {**_BAC2_SMA, **_TRAD}),
    _coefficients("2BAC", "SMAF", _BAC2_SMA),
    _coefficients("2BAC", "SMB", {**_BAC2_SMB, **_TRAD}),
    _coefficients("2BAC", "SMBF", _BAC2_SMB),
    _coefficients("2BAC", "SEC", _BAC2_SEC),
    _coefficients("2BAC", "SGC", _BAC2_SGC),
    _coefficients("2BAC", "LET", _BAC2_LET),
    _coefficients("2BAC", "SH", _BAC2_SH),
    _coefficients("2BAC", "STE", _BAC2_ST),
    _coefficients("2BAC", "STM", _BAC2_ST),
)

COEFFICIENTS: tuple[Coefficient, ...] = tuple(c for group in _COEFFICIENT_GROUPS for c in group)

# ---------------------------------------------------------------------------- units


def _units(
    level_code: str, subject_code: str, titles: tuple[tuple[str, str], ...]
) -> tuple[Unit, ...]:
    return tuple(
        Unit(level_code, subject_code, rank, title_fr, title_ar)
        for rank, (title_fr, title_ar) in enumerate(titles, start=1)
    )


# The collège Arabic textbooks are organised in the same six thematic domains each year.
_AR_COLLEGE: tuple[tuple[str, str], ...] = (
    ("Domaine des valeurs islamiques", "مجال القيم الإسلامية"),
    ("Domaine des valeurs nationales et humaines", "مجال القيم الوطنية والإنسانية"),
    ("Domaine social et économique", "المجال الاجتماعي والاقتصادي"),
    ("Domaine de la population", "المجال السكاني"),
    ("Domaine de la civilisation", "المجال الحضاري"),
    ("Domaine artistique et culturel", "المجال الفني والثقافي"),
)

_UNIT_GROUPS: tuple[tuple[Unit, ...], ...] = (
    # ------------------------------------------------------------------ 1AC
    _units(
        "1AC",
        "MATH",
        (
            (
                "Opérations sur les nombres entiers naturels et décimaux",
                "العمليات على الأعداد الصحيحة الطبيعية والأعداد العشرية",
            ),
            ("Les fractions", "الأعداد الكسرية"),
            ("Les nombres décimaux relatifs", "الأعداد العشرية النسبية"),
            ("Le calcul littéral et les équations", "الحساب الحرفي والمعادلات"),
            ("La proportionnalité", "التناسبية"),
            (
                "Droites parallèles et droites perpendiculaires",
                "المستقيمات المتوازية والمستقيمات المتعامدة",
            ),
            ("Les angles", "الزوايا"),
            ("Le triangle", "المثلث"),
            ("La symétrie axiale", "التماثل المحوري"),
            ("La symétrie centrale", "التماثل المركزي"),
            ("Le parallélogramme", "متوازي الأضلاع"),
            ("Le parallélépipède rectangle et le cube", "متوازي المستطيلات القائم والمكعب"),
        ),
    ),
    _units(
        "1AC",
        "PC",
        (
            ("L'eau dans la nature", "الماء في الطبيعة"),
            ("Les trois états de la matière", "الحالات الثلاث للمادة"),
            ("Masse, volume et masse volumique", "الكتلة والحجم والكتلة الحجمية"),
            ("La pression et la pression atmosphérique", "الضغط والضغط الجوي"),
            ("Le modèle particulaire de la matière", "النموذج الدقائقي للمادة"),
            ("Température et changements d'état", "درجة الحرارة وتغيرات الحالة الفيزيائية"),
            ("Mélanges homogènes et hétérogènes", "الخلائط المتجانسة وغير المتجانسة"),
            ("Séparation des constituants d'un mélange", "فصل مكونات خليط"),
            ("Le circuit électrique simple", "الدارة الكهربائية البسيطة"),
            ("Conducteurs et isolants électriques", "الموصلات والعوازل الكهربائية"),
            ("Montages en série et en parallèle", "التركيب على التوالي والتركيب على التوازي"),
        ),
    ),
    _units(
        "1AC",
        "SVT",
        (
            ("Exploration d'un milieu naturel", "استكشاف وسط طبيعي"),
            (
                "Les facteurs du milieu et la répartition des êtres vivants",
                "عوامل الوسط وتوزيع الكائنات الحية",
            ),
            ("La classification des êtres vivants", "تصنيف الكائنات الحية"),
            (
                "Les relations alimentaires entre les êtres vivants",
                "العلاقات الغذائية بين الكائنات الحية",
            ),
            ("Les équilibres naturels et l'action de l'homme", "التوازنات الطبيعية وتدخل الإنسان"),
            ("La respiration chez les êtres vivants", "التنفس عند الكائنات الحية"),
            ("La nutrition chez les plantes vertes", "التغذية عند النباتات الخضراء"),
            ("Le régime alimentaire des animaux", "النظام الغذائي عند الحيوانات"),
        ),
    ),
    _units(
        "1AC",
        "FR",
        (
            ("Le conte merveilleux", "الحكاية العجيبة"),
            ("La fable", "الخرافة"),
            ("Le récit d'aventures", "حكاية المغامرة"),
            ("La description", "الوصف"),
            ("Le dialogue dans le récit", "الحوار في السرد"),
            ("La lettre", "الرسالة"),
            ("La bande dessinée", "الشريط المرسوم"),
            ("La poésie", "الشعر"),
        ),
    ),
    _units("1AC", "AR", _AR_COLLEGE),
    # ------------------------------------------------------------------ 2AC
    _units(
        "2AC",
        "MATH",
        (
            ("Les nombres rationnels : addition et soustraction", "الأعداد الجذرية: الجمع والطرح"),
            (
                "Les nombres rationnels : multiplication et division",
                "الأعداد الجذرية: الضرب والقسمة",
            ),
            ("Les puissances", "القوى"),
            ("Développement et factorisation", "النشر والتعميل"),
            ("Les équations", "المعادلات"),
            ("L'ordre et les opérations", "الترتيب والعمليات"),
            ("Les droites remarquables d'un triangle", "المستقيمات الهامة في مثلث"),
            ("Le triangle rectangle et le cercle", "المثلث القائم الزاوية والدائرة"),
            ("Le théorème de Pythagore", "مبرهنة فيثاغورس"),
            ("La pyramide et le cône de révolution", "الهرم والمخروط الدوراني"),
            ("Les statistiques", "الإحصاء"),
        ),
    ),
    _units(
        "2AC",
        "PC",
        (
            ("L'air qui nous entoure", "الهواء من حولنا"),
            ("Les molécules et les atomes", "الجزيئات والذرات"),
            ("Les combustions", "الاحتراقات"),
            ("La réaction chimique", "التفاعل الكيميائي"),
            ("La loi de conservation de la masse", "قانون انحفاظ الكتلة"),
            ("La pollution de l'air", "تلوث الهواء"),
            ("Sources et récepteurs de lumière", "مصادر الضوء ومستقبلاته"),
            ("La propagation de la lumière", "انتشار الضوء"),
            (
                "Applications de la propagation rectiligne de la lumière",
                "تطبيقات الانتشار المستقيمي للضوء",
            ),
            ("La dispersion de la lumière", "تبدد الضوء"),
            ("Les lentilles minces", "العدسات الرقيقة"),
        ),
    ),
    _units(
        "2AC",
        "SVT",
        (
            ("L'érosion et ses facteurs", "التعرية وعواملها"),
            ("Le transport et la sédimentation", "النقل والترسب"),
            ("Les roches sédimentaires", "الصخور الرسوبية"),
            (
                "Les fossiles et la reconstitution des milieux anciens",
                "المستحاثات وإعادة تشكيل الأوساط القديمة",
            ),
            ("Les séismes", "الزلازل"),
            ("Les volcans", "البراكين"),
            ("La tectonique des plaques", "تكتونية الصفائح"),
        ),
    ),
    _units(
        "2AC",
        "FR",
        (
            ("La nouvelle", "الأقصوصة"),
            ("Le récit d'aventures", "رواية المغامرات"),
            ("Le portrait", "البورتريه"),
            ("Le texte explicatif", "النص التفسيري"),
            ("Le théâtre", "المسرح"),
            ("La lettre personnelle", "الرسالة الشخصية"),
            ("Le fait divers", "الخبر المتفرق"),
            ("La poésie", "الشعر"),
        ),
    ),
    _units("2AC", "AR", _AR_COLLEGE),
    # ------------------------------------------------------------------ 3AC
    _units(
        "3AC",
        "MATH",
        (
            ("Les identités remarquables", "المتطابقات الهامة"),
            ("Les racines carrées", "الجذور المربعة"),
            ("L'ordre et les opérations", "الترتيب والعمليات"),
            ("Le théorème de Thalès", "مبرهنة طاليس"),
            ("La trigonométrie", "الحساب المثلثي"),
            ("Angles inscrits et angles au centre", "الزوايا المحيطية والزوايا المركزية"),
            (
                "Triangles isométriques et triangles semblables",
                "المثلثات المتقايسة والمثلثات المتشابهة",
            ),
            ("Équations et inéquations", "المعادلات والمتراجحات"),
            ("Systèmes de deux équations à deux inconnues", "النظمات"),
            ("Fonctions linéaires et fonctions affines", "الدالة الخطية والدالة التآلفية"),
            ("Vecteurs et translation", "المتجهات والإزاحة"),
            ("Repère dans le plan et équation d'une droite", "المعلم في المستوى ومعادلة مستقيم"),
        ),
    ),
    _units(
        "3AC",
        "PC",
        (
            ("Les matériaux de la vie quotidienne", "المواد المستعملة في حياتنا اليومية"),
            ("Réaction de quelques métaux avec l'air", "تفاعل بعض الفلزات مع الهواء"),
            ("Solutions acides et solutions basiques", "المحاليل الحمضية والمحاليل القاعدية"),
            (
                "Réaction des solutions acides et basiques avec les métaux",
                "تفاعل المحاليل الحمضية والقاعدية مع الفلزات",
            ),
            ("Tests d'identification de quelques ions", "روائز الكشف عن بعض الأيونات"),
            ("Mouvement et repos", "الحركة والسكون"),
            ("Actions mécaniques et forces", "التأثيرات الميكانيكية والقوى"),
            ("Équilibre d'un corps soumis à deux forces", "توازن جسم خاضع لقوتين"),
            ("Poids et masse", "الوزن والكتلة"),
            ("La résistance électrique", "المقاومة الكهربائية"),
            ("La loi d'Ohm", "قانون أوم"),
            ("Puissance et énergie électriques", "القدرة الكهربائية والطاقة الكهربائية"),
        ),
    ),
    _units(
        "3AC",
        "SVT",
        (
            ("Les aliments et leurs constituants", "الأغذية ومكوناتها"),
            ("La digestion et l'absorption", "الهضم والامتصاص"),
            ("La respiration chez l'homme", "التنفس عند الإنسان"),
            ("La circulation sanguine", "الدوران الدموي"),
            ("L'excrétion urinaire", "الإفراز البولي"),
            ("L'éducation nutritionnelle", "التربية الغذائية"),
            ("La communication nerveuse", "التواصل العصبي"),
            ("L'immunité", "المناعة"),
            ("La reproduction humaine", "التوالد عند الإنسان"),
        ),
    ),
    _units(
        "3AC",
        "FR",
        (
            ("Le récit de vie", "السيرة الذاتية"),
            ("La nouvelle réaliste", "الأقصوصة الواقعية"),
            ("Le théâtre", "المسرح"),
            ("Le texte informatif et la presse", "النص الإخباري والصحافة"),
            ("Le texte argumentatif", "النص الحجاجي"),
            ("La poésie lyrique", "الشعر الغنائي"),
            ("La lettre officielle", "الرسالة الإدارية"),
        ),
    ),
    _units("3AC", "AR", _AR_COLLEGE),
    # ------------------------------------------------------------------- TC
    _units(
        "TC",
        "MATH",
        (
            (
                "Les entiers naturels et notions d'arithmétique",
                "مجموعة الأعداد الصحيحة الطبيعية ومبادئ في الحسابيات",
            ),
            ("Les ensembles de nombres N, Z, D, Q et R", "مجموعات الأعداد N وZ وD وQ وR"),
            ("L'ordre dans R", "الترتيب في R"),
            ("Les polynômes", "الحدوديات"),
            ("Équations, inéquations et systèmes", "المعادلات والمتراجحات والنظمات"),
            ("Le calcul vectoriel dans le plan", "الحساب المتجهي في المستوى"),
            ("La projection dans le plan", "الإسقاط في المستوى"),
            ("La droite dans le plan", "المستقيم في المستوى"),
            ("Généralités sur les fonctions", "عموميات حول الدوال"),
            ("Le calcul trigonométrique", "الحساب المثلثي"),
            ("Les transformations du plan", "التحويلات في المستوى"),
            ("La géométrie dans l'espace", "الهندسة الفضائية"),
        ),
    ),
    _units(
        "TC",
        "PC",
        (
            ("La gravitation universelle", "التجاذب الكوني"),
            ("Exemples d'actions mécaniques", "أمثلة لتأثيرات ميكانيكية"),
            ("Le mouvement", "الحركة"),
            ("Le principe d'inertie", "مبدأ القصور"),
            (
                "Équilibre d'un corps soumis à trois forces non parallèles",
                "توازن جسم صلب خاضع لثلاث قوى غير متوازية",
            ),
            (
                "Équilibre d'un corps solide mobile autour d'un axe fixe",
                "توازن جسم صلب قابل للدوران حول محور ثابت",
            ),
            (
                "Le courant électrique continu et la tension électrique",
                "التيار الكهربائي المستمر والتوتر الكهربائي",
            ),
            (
                "Caractéristiques de quelques dipôles passifs",
                "مميزات بعض ثنائيات القطب غير النشيطة",
            ),
            (
                "Les espèces chimiques : extraction, séparation et identification",
                "الأنواع الكيميائية: الاستخراج والفصل والكشف",
            ),
            (
                "Le modèle de l'atome et la classification périodique",
                "نموذج الذرة والترتيب الدوري للعناصر الكيميائية",
            ),
            ("La quantité de matière : la mole", "كمية المادة: المول"),
            ("La transformation chimique d'un système", "التحول الكيميائي لمجموعة كيميائية"),
        ),
    ),
    _units(
        "TC",
        "SVT",
        (
            (
                "Sortie géologique et étude d'un milieu sédimentaire",
                "خرجة جيولوجية ودراسة وسط رسوبي",
            ),
            ("L'érosion, le transport et la sédimentation", "التعرية والنقل والترسب"),
            ("Les roches sédimentaires et leur formation", "الصخور الرسوبية وظروف تشكلها"),
            ("La reconstitution des paléoenvironnements", "إعادة تشكيل الأوساط القديمة"),
            ("La stratigraphie et la datation relative", "الاستراتيغرافيا والتأريخ النسبي"),
            ("Les échanges gazeux chlorophylliens", "التبادلات الغازية اليخضورية"),
            ("La production de matière organique", "إنتاج المادة العضوية"),
            ("L'absorption de l'eau et des sels minéraux", "امتصاص الماء والأملاح المعدنية"),
            ("La circulation de la sève", "دوران النسغ عند النباتات"),
            ("La reproduction sexuée chez les plantes", "التوالد الجنسي عند النباتات"),
        ),
    ),
    _units(
        "TC",
        "FR",
        (
            (
                "La nouvelle fantastique : « Le Chevalier double » de Théophile Gautier",
                "القصة العجائبية: «الفارس المزدوج» لتيوفيل غوتييه",
            ),
            (
                "La nouvelle réaliste : contes et nouvelles de Maupassant",
                "القصة الواقعية: حكايات وأقاصيص موباسان",
            ),
            (
                "Le roman : « Il était une fois un vieux couple heureux » de Mohammed Khaïr-Eddine",
                "الرواية: «كان يا ما كان زوجان عجوزان سعيدان» لمحمد خير الدين",
            ),
            ("Le théâtre : la comédie", "المسرح: الكوميديا"),
            ("La poésie", "الشعر"),
            ("Le texte argumentatif", "النص الحجاجي"),
        ),
    ),
    _units(
        "TC",
        "AR",
        (
            ("Les valeurs islamiques", "القيم الإسلامية"),
            ("Les valeurs nationales et humaines", "القيم الوطنية والإنسانية"),
            ("Questions sociales", "القضايا الاجتماعية"),
            ("La nature et l'environnement", "الطبيعة والبيئة"),
            ("Les arts et la création", "الفنون والإبداع"),
            ("Sciences et technologie", "العلوم والتقنية"),
        ),
    ),
)

UNITS: tuple[Unit, ...] = tuple(u for group in _UNIT_GROUPS for u in group)
