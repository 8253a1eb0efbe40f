"""The national catalogue of didactic equipment (matériel didactique), loaded by a migration.

Codes are stable keys (ids derive from them); names follow the ministry's usual wording in
French and Arabic. Central staff add articles through the API; this list is the common base.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name_fr: str
    name_ar: str


@dataclass(frozen=True, slots=True)
class Item:
    category: str
    code: str
    name_fr: str
    name_ar: str
    unit: str


CATEGORIES = (
    Category("LAB-VER", "Verrerie de laboratoire", "الأواني الزجاجية للمختبر"),
    Category("LAB-OPT", "Optique et microscopie", "البصريات والمجهريات"),
    Category("LAB-PC", "Matériel de physique-chimie", "عتاد الفيزياء والكيمياء"),
    Category("LAB-SVT", "Matériel de sciences de la vie et de la Terre", "عتاد علوم الحياة والأرض"),
    Category("SECU", "Sécurité du laboratoire", "السلامة بالمختبر"),
    Category("MATH", "Matériel de mathématiques", "عتاد الرياضيات"),
    Category("INFO", "Informatique et multimédia", "المعلوميات والوسائط المتعددة"),
    Category("GEO", "Histoire-géographie", "التاريخ والجغرافيا"),
    Category("EPS", "Éducation physique et sportive", "التربية البدنية والرياضة"),
    Category("CLASSE", "Mobilier et matériel de classe", "أثاث وعتاد القسم"),
    Category("PRIM", "Matériel du primaire", "عتاد التعليم الابتدائي"),
)

ITEMS = (
    # Verrerie
    Item("LAB-VER", "VER-BECH-250", "Bécher 250 mL", "كأس مدرج 250 مل", "pièce"),
    Item("LAB-VER", "VER-ERL-250", "Erlenmeyer 250 mL", "دورق مخروطي 250 مل", "pièce"),
    Item("LAB-VER", "VER-EPR-100", "Éprouvette graduée 100 mL", "مخبار مدرج 100 مل", "pièce"),
    Item(
        "LAB-VER",
        "VER-TUB-ESS",
        "Tubes à essai (boîte de 100)",
        "أنابيب اختبار (علبة 100)",
        "boîte",
    ),
    Item("LAB-VER", "VER-PIP-10", "Pipette jaugée 10 mL", "ماصة معيارية 10 مل", "pièce"),
    Item("LAB-VER", "VER-BUR-25", "Burette graduée 25 mL", "سحاحة مدرجة 25 مل", "pièce"),
    Item("LAB-VER", "VER-FIOLE-100", "Fiole jaugée 100 mL", "حوجلة معيارية 100 مل", "pièce"),
    Item("LAB-VER", "VER-ENT", "Entonnoir en verre", "قمع زجاجي", "pièce"),
    Item(
        "LAB-VER", "VER-LAMES", "Lames porte-objet (boîte de 50)", "صفائح زجاجية (علبة 50)", "boîte"
    ),
    # Optique
    Item(
        "LAB-OPT", "OPT-MICRO", "Microscope optique monoculaire", "مجهر ضوئي أحادي العين", "pièce"
    ),
    Item(
        "LAB-OPT",
        "OPT-MICRO-BIN",
        "Microscope optique binoculaire",
        "مجهر ضوئي ثنائي العين",
        "pièce",
    ),
    Item("LAB-OPT", "OPT-LOUPE-BIN", "Loupe binoculaire", "مكبرة ثنائية العين", "pièce"),
    Item("LAB-OPT", "OPT-LOUPE", "Loupe à main", "مكبرة يدوية", "pièce"),
    Item("LAB-OPT", "OPT-BANC", "Banc d'optique complet", "مقعد بصري كامل", "kit"),
    # Physique-chimie
    Item("LAB-PC", "PC-MULTI", "Multimètre numérique", "جهاز متعدد القياسات رقمي", "pièce"),
    Item("LAB-PC", "PC-GBF", "Générateur basses fréquences", "مولد ذو ترددات منخفضة", "pièce"),
    Item("LAB-PC", "PC-OSC", "Oscilloscope numérique", "راسم التذبذب الرقمي", "pièce"),
    Item(
        "LAB-PC",
        "PC-ALIM",
        "Alimentation stabilisée 0-30 V",
        "مولد كهربائي مستقر 0-30 فولط",
        "pièce",
    ),
    Item("LAB-PC", "PC-BAL", "Balance électronique 0,01 g", "ميزان إلكتروني 0,01 غ", "pièce"),
    Item("LAB-PC", "PC-PH", "pH-mètre", "جهاز قياس pH", "pièce"),
    Item("LAB-PC", "PC-CHAUF", "Chauffe-ballon", "مسخن كروي", "pièce"),
    Item(
        "LAB-PC",
        "PC-ELEC",
        "Kit d'électricité (circuits élémentaires)",
        "عدة الكهرباء (دارات بسيطة)",
        "kit",
    ),
    Item(
        "LAB-PC",
        "PC-MECA",
        "Kit de mécanique (poulies, dynamomètres)",
        "عدة الميكانيك (بكرات ودينامومترات)",
        "kit",
    ),
    # SVT
    Item("LAB-SVT", "SVT-SQUEL", "Squelette humain (modèle)", "هيكل عظمي بشري (نموذج)", "pièce"),
    Item("LAB-SVT", "SVT-TORSE", "Torse humain démontable", "جذع بشري قابل للتفكيك", "pièce"),
    Item("LAB-SVT", "SVT-DISS", "Trousse à dissection", "عدة التشريح", "kit"),
    Item(
        "LAB-SVT", "SVT-ROCHES", "Collection de roches et minéraux", "مجموعة صخور ومعادن", "boîte"
    ),
    Item(
        "LAB-SVT",
        "SVT-LAMES",
        "Lames préparées de botanique (boîte de 25)",
        "صفائح محضرة للنبات (علبة 25)",
        "boîte",
    ),
    # Sécurité
    Item("SECU", "SEC-BLOUSE", "Blouse de laboratoire", "وزرة المختبر", "pièce"),
    Item("SECU", "SEC-LUNET", "Lunettes de protection", "نظارات واقية", "pièce"),
    Item("SECU", "SEC-GANTS", "Gants nitrile (boîte de 100)", "قفازات النتريل (علبة 100)", "boîte"),
    Item("SECU", "SEC-EXT", "Extincteur CO2 2 kg", "مطفأة حريق CO2 2 كلغ", "pièce"),
    Item("SECU", "SEC-PHARMA", "Trousse de premiers secours", "علبة الإسعافات الأولية", "kit"),
    # Mathématiques
    Item("MATH", "MATH-GEOM", "Kit de géométrie pour tableau", "عدة الهندسة للسبورة", "kit"),
    Item("MATH", "MATH-SOLIDES", "Solides géométriques (jeu)", "مجسمات هندسية (مجموعة)", "kit"),
    Item("MATH", "MATH-CALC", "Calculatrice scientifique", "آلة حاسبة علمية", "pièce"),
    Item("MATH", "MATH-RAPP", "Rapporteur de tableau", "منقلة السبورة", "pièce"),
    # Informatique
    Item("INFO", "INFO-PC", "Ordinateur de bureau", "حاسوب مكتبي", "pièce"),
    Item("INFO", "INFO-PORT", "Ordinateur portable", "حاسوب محمول", "pièce"),
    Item("INFO", "INFO-VP", "Vidéoprojecteur", "جهاز العرض الضوئي", "pièce"),
    Item("INFO", "INFO-TBI", "Tableau blanc interactif", "سبورة تفاعلية", "pièce"),
    Item("INFO", "INFO-ECRAN", "Écran de projection", "شاشة العرض", "pièce"),
    Item("INFO", "INFO-IMPR", "Imprimante laser", "طابعة ليزر", "pièce"),
    Item("INFO", "INFO-TAB", "Tablette numérique", "لوحة رقمية", "pièce"),
    Item("INFO", "INFO-ROUT", "Routeur Wi-Fi", "موجه لاسلكي", "pièce"),
    Item("INFO", "INFO-ONDUL", "Onduleur", "جهاز عدم انقطاع التيار", "pièce"),
    # Histoire-géographie
    Item("GEO", "GEO-MAROC", "Carte murale du Maroc", "خريطة حائطية للمغرب", "pièce"),
    Item("GEO", "GEO-MONDE", "Planisphère mural", "خريطة العالم الحائطية", "pièce"),
    Item("GEO", "GEO-AFRIQUE", "Carte murale de l'Afrique", "خريطة حائطية لإفريقيا", "pièce"),
    Item("GEO", "GEO-GLOBE", "Globe terrestre", "كرة أرضية", "pièce"),
    Item("GEO", "GEO-ATLAS", "Atlas scolaire", "أطلس مدرسي", "pièce"),
    # EPS
    Item("EPS", "EPS-FOOT", "Ballon de football", "كرة القدم", "pièce"),
    Item("EPS", "EPS-BASKET", "Ballon de basket-ball", "كرة السلة", "pièce"),
    Item("EPS", "EPS-HAND", "Ballon de handball", "كرة اليد", "pièce"),
    Item("EPS", "EPS-VOLLEY", "Ballon de volley-ball", "الكرة الطائرة", "pièce"),
    Item("EPS", "EPS-FILET", "Filet de volley-ball", "شبكة الكرة الطائرة", "pièce"),
    Item("EPS", "EPS-PLOTS", "Plots et coupelles (lot de 20)", "أقماع التدريب (مجموعة 20)", "kit"),
    Item("EPS", "EPS-CHRONO", "Chronomètre", "ميقاتية", "pièce"),
    Item("EPS", "EPS-TAPIS", "Tapis de gymnastique", "بساط الجمباز", "pièce"),
    Item("EPS", "EPS-CHASUB", "Chasubles (lot de 10)", "صدريات (مجموعة 10)", "kit"),
    # Classe
    Item("CLASSE", "CL-TABLE", "Table-banc d'élève", "طاولة التلميذ", "pièce"),
    Item("CLASSE", "CL-TABLEAU", "Tableau blanc", "سبورة بيضاء", "pièce"),
    Item("CLASSE", "CL-ARMOIRE", "Armoire métallique", "خزانة معدنية", "pièce"),
    # Primaire
    Item(
        "PRIM",
        "PRIM-ALPHA",
        "Cartes de lecture arabe-français",
        "بطاقات القراءة عربي-فرنسي",
        "boîte",
    ),
    Item(
        "PRIM", "PRIM-ABAQUE", "Boulier et réglettes de calcul", "العداد والمساطر الحسابية", "kit"
    ),
    Item("PRIM", "PRIM-SCIENCES", "Mallette d'éveil scientifique", "حقيبة الإيقاظ العلمي", "kit"),
)
