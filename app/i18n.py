"""Texts a person reads, in Arabic, French and English, chosen by `Accept-Language`."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal

Language = Literal["ar", "fr", "en"]
SUPPORTED: tuple[Language, ...] = ("ar", "fr", "en")
DEFAULT_LANGUAGE: Language = "fr"

current_language: ContextVar[Language] = ContextVar("current_language", default=DEFAULT_LANGUAGE)

MESSAGES: dict[str, dict[Language, str]] = {
    "status.400": {"en": "Bad request", "fr": "Requête invalide", "ar": "طلب غير صالح"},
    "status.401": {"en": "Not authenticated", "fr": "Non authentifié", "ar": "غير مصادق عليه"},
    "status.403": {"en": "Forbidden", "fr": "Accès interdit", "ar": "الولوج ممنوع"},
    "status.404": {"en": "Not found", "fr": "Introuvable", "ar": "غير موجود"},
    "status.405": {
        "en": "Method not allowed",
        "fr": "Méthode non autorisée",
        "ar": "الطريقة غير مسموح بها",
    },
    "status.409": {"en": "Conflict", "fr": "Conflit", "ar": "تعارض"},
    "status.422": {
        "en": "Invalid data",
        "fr": "Données invalides",
        "ar": "بيانات غير صالحة",
    },
    "status.429": {
        "en": "Too many requests",
        "fr": "Trop de requêtes",
        "ar": "طلبات كثيرة جدا",
    },
    "status.500": {
        "en": "Internal error",
        "fr": "Erreur interne",
        "ar": "خطأ داخلي",
    },
    "status.503": {
        "en": "Service unavailable",
        "fr": "Service indisponible",
        "ar": "الخدمة غير متوفرة",
    },
    "auth.bad_credentials": {
        "en": "Wrong username or password.",
        "fr": "Identifiant ou mot de passe incorrect.",
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة.",
    },
    "auth.missing_token": {
        "en": "A bearer access token is required.",
        "fr": "Un jeton d'accès (Bearer) est requis.",
        "ar": "رمز الولوج مطلوب.",
    },
    "auth.invalid_token": {
        "en": "The access token is invalid or has expired.",
        "fr": "Le jeton d'accès est invalide ou a expiré.",
        "ar": "رمز الولوج غير صالح أو منتهي الصلاحية.",
    },
    "auth.invalid_refresh_token": {
        "en": "The refresh token is invalid, expired or already used.",
        "fr": "Le jeton de renouvellement est invalide, expiré ou déjà utilisé.",
        "ar": "رمز التجديد غير صالح أو منتهي الصلاحية أو سبق استعماله.",
    },
    "auth.title_not_allowed": {
        "en": "Your post at the school does not include this work.",
        "fr": "Votre fonction dans l'établissement ne comprend pas cette tâche.",
        "ar": "مهامك في المؤسسة لا تشمل هذا العمل.",
    },
    "auth.role_not_allowed": {
        "en": "Your role may not use this resource.",
        "fr": "Votre rôle ne permet pas d'accéder à cette ressource.",
        "ar": "دورك لا يسمح بالولوج إلى هذا المورد.",
    },
    "error.not_found": {
        "en": "The resource does not exist or is not visible to you.",
        "fr": "La ressource n'existe pas ou ne vous est pas accessible.",
        "ar": "المورد غير موجود أو غير متاح لك.",
    },
    "error.route_not_found": {
        "en": "No such path.",
        "fr": "Chemin inexistant.",
        "ar": "مسار غير موجود.",
    },
    "error.method_not_allowed": {
        "en": "This method is not allowed on this path.",
        "fr": "Cette méthode n'est pas autorisée sur ce chemin.",
        "ar": "هذه الطريقة غير مسموح بها على هذا المسار.",
    },
    "error.validation": {
        "en": "Some fields are invalid; see errors.",
        "fr": "Certains champs sont invalides ; voir errors.",
        "ar": "بعض الحقول غير صالحة؛ انظر errors.",
    },
    "error.conflict": {
        "en": "The request conflicts with existing data.",
        "fr": "La requête est en conflit avec des données existantes.",
        "ar": "الطلب يتعارض مع بيانات موجودة.",
    },
    "error.invalid_value": {
        "en": "A value is out of the range or the form its field accepts.",
        "fr": "Une valeur est hors de la plage ou du format que son champ accepte.",
        "ar": "إحدى القيم خارج النطاق أو الصيغة المقبولة لحقلها.",
    },
    "error.internal": {
        "en": "An unexpected error occurred. Quote the request id if you report it.",
        "fr": "Une erreur inattendue s'est produite. Citez l'identifiant de requête.",
        "ar": "حدث خطأ غير متوقع. اذكر معرف الطلب عند الإبلاغ عنه.",
    },
    "error.bad_cursor": {
        "en": "The cursor is not one this list issued.",
        "fr": "Le curseur n'a pas été émis par cette liste.",
        "ar": "المؤشر غير صادر عن هذه القائمة.",
    },
    "assessment.locked": {
        "en": "These marks have been submitted: only the school can change them now.",
        "fr": "Ces notes ont été transmises : seul l'établissement peut encore les modifier.",
        "ar": "تم إرسال هذه النقط: لا يمكن تعديلها الآن إلا من طرف المؤسسة.",
    },
    "assessment.kind_taken": {
        "en": "This test already exists for the class, subject and semester.",
        "fr": "Ce contrôle existe déjà pour la classe, la matière et le semestre.",
        "ar": "هذا الفرض موجود بالفعل لهذا القسم والمادة والدورة.",
    },
    "sync.window_passed": {
        "en": "Your last sync is older than the sync window: sync everything afresh.",
        "fr": "La dernière synchronisation dépasse la fenêtre de synchronisation : "
        "synchronisez tout à nouveau.",
        "ar": "آخر مزامنة أقدم من نافذة المزامنة: أعد مزامنة كل شيء من جديد.",
    },
    "assessment.has_marks": {
        "en": "A test with marks cannot be deleted.",
        "fr": "Un contrôle qui a des notes ne peut pas être supprimé.",
        "ar": "لا يمكن حذف فرض يتضمن نقطا.",
    },
    "assessment.marks_missing": {
        "en": "Some pupils have neither a mark nor an absence yet.",
        "fr": "Certains élèves n'ont encore ni note ni absence.",
        "ar": "بعض التلاميذ ليست لهم بعد نقطة ولا غياب.",
    },
    "error.request_too_large": {
        "en": "The request body is too large.",
        "fr": "Le corps de la requête est trop volumineux.",
        "ar": "حجم الطلب كبير جدا.",
    },
    "family.too_many_attempts": {
        "en": "Too many failed attempts: try again in 15 minutes.",
        "fr": "Trop de tentatives échouées : réessayez dans 15 minutes.",
        "ar": "محاولات فاشلة كثيرة: أعد المحاولة بعد 15 دقيقة.",
    },
    "family.link_refused": {
        "en": "These details do not match a code issued by the school.",
        "fr": "Ces informations ne correspondent à aucun code délivré par l'établissement.",
        "ar": "هذه المعلومات لا تطابق أي رمز سلمته المؤسسة.",
    },
    "workflow.not_submitted": {
        "en": "Only marks submitted by the teacher can be validated or returned.",
        "fr": "Seules les notes transmises par l'enseignant peuvent être validées ou renvoyées.",
        "ar": "لا يمكن المصادقة أو الإرجاع إلا للنقط التي أرسلها الأستاذ.",
    },
    "workflow.nothing_to_publish": {
        "en": "No validated marks of this class and semester wait for publication.",
        "fr": "Aucune note validée de cette classe et de ce semestre n'attend de publication.",
        "ar": "لا توجد نقط مصادق عليها لهذا القسم وهذه الدورة في انتظار النشر.",
    },
    "workflow.not_locked": {
        "en": "Only a validated or published mark is corrected; the teacher still edits this one.",
        "fr": (
            "Seule une note validée ou publiée se corrige ; "
            "l'enseignant peut encore modifier celle-ci."
        ),
        "ar": "لا تُصحح إلا النقطة المصادق عليها أو المنشورة؛ ما زال الأستاذ يعدل هذه.",
    },
    "structure.class_name_taken": {
        "en": "A class of this school already has this name this year.",
        "fr": "Une classe de l'établissement porte déjà ce nom cette année.",
        "ar": "يوجد قسم بهذا الاسم في المؤسسة هذه السنة.",
    },
    "structure.massar_code_taken": {
        "en": "This Massar code is already registered.",
        "fr": "Ce code Massar est déjà enregistré.",
        "ar": "رمز مسار هذا مسجل من قبل.",
    },
    "structure.subject_assigned": {
        "en": "This subject of the class already has a teacher.",
        "fr": "Cette matière de la classe a déjà un enseignant.",
        "ar": "هذه المادة في هذا القسم مسندة لأستاذ من قبل.",
    },
    "structure.teacher_busy": {
        "en": "The teacher already has a lesson at that time.",
        "fr": "L'enseignant a déjà un cours à cette heure.",
        "ar": "للأستاذ حصة أخرى في هذا الوقت.",
    },
    "structure.class_busy": {
        "en": "The class already has a lesson at that time.",
        "fr": "La classe a déjà un cours à cette heure.",
        "ar": "للقسم حصة أخرى في هذا الوقت.",
    },
    "structure.room_busy": {
        "en": "The room is already booked at that time.",
        "fr": "La salle est déjà occupée à cette heure.",
        "ar": "القاعة محجوزة في هذا الوقت.",
    },
    "transfers.already_pending": {
        "en": "A transfer of this pupil is already waiting for an answer.",
        "fr": "Un transfert de cet élève attend déjà une réponse.",
        "ar": "طلب انتقال هذا التلميذ في انتظار الرد.",
    },
    "workflow.not_allowed": {
        "en": "This action is not possible in the record's current state.",
        "fr": "Cette action n'est pas possible dans l'état actuel de l'enregistrement.",
        "ar": "هذا الإجراء غير ممكن في الحالة الحالية لهذا السجل.",
    },
    "trainings.programme_has_sessions": {
        "en": "This programme still has sessions.",
        "fr": "Ce programme de formation a encore des sessions.",
        "ar": "لا يزال هذا البرنامج التكويني يضم دورات.",
    },
    "trainings.session_has_registrations": {
        "en": "Staff members have registered for this session.",
        "fr": "Des personnels sont inscrits à cette session.",
        "ar": "يوجد أطر مسجلون في هذه الدورة.",
    },
    "trainings.session_has_attendance": {
        "en": "Attendance is recorded for this session: its dates can no longer change.",
        "fr": "La présence est déjà saisie pour cette session : ses dates ne peuvent plus changer.",
        "ar": "تم تسجيل الحضور في هذه الدورة: لم يعد من الممكن تغيير تواريخها.",
    },
    "trainings.capacity_below_approved": {
        "en": "The capacity cannot be lower than the places already approved.",
        "fr": "La capacité ne peut pas être inférieure aux places déjà accordées.",
        "ar": "لا يمكن أن تقل الطاقة الاستيعابية عن عدد المقاعد المقبولة.",
    },
    "trainings.session_closed": {
        "en": "This session has already started: registrations are closed.",
        "fr": "Cette session a déjà commencé : les inscriptions sont closes.",
        "ar": "انطلقت هذه الدورة: التسجيل مغلق.",
    },
    "trainings.already_registered": {
        "en": "This person is already registered for this session.",
        "fr": "Cette personne est déjà inscrite à cette session.",
        "ar": "هذا الشخص مسجل مسبقا في هذه الدورة.",
    },
    "trainings.session_full": {
        "en": "This session is full.",
        "fr": "Cette session est complète.",
        "ar": "هذه الدورة مكتملة.",
    },
    "trainings.attendance_short": {
        "en": "Not enough days attended for the certificate.",
        "fr": "Nombre de jours de présence insuffisant pour l'attestation.",
        "ar": "عدد أيام الحضور غير كاف للحصول على الشهادة.",
    },
    "partnerships.duplicate_partner": {
        "en": "Your unit has already registered a partner of this name.",
        "fr": "Votre entité a déjà enregistré un partenaire de ce nom.",
        "ar": "سبق لوحدتكم تسجيل شريك بهذا الاسم.",
    },
    "partnerships.not_a_draft": {
        "en": "A signed agreement can no longer be changed.",
        "fr": "Une convention signée ne peut plus être modifiée.",
        "ar": "لا يمكن تعديل اتفاقية موقعة.",
    },
    "partnerships.document_too_large": {
        "en": "The document is larger than 5 MB.",
        "fr": "Le document dépasse 5 Mo.",
        "ar": "حجم الوثيقة يتجاوز 5 ميغابايت.",
    },
    "partnerships.not_a_pdf": {
        "en": "The document must be a PDF.",
        "fr": "Le document doit être un PDF.",
        "ar": "يجب أن تكون الوثيقة بصيغة PDF.",
    },
    "diagnostics.post_test_exists": {
        "en": "This diagnostic test already has a post-test.",
        "fr": "Ce test diagnostique a déjà son évaluation post-remédiation.",
        "ar": "لهذا الاختبار التشخيصي تقويم بعدي مسبقا.",
    },
    "diagnostics.not_a_diagnostic": {
        "en": "Remedial groups are built from a diagnostic test, not a post-test.",
        "fr": "Les groupes de soutien se forment sur un test diagnostique, pas sur un post-test.",
        "ar": "تُكوَّن مجموعات الدعم انطلاقا من اختبار تشخيصي وليس من تقويم بعدي.",
    },
    "diagnostics.no_post_test": {
        "en": "This diagnostic test has no post-test yet.",
        "fr": "Ce test diagnostique n'a pas encore d'évaluation post-remédiation.",
        "ar": "لا يتوفر هذا الاختبار التشخيصي بعد على تقويم بعدي.",
    },
    "diagnostics.group_name_taken": {
        "en": "This class already has a remedial group with this name.",
        "fr": "Cette classe a déjà un groupe de soutien de ce nom.",
        "ar": "يوجد في هذا القسم مجموعة دعم بهذا الاسم.",
    },
    "diagnostics.group_closed": {
        "en": "This remedial group is closed.",
        "fr": "Ce groupe de soutien est clôturé.",
        "ar": "مجموعة الدعم هذه مغلقة.",
    },
    "school_projects.exists": {
        "en": "The school already has a project for this school year.",
        "fr": "L'établissement a déjà un projet pour cette année scolaire.",
        "ar": "للمؤسسة مشروع لهذه السنة الدراسية.",
    },
    "school_projects.plan_locked": {
        "en": "The project is under review or approved: its plan can no longer be changed.",
        "fr": "Le projet est en examen ou approuvé : son plan ne peut plus être modifié.",
        "ar": "المشروع قيد الدراسة أو مصادق عليه: لم يعد ممكنا تعديل مخططه.",
    },
    "school_projects.directorate_decides": {
        "en": "Only the school's provincial directorate approves or returns its project.",
        "fr": "Seule la direction provinciale de l'établissement approuve ou renvoie son projet.",
        "ar": "وحدها المديرية الإقليمية للمؤسسة تصادق على مشروعها أو ترجعه.",
    },
    "equipment.code_taken": {
        "en": "An article of the catalogue already has this code.",
        "fr": "Un article du catalogue porte déjà ce code.",
        "ar": "يوجد عتاد في الكتالوج يحمل هذا الرمز.",
    },
    "sports.no_association": {
        "en": "Your school has no sports association yet.",
        "fr": "Votre établissement n'a pas encore d'association sportive.",
        "ar": "لا تتوفر مؤسستكم بعد على جمعية رياضية.",
    },
    "sports.not_coordinator": {
        "en": "Only the coordinator of the school's sports association may do this.",
        "fr": "Seul le coordonnateur de l'association sportive de l'établissement peut le faire.",
        "ar": "وحده منسق الجمعية الرياضية للمؤسسة يمكنه القيام بذلك.",
    },
    "sports.no_director": {
        "en": "The school has no active director account to preside the association.",
        "fr": "L'établissement n'a pas de compte de directeur actif pour présider l'association.",
        "ar": "لا يتوفر المؤسسة على حساب مدير نشط لرئاسة الجمعية.",
    },
    "sports.team_exists": {
        "en": "The school already has a team in this discipline, category and gender.",
        "fr": "L'établissement a déjà une équipe dans cette discipline, catégorie et ce genre.",
        "ar": "للمؤسسة فريق في هذه الرياضة والفئة والجنس.",
    },
    "sports.entries_closed": {
        "en": "This competition no longer takes entries.",
        "fr": "Les engagements de cette compétition sont clos.",
        "ar": "باب المشاركة في هذه المنافسة مغلق.",
    },
    "sports.already_entered": {
        "en": "This team is already entered in the competition.",
        "fr": "Cette équipe est déjà engagée dans la compétition.",
        "ar": "هذا الفريق مسجل في المنافسة.",
    },
    "sports.pupils_not_fit": {
        "en": "Some pupils of the team lack a licence or a valid medical certificate.",
        "fr": "Des élèves de l'équipe n'ont pas de licence ou de certificat médical valide.",
        "ar": "بعض تلاميذ الفريق بدون رخصة أو شهادة طبية صالحة.",
    },
    "sports.not_running": {
        "en": "Fixtures and results need a competition whose entries are closed.",
        "fr": "Les rencontres et résultats demandent une compétition aux engagements clos.",
        "ar": "تتطلب المباريات والنتائج منافسة أغلق باب المشاركة فيها.",
    },
    "sports.not_played_yet": {
        "en": "This fixture has not begun yet.",
        "fr": "Cette rencontre n'a pas encore commencé.",
        "ar": "هذه المباراة لم تبدأ بعد.",
    },
    "transfers.not_pending": {
        "en": "This transfer has already been answered.",
        "fr": "Ce transfert a déjà reçu une réponse.",
        "ar": "تم الرد على طلب الانتقال هذا.",
    },
    "imports.no_header": {
        "en": "No header row with a 'Code Massar' column was found.",
        "fr": "Aucune ligne d'en-tête avec une colonne « Code Massar » n'a été trouvée.",
        "ar": "لم يُعثر على سطر عناوين يتضمن عمود «رمز مسار».",
    },
    "imports.too_many_rows": {
        "en": "The file has more rows than one import takes (see max_rows): split it.",
        "fr": "Le fichier a plus de lignes qu'un import n'en accepte (voir max_rows) : scindez-le.",
        "ar": "يتجاوز عدد أسطر الملف ما يقبله الاستيراد الواحد (انظر max_rows): قسّمه.",
    },
    "imports.unreadable": {
        "en": "The file is neither an .xlsx spreadsheet nor a UTF-8 CSV.",
        "fr": "Le fichier n'est ni un classeur .xlsx ni un CSV UTF-8.",
        "ar": "الملف ليس جدول xlsx ولا ملف CSV بترميز UTF-8.",
    },
    "auth.invalid_code": {
        "en": "The username or the code is wrong, used or expired.",
        "fr": "L'identifiant ou le code est erroné, déjà utilisé ou expiré.",
        "ar": "اسم المستخدم أو الرمز غير صحيح أو مستعمل أو منتهي الصلاحية.",
    },
    "staff.ppr_taken": {
        "en": "This staff number (PPR) is already registered.",
        "fr": "Ce numéro PPR est déjà enregistré.",
        "ar": "رقم التأجير هذا مسجل من قبل.",
    },
    "error.no_current_year": {
        "en": "No school year is open yet.",
        "fr": "Aucune année scolaire n'est encore ouverte.",
        "ar": "لم تفتح أي سنة دراسية بعد.",
    },
    "error.database_unavailable": {
        "en": "The database does not answer.",
        "fr": "La base de données ne répond pas.",
        "ar": "قاعدة البيانات لا تستجيب.",
    },
    "status.413": {
        "en": "Content too large",
        "fr": "Contenu trop volumineux",
        "ar": "المحتوى كبير جدا",
    },
    "status.415": {
        "en": "Unsupported media type",
        "fr": "Type de contenu non pris en charge",
        "ar": "نوع المحتوى غير مدعوم",
    },
    "gradesheet.too_large": {
        "en": "The grade sheet file is too large.",
        "fr": "Le fichier du relevé de notes est trop volumineux.",
        "ar": "ملف بيان النقط كبير جدا.",
    },
    "gradesheet.not_xlsx": {
        "en": "The file is not an Excel workbook (.xlsx).",
        "fr": "Le fichier n'est pas un classeur Excel (.xlsx).",
        "ar": "الملف ليس مصنف إكسل (xlsx.).",
    },
    "gradesheet.not_a_grade_sheet": {
        "en": 'The workbook is not a grade sheet exported by Massar (no "Code Massar" header).',
        "fr": "Le classeur n'est pas un relevé de notes de Massar (pas d'en-tête « Code Massar »).",
        "ar": "المصنف ليس بيان نقط مستخرجا من مسار (لا يوجد عنوان «Code Massar»).",
    },
    "gradesheet.wrong_sheet": {
        "en": "This grade sheet belongs to another class, subject, semester or school year.",
        "fr": "Ce relevé de notes concerne une autre classe, matière, semestre ou année scolaire.",
        "ar": "بيان النقط هذا يخص قسما أو مادة أو دورة أو سنة دراسية أخرى.",
    },
    "justifications.document_too_large": {
        "en": "The document is too large.",
        "fr": "Le document est trop volumineux.",
        "ar": "الوثيقة كبيرة جدا.",
    },
    "justifications.unsupported_document": {
        "en": "The document must be a PDF, a JPEG or a PNG.",
        "fr": "Le document doit être un PDF, un JPEG ou un PNG.",
        "ar": "يجب أن تكون الوثيقة بصيغة PDF أو JPEG أو PNG.",
    },
    "justifications.already_decided": {
        "en": "This justification has already been decided.",
        "fr": "Cette justification a déjà fait l'objet d'une décision.",
        "ar": "سبق البت في هذا التبرير.",
    },
    "auth.login_busy": {
        "en": "Too many logins at this moment: try again in a few seconds (see Retry-After).",
        "fr": "Trop de connexions en ce moment : réessayez dans quelques secondes "
        "(voir Retry-After).",
        "ar": "عدد كبير من عمليات الدخول في هذه اللحظة: أعد المحاولة بعد ثوان (انظر Retry-After).",
    },
    "auth.too_many_attempts": {
        "en": "Too many failed attempts: try again later (see Retry-After).",
        "fr": "Trop de tentatives échouées : réessayez plus tard (voir Retry-After).",
        "ar": "محاولات فاشلة كثيرة: أعد المحاولة لاحقا (انظر Retry-After).",
    },
    "auth.mfa_required": {
        "en": "Enter the code from your authenticator app (or a recovery code).",
        "fr": "Saisissez le code de votre application d'authentification (ou un code de secours).",
        "ar": "أدخل الرمز من تطبيق المصادقة (أو رمز استرداد).",
    },
    "auth.mfa_enrolment_required": {
        "en": "Staff accounts need two-step verification: set up an authenticator app first.",
        "fr": (
            "Les comptes du personnel exigent la vérification en deux étapes : "
            "configurez d'abord une application d'authentification."
        ),
        "ar": "حسابات الموظفين تتطلب التحقق بخطوتين: قم أولا بإعداد تطبيق المصادقة.",
    },
    "auth.invalid_challenge": {
        "en": "The login step has expired or was already used: log in again.",
        "fr": "L'étape de connexion a expiré ou a déjà servi : reconnectez-vous.",
        "ar": "انتهت صلاحية خطوة تسجيل الدخول أو سبق استعمالها: سجل الدخول من جديد.",
    },
    "auth.invalid_mfa_code": {
        "en": "This code is not valid.",
        "fr": "Ce code n'est pas valide.",
        "ar": "هذا الرمز غير صالح.",
    },
    "mfa.already_active": {
        "en": "Two-step verification is already active: disable it first.",
        "fr": "La vérification en deux étapes est déjà active : désactivez-la d'abord.",
        "ar": "التحقق بخطوتين مفعل بالفعل: قم بتعطيله أولا.",
    },
    "mfa.not_enrolled": {
        "en": "Two-step verification is not set up for this account.",
        "fr": "La vérification en deux étapes n'est pas configurée pour ce compte.",
        "ar": "التحقق بخطوتين غير مُعد لهذا الحساب.",
    },
}


def negotiate(accept_language: str | None) -> Language:
    """The best supported language in an `Accept-Language` header (quality values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, Language] | None = None
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        for language in SUPPORTED:
            if primary == language and quality > 0 and (best is None or quality > best[0]):
                best = (quality, language)
    return best[1] if best else DEFAULT_LANGUAGE


def translate(key: str, language: Language | None = None) -> str:
    """The message for `key` in the request's language (English when a key lacks it)."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    lang = language or current_language.get()
    return texts.get(lang) or texts["en"]
