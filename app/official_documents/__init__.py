"""Official documents: report cards and school certificates as PDF, in Arabic and French,
issued once per data version and verifiable by anyone who holds the paper.

Named `official_documents` (الوثائق الرسمية) to keep it apart from `app/core/documents.py`,
the store of files people upload: these are the papers the school itself issues."""
